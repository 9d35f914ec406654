"""Kliento's one settings module.

Every value is read here, once, from the environment, with a safe embedded default; no other
module reads ``os.environ``. The table in README.md lists them.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent


# ---- Reading the environment -------------------------------------------------------------
# A malformed value stops the start with a message naming the variable, instead of quietly
# becoming a default (`DEBUG=flase` must not mean "off" by accident, nor an unknown task
# backend mean "database"). An empty value counts as unset.

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None or value.strip() == "" else value.strip()


def _bad(name: str, value: str, expected: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"{name}={value!r} is not valid: expected {expected}.")


def _flag(name: str, default: bool = False) -> bool:
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise _bad(name, value, "one of 1/0, true/false, yes/no, on/off")


def _int(name: str, default: int, *, minimum: int = 0) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise _bad(name, value, f"a whole number of at least {minimum}") from None
    if number < minimum:
        raise _bad(name, value, f"a whole number of at least {minimum}")
    return number


def _seconds(name: str, default: float) -> float:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = float(value)
    except ValueError:
        raise _bad(name, value, "a number of seconds greater than 0") from None
    if not number > 0 or number == float("inf"):
        raise _bad(name, value, "a number of seconds greater than 0")
    return number


def _choice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = _raw(name)
    if value is None:
        return default
    if value.lower() not in choices:
        raise _bad(name, value, "one of " + ", ".join(choices))
    return value.lower()


def _secret(name: str, default: str = "") -> str:
    """A secret from NAME, or from the file named by NAME_FILE (container and systemd secrets)."""
    value, path = _raw(name), _raw(f"{name}_FILE")
    if value is not None and path is not None:
        raise ImproperlyConfigured(f"Set {name} or {name}_FILE, not both.")
    if path is None:
        return value if value is not None else default
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ImproperlyConfigured(
            f"{name}_FILE={path!r} cannot be read: {exc.strerror}.") from None
    # Only the line ending an editor or `echo` adds is dropped; the secret itself is kept whole.
    secret = text.removesuffix("\n").removesuffix("\r")
    if not secret:
        raise ImproperlyConfigured(f"{name}_FILE={path!r} is empty.")
    return secret


def _base_url() -> str:
    value = (_raw("KLIENTO_BASE_URL") or "http://127.0.0.1:8000").rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise _bad("KLIENTO_BASE_URL", value, "an address like https://feedback.example.com")
    return value


# ./var holds what one installation keeps on disk: the SQLite file, the generated secret key.
VAR_DIR = Path(os.environ.get("KLIENTO_VAR_DIR") or Path.cwd() / "var").resolve()


def _secret_key() -> str:
    configured = _secret("KLIENTO_SECRET_KEY")
    if configured:
        return configured
    # Generated once and kept, so sessions and signed links survive a restart.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = _flag("DEBUG")
SECRET_KEY = _secret_key()
BASE_URL = _base_url()
ALLOW_PRIVATE_TARGETS = _flag("KLIENTO_ALLOW_PRIVATE_TARGETS")
# A worker holds a delivery for DELIVERY_LEASE_SECONDS; after that another worker may send it
# again. Every send (all of an HTTP request, connect and reads, or starting e-mail to one more
# recipient) stops at SEND_DEADLINE_SECONDS, which must stay well inside the lease or a slow
# receiver gets the same delivery twice.
DELIVERY_LEASE_SECONDS = _int("KLIENTO_DELIVERY_LEASE_SECONDS", 60, minimum=1)
SEND_DEADLINE_SECONDS = _seconds("KLIENTO_SEND_DEADLINE_SECONDS", 20)
if not 0 < SEND_DEADLINE_SECONDS <= DELIVERY_LEASE_SECONDS / 2:
    raise ImproperlyConfigured(
        f"KLIENTO_SEND_DEADLINE_SECONDS ({SEND_DEADLINE_SECONDS:g}) must be above 0 and at most "
        f"half of KLIENTO_DELIVERY_LEASE_SECONDS ({DELIVERY_LEASE_SECONDS}), so that a send "
        "always ends while its worker still holds the delivery")
REDIS_URL = _secret("REDIS_URL")

_base_host = urlsplit(BASE_URL).hostname or "127.0.0.1"
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("KLIENTO_ALLOWED_HOSTS", f"{_base_host},127.0.0.1,localhost").split(",")
    if h.strip()
]

# ---- HTTPS and browser protections ---------------------------------------------------------
# Everything follows from the base URL: served over https, cookies never travel in clear, plain
# http is redirected and browsers are told (HSTS) to stay on https.
HTTPS = urlsplit(BASE_URL).scheme == "https"
CSRF_TRUSTED_ORIGINS = [BASE_URL]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = _flag("KLIENTO_SSL_REDIRECT", HTTPS)
# Load balancers probe over plain http; they get the answer, not a redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if _flag("KLIENTO_BEHIND_PROXY"):
    # Only when a proxy in front sets (and overwrites) X-Forwarded-Proto; otherwise any client
    # could claim https.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = _int("KLIENTO_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("KLIENTO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = _flag("KLIENTO_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # Asking for the browsers' preload list is the domain owner's decision (anyone may submit a
    # domain whose header says "preload"), so it stays off unless switched on.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): scripts and styles only from Kliento's own static files
# or carrying the per-response nonce; no inline handlers, no eval. Pages are never framed.
# Survey logos are images on the workspace's own site, hence https: for img-src.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", "https:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_htmx",
    "csp",
    "ninja",  # serves the API docs page's scripts from static files, not a CDN (CSP)
    "kliento.core",
    "kliento.customers",
    "kliento.conversations",
    "kliento.feedback",
    "kliento.surveys",
    "kliento.alerts",
    "kliento.recovery",
    "kliento.insights",
    "kliento.web",
]
if REDIS_URL:
    INSTALLED_APPS += ["django_rq"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "kliento.core.middleware.RefuseNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kliento.core.middleware.WorkspaceMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kliento.urls"
WSGI_APPLICATION = "kliento.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "feed"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kliento.core.context_processors.workspace",
                "kliento.alerts.context_processors.open_alerts",
                "kliento.feedback.context_processors.themes",
            ],
        },
    },
]

# Databases: a SQLite file under ./var unless DATABASE_URL says otherwise.
_default_sqlite = f"sqlite:///{VAR_DIR / 'kliento.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        _secret("DATABASE_URL") or _default_sqlite, conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # WAL lets the worker write while pages read; IMMEDIATE avoids lock upgrades mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests use a file too: an in-memory database cannot be shared by threads (live server,
    # concurrency tests) without "table is locked" errors.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work: the Tasks API. Database backend by default, Redis/RQ with REDIS_URL;
# KLIENTO_TASK_BACKEND=immediate runs tasks in-process (the test suite uses it).
TASK_BACKEND = _choice("KLIENTO_TASK_BACKEND", ("database", "redis", "immediate"),
                       "redis" if REDIS_URL else "database")
if TASK_BACKEND == "redis":
    # "urgent" (alerts on their way) is a queue of its own, emptied before "default".
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend",
                         "QUEUES": ["urgent", "default"]}}
    RQ_QUEUES = {
        name: {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 300}
        for name in ("urgent", "default")
    }
    if "django_rq" not in INSTALLED_APPS:
        INSTALLED_APPS += ["django_rq"]
elif TASK_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                         "QUEUES": ["urgent", "default"]}}

# Periodic jobs the worker runs: (dotted path, every N seconds). Later domains add theirs.
# Periodic jobs only find due rows and enqueue tasks (one per e-mail, delivery, voice):
# nothing here waits on SMTP or HTTP, so one pass takes milliseconds whatever is down.
PERIODIC_JOBS: list[tuple[str, float]] = [
    ("kliento.core.jobs.requeue_stalled_tasks", 15.0),
    ("kliento.loop.sweep_unprocessed_feedback", 30.0),
    ("kliento.core.jobs.retry_unsent_emails", 60.0),
    ("kliento.core.jobs.prune_finished_tasks", 3600.0),
    ("kliento.core.jobs.prune_rate_counters", 3600.0),
    ("kliento.surveys.jobs.advance_batches", 5.0),
    ("kliento.surveys.jobs.retry_failed_invitations", 60.0),
    ("kliento.alerts.jobs.dispatch_due_deliveries", 2.0),
    ("kliento.alerts.jobs.escalate_due_alerts", 10.0),
    ("kliento.loop.check_slas", 30.0),
    ("kliento.loop.check_promises", 60.0),
    ("kliento.loop.send_follow_ups", 60.0),
    ("kliento.feedback.jobs.remove_expired_exports", 3600.0),
    ("kliento.insights.weekly.send_weekly_reports", 300.0),
    ("kliento.insights.jobs.check_rollups", 86400.0),
]
# A figure from fewer answers than this is shown as "too few answers" (docs/INSIGHTS.md).
INSIGHTS_MIN_SAMPLE = _int("KLIENTO_INSIGHTS_MIN_SAMPLE", 10, minimum=1)
WORKER_HEARTBEAT_SECONDS = _seconds("KLIENTO_WORKER_HEARTBEAT_SECONDS", 10.0)
# /healthz reports unhealthy when the newest heartbeat is older than this.
WORKER_STALE_SECONDS = _seconds("KLIENTO_WORKER_STALE_SECONDS", 60.0)


def _email_settings(url: str) -> dict[str, object]:
    """EMAIL_URL like smtp://user:pass@host:587?tls=1 (or ssl=1) → Django e-mail settings."""
    if not url:
        return {"EMAIL_BACKEND": "kliento.core.mail.KeepInLogBackend"}
    parts = urlsplit(url)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    if parts.scheme not in {"smtp", "smtps"}:
        raise ImproperlyConfigured(
            f"EMAIL_URL: unsupported scheme {parts.scheme!r}; use smtp:// or smtps://")
    try:
        port, timeout = parts.port, int(query.get("timeout", "20"))
    except ValueError:
        raise ImproperlyConfigured("EMAIL_URL: the port and ?timeout= must be numbers") from None
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": port or (465 if parts.scheme == "smtps" else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": query.get("tls") in {"1", "true", "yes"},
        "EMAIL_USE_SSL": parts.scheme == "smtps" or query.get("ssl") in {"1", "true", "yes"},
        "EMAIL_TIMEOUT": timeout,
    }


