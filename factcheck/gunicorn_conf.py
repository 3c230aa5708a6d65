"""gunicorn settings: `gunicorn -c python:factcheck.gunicorn_conf factcheck.wsgi`.

Command-line options override these. Environment: GUNICORN_WORKERS, GUNICORN_THREADS,
GUNICORN_TIMEOUT (see the README's deployment section for what bounds a request).
"""

import os

from claims.local_trial import FLAG, flag_set, public_binds

worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", 3))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# Under gthread this bounds a worker that stops answering the arbiter, not one request.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
# Recycle processes now and then, so memory a request left behind is returned.
max_requests = 2000
max_requests_jitter = 200
# gunicorn 27's control socket has one default path per user: two instances on a
# machine would fight over it, and nothing here uses it.
control_socket_disable = True
accesslog = "-"
# The request id the app echoes, next to each access line.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms id=%({x-request-id}o)s'


def on_starting(server):
    if flag_set():
        public = public_binds(server.cfg.address)
        if public:
            raise SystemExit(
                f"{FLAG}=1 turns off HTTPS and secure cookies, so it only runs on this "
                f"machine: bind to 127.0.0.1 or [::1], not {', '.join(public)}."
            )
