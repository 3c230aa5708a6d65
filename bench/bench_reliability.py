"""Reliability figures for docs/performance.md ("Reliability"):

1. .docx uploads: time and peak memory to refuse generated bombs, and to read the
   largest document the limits let through (each in a fresh child process, so
   ru_maxrss is that one file's peak).
2. What bounds a request under gunicorn: a view that sleeps 12 s, served by
   gthread and by sync workers with --timeout 5.

    .venv/bin/python bench/bench_reliability.py
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# --------------------------------------------------------------------------- uploads

READ_ONE = r"""
import io, resource, sys, time, zipfile
sys.path.insert(0, sys.argv[1])
import docx, lxml.etree  # imported before the baseline: only the file's own cost counts
from claims.importing import ImportFailed, read_upload
data = open(sys.argv[2], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
try:
    imported = read_upload("upload.docx", data)
    outcome = f"read {len(imported.text):,} chars"
except ImportFailed as exc:
    outcome = "refused: " + exc.message.split(": ", 1)[1][:60] + "…"
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"{seconds:.2f}|{(peak - before) / 1024:.0f} (of {peak / 1024:.0f})|{outcome}")
"""


def _docx(
    path: Path, *, document: bytes | None = None, repeat: tuple[bytes, int] | None = None
) -> Path:
    import io
    import zipfile

    import docx

    base = io.BytesIO()
    source = docx.Document()
    source.add_paragraph("Base paragraph.")
    source.save(base)
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename == "word/document.xml" and (document or repeat):
                with out.open(info.filename, "w", force_zip64=True) as part:
                    if document:
                        part.write(document)
                    else:
                        head = b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
                        part.write(head)
                        chunk, times = repeat
                        for _ in range(times):
                            part.write(chunk)
                        part.write(b"</w:body></w:document>")
            else:
                out.writestr(info, src.read(info.filename))
    return path


def _article_docx(path: Path, chars: int) -> Path:
    import docx

    document = docx.Document()
    paragraph = (
        "The council spent 4.2 million on road repairs in 2023, up 12 percent. " * 7
    ).strip()
    for _ in range(chars // (len(paragraph) + 2)):
        document.add_paragraph(paragraph)
    document.save(path)
    return path


def uploads() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-docx-"))
    para = b"<w:p><w:r><w:t>" + b"lol " * 60 + b"</w:t></w:r></w:p>"
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "lol">'
        + "".join(
            f'<!ENTITY a{i} "{("&a" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
            for i in range(1, 10)
        )
        + ']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&a9;</w:t></w:r></w:p></w:body></w:document>'
    ).encode()
    cases = {
        "zip bomb, 200 MB of XML": _docx(
            tmp / "bomb.docx", repeat=(para, 200 * 1024 * 1024 // len(para))
        ),
        "zip bomb, 1 GB of XML": _docx(
            tmp / "bomb1g.docx", repeat=(para, 1024 * 1024 * 1024 // len(para))
        ),
        "billion laughs DTD": _docx(tmp / "laughs.docx", document=laughs),
        "9 MB of XML (near the 10 MB limit)": _docx(
            tmp / "edge.docx", repeat=(para, 9 * 1024 * 1024 // len(para))
        ),
        "2,000,000-character article (python-docx)": _article_docx(tmp / "article.docx", 2_000_000),
    }
    print("| upload | file size | unpacked XML | outcome | seconds | memory added (of process) |")
    print("|---|---|---|---|---|---|")
    import zipfile

    for label, path in cases.items():
        with zipfile.ZipFile(path) as archive:
            xml = sum(
                i.file_size for i in archive.infolist() if i.filename.endswith((".xml", ".rels"))
            )
        out = subprocess.run(
            [sys.executable, "-c", READ_ONE, str(ROOT), str(path)],
            capture_output=True,
            text=True,
            check=True,
            timeout=600,
        ).stdout.strip()
        seconds, memory, outcome = out.split("|", 2)
        print(
            f"| {label} | {path.stat().st_size / 1024:,.0f} KB | {xml / 1024 / 1024:,.1f} MB | "
            f"{outcome} | {seconds} | {memory} |"
        )


# --------------------------------------------------------------------------- request bound

SLEEP_SETTINGS = "from factcheck.settings import *  # noqa\nROOT_URLCONF = 'sleep_urls'\n"
SLEEP_URLS = """
import time
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import include, path

@login_not_required
def slow(request):
    time.sleep(float(request.GET["s"]))
    return HttpResponse("finished")

urlpatterns = [path("slow/", slow), path("", include("factcheck.urls"))]
"""


def request_bound() -> None:
    from bench._harness import free_port

    tmp = Path(tempfile.mkdtemp(prefix="bench-bound-"))
    (tmp / "sleep_settings.py").write_text(SLEEP_SETTINGS)
    (tmp / "sleep_urls.py").write_text(SLEEP_URLS)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_INSECURE_LOCAL="1",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        DJANGO_STATIC_ROOT=str(tmp / "static"),
        DJANGO_SETTINGS_MODULE="sleep_settings",
        PYTHONPATH=f"{tmp}{os.pathsep}{ROOT}",
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    gunicorn = Path(sys.executable).with_name("gunicorn")
    print("\n| gunicorn workers | --timeout | request asking for 12 s | answered after |")
    print("|---|---|---|---|")
    for worker_class, threads in (("gthread", 4), ("sync", 1)):
        port = free_port()
        log = (tmp / f"{worker_class}.log").open("w")
        proc = subprocess.Popen(
            [
                str(gunicorn),
                "-c",
                "python:factcheck.gunicorn_conf",
                "--bind",
                f"127.0.0.1:{port}",
                "--worker-class",
                worker_class,
                "--workers",
                "1",
                "--threads",
                str(threads),
                "--timeout",
                "5",
                "factcheck.wsgi:application",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        time.sleep(4)
        started = time.monotonic()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/slow/?s=12", timeout=30) as r:
                outcome = f"{r.status} {r.read().decode()}"
        except urllib.error.HTTPError as exc:
            outcome = f"{exc.code}"
        except (OSError, ConnectionError) as exc:
            outcome = f"connection closed ({type(exc).__name__}): worker killed"
        elapsed = time.monotonic() - started
        proc.terminate()
        proc.wait(timeout=30)
        print(f"| {worker_class} x {threads} thread(s) | 5 s | {outcome} | {elapsed:.1f} s |")


if __name__ == "__main__":
    uploads()
    request_bound()