EMAIL_URL = _secret("EMAIL_URL")
globals().update(_email_settings(EMAIL_URL))
DEFAULT_FROM_EMAIL = os.environ.get("KLIENTO_FROM_EMAIL", "Kliento <kliento@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = _int("KLIENTO_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = 0.25  # hours: a locked account may try again after 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Beyond axes' lockout of one account: failed sign-ins from one client address across all
# accounts (password spraying) per 15 minutes, higher since an office shares one address;
# password-reset requests per hour, per address asked for and per client address.
LOGIN_IP_FAILURE_LIMIT = _int("KLIENTO_LOGIN_IP_FAILURE_LIMIT", 50)
PASSWORD_RESET_EMAIL_LIMIT = _int("KLIENTO_PASSWORD_RESET_EMAIL_LIMIT", 3, minimum=1)
PASSWORD_RESET_IP_LIMIT = _int("KLIENTO_PASSWORD_RESET_IP_LIMIT", 20)

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("lv", _("Latvian")),
    ("pl", _("Polish")),
    ("sr", _("Serbian (Cyrillic)")),
    ("sr-latn", _("Serbian (Latin)")),
    ("et", _("Estonian")),
    ("hu", _("Hungarian")),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True
FORMS_URLFIELD_ASSUME_HTTPS = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
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
WHITENOISE_USE_FINDERS = True
WHITENOISE_MANIFEST_STRICT = False

# Exports of the feedback list: up to this many rows stream at once; more run as a task that
# writes a file under EXPORT_DIR, kept EXPORT_KEEP_DAYS for its download link.
EXPORT_INLINE_MAX_ROWS = _int("KLIENTO_EXPORT_INLINE_MAX_ROWS", 100_000)
EXPORT_DIR = VAR_DIR / "exports"
EXPORT_KEEP_DAYS = 7

# Limits on what customers and clients may send.
MAX_FEEDBACK_TEXT = 10_000

LOG_LEVEL = _choice("KLIENTO_LOG_LEVEL", ("debug", "info", "warning", "error", "critical"),
                    "info").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # One line per task run drowns what matters; failures are still logged.
        "django_tasks": {"level": "WARNING"},
    },
}
