"""Settings for the fact-check tracker: one module, driven by environment variables.

DJANGO_SECRET_KEY, DJANGO_DEBUG, DJANGO_ALLOWED_HOSTS, DATABASE_URL and the
others below. With no environment the app runs in debug on a SQLite file.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


def env_bool(name: str, default: bool) -> bool:
    """A yes/no setting. A word it does not know (a typo such as "flase") stops
    start-up rather than being read as False."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a yes/no value: use one of {', '.join(sorted(TRUE_WORDS | FALSE_WORDS))}."
    )


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DJANGO_DEBUG=0 the app refuses to start "
            "without a secret key: set DJANGO_SECRET_KEY to 50 or more random characters, "
            "for example from `python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production-0123456789"  # noqa: S105 (DEBUG only)

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    # Before django_tasks_db: claims' db_worker (the same worker plus housekeeping) wins.
    "claims",
    "django_tasks_db",
]

MIDDLEWARE = [
    # Outermost: every response, redirects and error pages included, carries the id.
    "claims.request_log.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # Innermost, so its 413/400 pages still get the CSP and other security headers;
    # its size check runs before any middleware reads the body (CSRF reads request.POST).
    "claims.middleware.RequestLimitsMiddleware",
]

ROOT_URLCONF = "factcheck.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "claims.context_processors.roles",
            ],
        },
    },
]

WSGI_APPLICATION = "factcheck.wsgi.application"
ASGI_APPLICATION = "factcheck.asgi.application"

# Database: a SQLite file by default, PostgreSQL (or any dj-database-url URL) via DATABASE_URL.
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers proceed while one writer writes; IMMEDIATE takes the write
        # lock when a transaction starts, so writers queue instead of failing mid-way.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=20000"
        ),
    }
# Issue 14: a persistent connection the server dropped (restart, failover, idle kill)
# is replaced at the start of the next request instead of failing it.
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Lets parallel test runs on one server use separate test databases.
if os.environ.get("DJANGO_TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["DJANGO_TEST_DB_NAME"]}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: the browser tests' live server answers several requests at
    # once, and threads sharing one in-memory connection corrupt each other's results.
    # pytest-xdist gives each worker its own file (name suffix _gw0, _gw1, ...).
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-db.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "claims:board"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Background work: Django's tasks framework. Immediate by default; production sets
# DJANGO_TASKS_BACKEND=django_tasks_db.DatabaseBackend and runs `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "DJANGO_TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend"
        )
    }
}


# --- Email (Django 6.1 mailers; issue 14) --------------------------------------------------
# The console in development, SMTP in production. Every SMTP connection is bounded
# by a timeout so a stalled mail server cannot hold a worker thread. Django itself
# refuses the old EMAIL_* settings (EMAIL_TIMEOUT included) next to MAILERS.
# `check --deploy` warns (factcheck.W002) when production has no DJANGO_EMAIL_HOST.
def _env_seconds(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    try:
        value = float(raw) if raw else default
    except ValueError:
        value = -1.0
    if not 0 < value <= 600:
        raise ImproperlyConfigured(f"{name}={raw!r}: give a number of seconds from 1 to 600.")
    return value


MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "DJANGO_EMAIL_BACKEND",
            "django.core.mail.backends.console.EmailBackend"
            if DEBUG
            else "django.core.mail.backends.smtp.EmailBackend",
        ),
    }
}
FACTCHECK_EMAIL_HOST_CONFIGURED = bool(os.environ.get("DJANGO_EMAIL_HOST", "").strip())
if MAILERS["default"]["BACKEND"].endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("DJANGO_EMAIL_HOST", "").strip() or "localhost",
        "port": int(os.environ.get("DJANGO_EMAIL_PORT", 25)),
        "username": os.environ.get("DJANGO_EMAIL_USER", ""),
        "password": os.environ.get("DJANGO_EMAIL_PASSWORD", ""),
        "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", False),
        "timeout": _env_seconds("DJANGO_EMAIL_TIMEOUT", 10),
    }
# --- end email ---------------------------------------------------------------------------


