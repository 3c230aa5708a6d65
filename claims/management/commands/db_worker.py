"""`manage.py db_worker`: django-tasks-db's worker, plus a housekeeping thread
(claims.housekeeping) that queues outbox retries as they fall due."""

from __future__ import annotations

import os
import threading

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from claims import housekeeping


class Command(DatabaseWorkerCommand):
    help = DatabaseWorkerCommand.help + " (with the project's housekeeping)"

    def handle(self, *args, **options):
        if options["batch"]:
            housekeeping.tick()  # once, before draining the queue
        elif not options["reload"] or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            # With --reload only the child process that runs tasks keeps house.
            stop = threading.Event()
            threading.Thread(
                target=housekeeping.run_forever, args=(stop,), name="housekeeping", daemon=True
            ).start()
        return super().handle(*args, **options)
