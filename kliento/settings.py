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
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# ./var holds what one installation keeps on disk: the SQLite file, the generated secret key.
VAR_DIR = Path(os.environ.get("KLIENTO_VAR_DIR") or Path.cwd() / "var").resolve()


def _secret_key() -> str:
    configured = os.environ.get("KLIENTO_SECRET_KEY")
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
BASE_URL = os.environ.get("KLIENTO_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
ALLOW_PRIVATE_TARGETS = _flag("KLIENTO_ALLOW_PRIVATE_TARGETS")
REDIS_URL = os.environ.get("REDIS_URL", "")

_base_host = urlsplit(BASE_URL).hostname or "127.0.0.1"
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("KLIENTO_ALLOWED_HOSTS", f"{_base_host},127.0.0.1,localhost").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [BASE_URL]
SESSION_COOKIE_SECURE = BASE_URL.startswith("https://")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

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
    "kliento.core",
    "kliento.customers",
    "kliento.conversations",
    "kliento.feedback",
    "kliento.surveys",
    "kliento.alerts",
    "kliento.recovery",
    "kliento.web",
]
if REDIS_URL:
    INSTALLED_APPS += ["django_rq"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
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
        os.environ.get("DATABASE_URL") or _default_sqlite, conn_max_age=60
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
TASK_BACKEND = os.environ.get("KLIENTO_TASK_BACKEND") or ("redis" if REDIS_URL else "database")
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
    ("kliento.recovery.jobs.check_slas", 30.0),
    ("kliento.recovery.jobs.check_promises", 60.0),
    ("kliento.loop.send_follow_ups", 60.0),
]
WORKER_HEARTBEAT_SECONDS = float(os.environ.get("KLIENTO_WORKER_HEARTBEAT_SECONDS", "10"))
# /healthz reports unhealthy when the newest heartbeat is older than this.
WORKER_STALE_SECONDS = float(os.environ.get("KLIENTO_WORKER_STALE_SECONDS", "60"))


def _email_settings(url: str) -> dict[str, object]:
    """EMAIL_URL like smtp://user:pass@host:587?tls=1 (or ssl=1) → Django e-mail settings."""
    if not url:
        return {"EMAIL_BACKEND": "kliento.core.mail.KeepInLogBackend"}
    parts = urlsplit(url)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    if parts.scheme not in {"smtp", "smtps"}:
        raise ValueError(f"EMAIL_URL: unsupported scheme {parts.scheme!r}; use smtp:// or smtps://")
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": query.get("tls") in {"1", "true", "yes"},
        "EMAIL_USE_SSL": parts.scheme == "smtps" or query.get("ssl") in {"1", "true", "yes"},
        "EMAIL_TIMEOUT": int(query.get("timeout", "20")),
    }


EMAIL_URL = os.environ.get("EMAIL_URL", "")
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
AXES_FAILURE_LIMIT = int(os.environ.get("KLIENTO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours: a locked account may try again after 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

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

# Limits on what customers and clients may send.
MAX_FEEDBACK_TEXT = 10_000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KLIENTO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # One line per task run drowns what matters; failures are still logged.
        "django_tasks": {"level": "WARNING"},
    },
}