def _env_number(name: str, default: float, low: float, high: float) -> float:
    raw = os.environ.get(name, "").strip()
    try:
        value = float(raw) if raw else default
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise ImproperlyConfigured(f"{name}={raw!r}: give a number from {low:g} to {high:g}.")
    return value


# --- Outbox and background jobs (issue 14) -------------------------------------------------
# Side effects (email now) go through the outbox: delivered after commit by
# claims.tasks.deliver_outbox, retried with exponential backoff (base, 2x, 4x ...),
# given up after the last attempt with the error kept on the row.
FACTCHECK_OUTBOX_MAX_ATTEMPTS = int(_env_number("DJANGO_OUTBOX_MAX_ATTEMPTS", 6, 1, 50))
FACTCHECK_OUTBOX_BACKOFF_SECONDS = _env_number("DJANGO_OUTBOX_BACKOFF_SECONDS", 60, 0, 86400)
# db_worker's housekeeping thread runs this often: it re-queues jobs whose heartbeat
# is older than FACTCHECK_JOB_STALE_SECONDS (a killed worker), fails them after
# FACTCHECK_JOB_MAX_ATTEMPTS starts, and queues outbox delivery while retries are due.
FACTCHECK_HOUSEKEEPING_SECONDS = _env_number("DJANGO_HOUSEKEEPING_SECONDS", 30, 0.1, 3600)
FACTCHECK_JOB_STALE_SECONDS = _env_number("DJANGO_JOB_STALE_SECONDS", 300, 1, 86400)
FACTCHECK_JOB_MAX_ATTEMPTS = int(_env_number("DJANGO_JOB_MAX_ATTEMPTS", 3, 1, 20))
# Test only: seconds each imported item waits inside its transaction, so the fault test
# can kill a worker mid-import. Leave unset.
FACTCHECK_TEST_IMPORT_ITEM_DELAY = _env_number("DJANGO_TEST_IMPORT_ITEM_DELAY", 0, 0, 10)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "factcheck@localhost")

# Upload and body limits: answered with a clear 400/413 message (see claims.middleware).
# DATA_UPLOAD_MAX_MEMORY_SIZE bounds a form's fields (files excluded); a multipart
# request with files may be up to FACTCHECK_MAX_UPLOAD_BYTES in all.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DJANGO_MAX_BODY_BYTES", 5 * 1024 * 1024))
FACTCHECK_MAX_UPLOAD_BYTES = int(os.environ.get("DJANGO_MAX_UPLOAD_BYTES", 25 * 1024 * 1024))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
DATA_UPLOAD_MAX_NUMBER_FILES = 200  # the import form takes up to 200 files

# Security headers. Cookies carry the __Host- prefix only over HTTPS (the prefix
# requires Secure), so development over plain HTTP keeps the default names.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# htmx takes the token from hx-headers in the page, so scripts never need the cookie.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_FAILURE_VIEW = "django.views.csrf.csrf_failure"  # renders templates/403_csrf.html
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# --- Local production trial (issue 14): DJANGO_INSECURE_LOCAL=1 ------------------------
# DEBUG off over plain HTTP on this machine only (`make serve-prod`): no HTTPS
# redirect, HSTS or secure cookies; loopback host names only; claims.local_trial
# refuses other clients and gunicorn refuses a public bind (factcheck/gunicorn_conf.py).
INSECURE_LOCAL = not DEBUG and env_bool("DJANGO_INSECURE_LOCAL", False)
if INSECURE_LOCAL:
    if not os.environ.get("DJANGO_ALLOWED_HOSTS"):
        ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
    _public = [h for h in ALLOWED_HOSTS if h.lower() not in {"localhost", "127.0.0.1", "[::1]"}]
    if _public:
        raise ImproperlyConfigured(
            "DJANGO_INSECURE_LOCAL=1 serves this machine only, but DJANGO_ALLOWED_HOSTS "
            f"names {', '.join(_public)}. Use localhost/127.0.0.1, or drop the flag and serve "
            "over HTTPS."
        )
    SECURE_SSL_REDIRECT = False
    SECURE_HSTS_SECONDS = 0
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
    SESSION_COOKIE_NAME, CSRF_COOKIE_NAME = "sessionid", "csrftoken"
    MIDDLEWARE.insert(1, "claims.local_trial.LoopbackOnlyMiddleware")
