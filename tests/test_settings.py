"""Settings read from the environment: a bad value stops the start and names itself.

Each case starts a fresh Python process, as an operator's `kliento serve` would, because
settings are read once at import.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHOW = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({name: getattr(settings, name, None) for name in %r}, default=str))
"""


def start(tmp_path: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT),
             "DJANGO_SETTINGS_MODULE": "kliento.settings", "KLIENTO_VAR_DIR": str(tmp_path),
             **env}
    return subprocess.run([sys.executable, *args], env=clean, cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)


def settings_of(tmp_path: Path, env: dict[str, str], *names: str) -> dict[str, Any]:
    done = start(tmp_path, env, "-c", SHOW % (names,))
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def refused(tmp_path: Path, env: dict[str, str]) -> str:
    done = start(tmp_path, env, "-c", SHOW % (("DEBUG",),))
    assert done.returncode != 0, done.stdout
    assert "ImproperlyConfigured" in done.stderr
    return done.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize(("env", "named"), [
    ({"DEBUG": "flase"}, "DEBUG='flase'"),
    ({"DEBUG": "2"}, "DEBUG='2'"),
    ({"KLIENTO_ALLOW_PRIVATE_TARGETS": "sure"}, "KLIENTO_ALLOW_PRIVATE_TARGETS='sure'"),
    ({"KLIENTO_TASK_BACKEND": "celery"}, "KLIENTO_TASK_BACKEND='celery'"),
    ({"KLIENTO_LOG_LEVEL": "loud"}, "KLIENTO_LOG_LEVEL='loud'"),
    ({"KLIENTO_LOGIN_FAILURE_LIMIT": "five"}, "KLIENTO_LOGIN_FAILURE_LIMIT='five'"),
    ({"KLIENTO_LOGIN_FAILURE_LIMIT": "0"}, "KLIENTO_LOGIN_FAILURE_LIMIT='0'"),
    ({"KLIENTO_HSTS_SECONDS": "-1"}, "KLIENTO_HSTS_SECONDS='-1'"),
    ({"KLIENTO_WORKER_STALE_SECONDS": "a minute"}, "KLIENTO_WORKER_STALE_SECONDS='a minute'"),
    ({"KLIENTO_WORKER_HEARTBEAT_SECONDS": "0"}, "KLIENTO_WORKER_HEARTBEAT_SECONDS='0'"),
    ({"KLIENTO_SSL_REDIRECT": "maybe"}, "KLIENTO_SSL_REDIRECT='maybe'"),
    ({"KLIENTO_BASE_URL": "feedback.example.com"}, "KLIENTO_BASE_URL='feedback.example.com'"),
    ({"EMAIL_URL": "smtp://mail.example.com:25?timeout=soon"}, "EMAIL_URL"),
    ({"EMAIL_URL": "imap://mail.example.com"}, "EMAIL_URL"),
])
def test_a_malformed_value_stops_the_start_and_names_the_variable(tmp_path, env, named):
    assert named in refused(tmp_path, env)


def test_the_kliento_command_says_which_setting_is_wrong_in_one_line(tmp_path):
    done = start(tmp_path, {"KLIENTO_TASK_BACKEND": "celery"}, "-m", "kliento.cli", "check")
    assert done.returncode == 1
    assert done.stderr.strip() == ("kliento: KLIENTO_TASK_BACKEND='celery' is not valid: "
                                   "expected one of database, redis, immediate.")


def test_well_formed_values_are_read_in_any_case(tmp_path):
    got = settings_of(tmp_path, {"DEBUG": "Yes", "KLIENTO_TASK_BACKEND": "Immediate",
                                 "KLIENTO_LOG_LEVEL": "warning", "KLIENTO_HSTS_SECONDS": "60",
                                 "KLIENTO_LOGIN_FAILURE_LIMIT": "3",
                                 "KLIENTO_ALLOW_PRIVATE_TARGETS": "OFF", "REDIS_URL": ""},
                      "DEBUG", "TASK_BACKEND", "LOG_LEVEL", "SECURE_HSTS_SECONDS",
                      "AXES_FAILURE_LIMIT", "ALLOW_PRIVATE_TARGETS", "REDIS_URL")
    assert got == {"DEBUG": True, "TASK_BACKEND": "immediate", "LOG_LEVEL": "WARNING",
                   "SECURE_HSTS_SECONDS": 60, "AXES_FAILURE_LIMIT": 3,
                   "ALLOW_PRIVATE_TARGETS": False, "REDIS_URL": ""}


