"""The production profile: DJANGO_SETTINGS_MODULE=newsdesk.production_settings.

Everything in newsdesk.settings, made fit for a server behind a TLS-terminating proxy: DEBUG
off, the secret, hosts, database and Redis from the environment (a missing one is an error
that names it, never a silent default), secure cookies and HSTS, static files collected
(collectstatic into STATIC_ROOT) and served by WhiteNoise, JSON logs. See docs/deployment.md.
"""

from __future__ import annotations

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from newsdesk.settings import *  # noqa: F403
from newsdesk.settings import NEWSDESK_HOME, _env_bool, _env_int, _env_list, logging_config


def _required(name: str, hint: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in production ({hint})")
    return value


DEBUG = False
SECRET_KEY = _required(
    "NEWSDESK_SECRET_KEY",
    "a long random string, the same on every machine of the desk; make one with "
    "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'",
)
ALLOWED_HOSTS = [
    host.strip()
    for host in _required(
        "NEWSDESK_ALLOWED_HOSTS", "the host names the site answers to, comma-separated"
    ).split(",")
    if host.strip()
]
CSRF_TRUSTED_ORIGINS = _env_list("NEWSDESK_CSRF_TRUSTED_ORIGINS", [])

DATABASES = {
    "default": dict(
        dj_database_url.parse(
            _required("DATABASE_URL", "e.g. postgres://newsdesk:PASSWORD@127.0.0.1:5432/newsdesk"),
            # gunicorn's workers are long-lived: keep connections, and check them before use.
            conn_max_age=_env_int("DATABASE_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    )
}
REDIS_URL = _required("REDIS_URL", "e.g. redis://127.0.0.1:6379/0; workers and web share it")

# --- HTTPS: TLS ends at the proxy in front (nginx, Caddy), which sets X-Forwarded-Proto. ---
if _env_bool("NEWSDESK_BEHIND_PROXY", True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = _env_bool("NEWSDESK_SSL_REDIRECT", True)
# Prometheus scrapes over the internal network, usually without TLS.
SECURE_REDIRECT_EXEMPT = [r"^metrics$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = _env_int("NEWSDESK_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("NEWSDESK_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = _env_bool("NEWSDESK_HSTS_PRELOAD", True)

# --- Static files: collected once per release, served compressed and cache-busted. ---
STATIC_ROOT = os.environ.get("NEWSDESK_STATIC_ROOT") or str(NEWSDESK_HOME / "static")
WHITENOISE_USE_FINDERS = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

NEWSDESK_LOG_FORMAT = os.environ.get("NEWSDESK_LOG_FORMAT", "json")
LOGGING = logging_config(
    NEWSDESK_LOG_FORMAT, os.environ.get("NEWSDESK_LOG_LEVEL", "INFO"), django_errors=True
)