# --- end local production trial ----------------------------------------------------------

# Login brute-force protection (django-axes): lock a username+IP pair after N failures.
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("DJANGO_AXES_ENABLED", True)
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# Log who and from where (axes always masks the password itself).
AXES_SENSITIVE_PARAMETERS: list[str] = []
# Behind N trusted reverse proxies the client is the Nth address from the right of
# X-Forwarded-For; with 0 (the default) it is REMOTE_ADDR and the header is ignored.
FACTCHECK_TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", 0))
AXES_CLIENT_IP_CALLABLE = "claims.middleware.client_ip"

# Domain settings.
FACTCHECK_ORGANIZATION = {
    "name": os.environ.get("FACTCHECK_ORG_NAME", "Newsroom Fact Check"),
    "url": os.environ.get("FACTCHECK_ORG_URL", "https://factcheck.example"),
}
# The public address (https://factcheck.example) for links in files made outside a
# request: commands and background exports. Unset, they point at runserver's address,
# and `check --deploy` warns (factcheck.W004).
FACTCHECK_SITE_URL = os.environ.get("FACTCHECK_SITE_URL", "")
FACTCHECK_MIN_SOURCES = int(os.environ.get("FACTCHECK_MIN_SOURCES", 2))
FACTCHECK_MAX_ARTICLE_CHARS = int(os.environ.get("FACTCHECK_MAX_ARTICLE_CHARS", 2_000_000))
FACTCHECK_BOARD_PAGE_SIZE = int(os.environ.get("FACTCHECK_BOARD_PAGE_SIZE", 25))
# Exports above these many claims run as background jobs (PDF is the slow one).
FACTCHECK_EXPORT_BACKGROUND_CLAIMS = int(os.environ.get("FACTCHECK_EXPORT_BACKGROUND_CLAIMS", 2000))
FACTCHECK_EXPORT_BACKGROUND_PDF_CLAIMS = int(
    os.environ.get("FACTCHECK_EXPORT_BACKGROUND_PDF_CLAIMS", 300)
)

# --- Logging and error reporting (issue 14) -------------------------------------------
# Every unhandled exception reaches stderr with the request id, user id and path
# (claims.request_log); DJANGO_LOG_FORMAT picks plain lines or JSON lines for a
# log collector. DJANGO_ADMINS (comma-separated addresses) also mails them.
LOG_FORMATS = {"plain", "json"}
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "plain").strip().lower() or "plain"
if LOG_FORMAT not in LOG_FORMATS:
    raise ImproperlyConfigured(
        f"DJANGO_LOG_FORMAT={LOG_FORMAT!r} is not a log format: use 'plain' or 'json'."
    )


def _env_emails(name: str) -> list[str]:
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    addresses = env_list(name, "")
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            raise ImproperlyConfigured(
                f"{name} holds {address!r}, which is not an email address. "
                "List plain addresses separated by commas."
            ) from None
    return addresses


ADMINS = _env_emails("DJANGO_ADMINS")
SERVER_EMAIL = os.environ.get("DJANGO_SERVER_EMAIL", DEFAULT_FROM_EMAIL)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_context": {"()": "claims.request_log.RequestContextFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s [request=%(request_id)s "
            "user=%(user_id)s path=%(path)s] %(message)s"
        },
        "json": {"()": "claims.request_log.JsonLinesFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "filters": ["request_context"],
            "formatter": LOG_FORMAT,
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "loggers": {
        # Server errors (5xx with their traceback); 4xx are warnings, left out.
        "django.request": {
            "handlers": ["console", *(["mail_admins"] if ADMINS else [])],
            "level": "ERROR",
            "propagate": False,
        },
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # Background tasks: a failed task's traceback (db_worker sets the level by -v).
        "django.tasks": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django_tasks_db": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING"},
        "claims": {"handlers": ["console"], "level": "INFO"},
    },
}
# --- end logging -------------------------------------------------------------------------