def test_secrets_are_read_from_files(tmp_path):
    key = secrets.token_urlsafe(50)
    files = {
        "KLIENTO_SECRET_KEY_FILE": key + "\n",
        "DATABASE_URL_FILE": "postgres://kliento:p%40ss@db.internal:5432/kliento\n",
        "EMAIL_URL_FILE": "smtp://mailer:s3cret@smtp.example.com:587?tls=1\n",
        "REDIS_URL_FILE": "redis://:hunter2@redis.internal:6379/3",
    }
    env = {}
    for name, text in files.items():
        (tmp_path / name).write_text(text)
        env[name] = str(tmp_path / name)
    got = settings_of(tmp_path, env, "SECRET_KEY", "DATABASES", "EMAIL_HOST",
                      "EMAIL_HOST_PASSWORD", "REDIS_URL", "TASK_BACKEND")
    assert got["SECRET_KEY"] == key
    db = got["DATABASES"]["default"]
    assert (db["ENGINE"], db["HOST"], db["PASSWORD"]) == (
        "django.db.backends.postgresql", "db.internal", "p@ss")
    assert (got["EMAIL_HOST"], got["EMAIL_HOST_PASSWORD"]) == ("smtp.example.com", "s3cret")
    assert (got["REDIS_URL"], got["TASK_BACKEND"]) == ("redis://:hunter2@redis.internal:6379/3",
                                                       "redis")
    assert not (tmp_path / "secret_key").exists()  # no key generated beside the given one


@pytest.mark.parametrize("name", ["KLIENTO_SECRET_KEY", "DATABASE_URL", "EMAIL_URL",
                                  "REDIS_URL"])
def test_a_secret_given_twice_or_from_a_missing_file_is_refused(tmp_path, name):
    (tmp_path / "secret").write_text("x" * 60)
    both = refused(tmp_path, {name: "x" * 60, f"{name}_FILE": str(tmp_path / "secret")})
    assert f"{name} or {name}_FILE" in both
    missing = refused(tmp_path, {f"{name}_FILE": str(tmp_path / "nowhere")})
    assert f"{name}_FILE=" in missing and "nowhere" in missing


SECURITY = ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT",
            "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
            "SECURE_PROXY_SSL_HEADER", "CSRF_TRUSTED_ORIGINS")


def test_an_https_base_url_turns_on_secure_cookies_redirects_and_hsts(tmp_path):
    got = settings_of(tmp_path, {"KLIENTO_BASE_URL": "https://feedback.example.com/"}, *SECURITY)
    assert got == {"SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True,
                   "SECURE_SSL_REDIRECT": True, "SECURE_HSTS_SECONDS": 31_536_000,
                   "SECURE_HSTS_INCLUDE_SUBDOMAINS": True, "SECURE_HSTS_PRELOAD": False,
                   "SECURE_PROXY_SSL_HEADER": None,
                   "CSRF_TRUSTED_ORIGINS": ["https://feedback.example.com"]}


def test_behind_a_proxy_the_forwarded_scheme_is_trusted_only_when_said_so(tmp_path):
    got = settings_of(tmp_path, {"KLIENTO_BASE_URL": "https://feedback.example.com",
                                 "KLIENTO_BEHIND_PROXY": "yes", "KLIENTO_SSL_REDIRECT": "off",
                                 "KLIENTO_HSTS_SECONDS": "0", "KLIENTO_HSTS_PRELOAD": "on",
                                 "KLIENTO_HSTS_INCLUDE_SUBDOMAINS": "no"}, *SECURITY)
    assert got["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert (got["SECURE_SSL_REDIRECT"], got["SECURE_HSTS_SECONDS"]) == (False, 0)
    assert (got["SECURE_HSTS_PRELOAD"], got["SECURE_HSTS_INCLUDE_SUBDOMAINS"]) == (True, False)


def test_plain_http_keeps_cookies_usable_and_sends_no_hsts(tmp_path):
    got = settings_of(tmp_path, {"KLIENTO_BASE_URL": "http://127.0.0.1:8000"}, *SECURITY)
    assert (got["SESSION_COOKIE_SECURE"], got["SECURE_SSL_REDIRECT"],
            got["SECURE_HSTS_SECONDS"]) == (False, False, 0)


PRODUCTION = {"KLIENTO_BASE_URL": "https://feedback.example.com",
              "KLIENTO_ALLOWED_HOSTS": "feedback.example.com"}


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    (tmp_path / "key").write_text(secrets.token_urlsafe(64) + "\n")
    env = {**PRODUCTION, "KLIENTO_SECRET_KEY_FILE": str(tmp_path / "key")}
    done = start(tmp_path, env, "-m", "kliento.cli", "check", "--deploy",
                 "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr
    # The same check does fail when production is configured carelessly.
    careless = start(tmp_path, {**env, "DEBUG": "on", "KLIENTO_HSTS_SECONDS": "0"},
                     "-m", "kliento.cli", "check", "--deploy", "--fail-level", "WARNING")
    assert careless.returncode != 0
    assert "security.W018" in careless.stderr and "security.W004" in careless.stderr
