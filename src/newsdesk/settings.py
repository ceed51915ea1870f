"""Django settings, read from environment variables (documented in the README)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

from newsdesk.home import newsdesk_home


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ValueError(f"{name} must be an integer, got {value!r}") from exc


def _cpus() -> int:
    # The CPUs this process may run on (a container's share), not the machine's count.
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent
NEWSDESK_HOME = newsdesk_home()
MEDIA_ROOT = NEWSDESK_HOME / "media"
MEDIA_URL = "/media/"
STATIC_URL = "/static/"
# Only a deployment that runs collectstatic needs this; the embedded desk serves from the package.
STATIC_ROOT = os.environ.get("NEWSDESK_STATIC_ROOT") or None
# The embedded desk serves static files from the package itself, with no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False

DEBUG = _env_bool("NEWSDESK_DEBUG", False)
# An embedded desk needs no configuration; a deployment sets NEWSDESK_SECRET_KEY.
SECRET_KEY = os.environ.get("NEWSDESK_SECRET_KEY") or secrets.token_urlsafe(50)
ALLOWED_HOSTS = _env_list("NEWSDESK_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "newsdesk.sources",
    "newsdesk.reports",
    "newsdesk.stories",
    "newsdesk.writing",
    "newsdesk.tagging",
    "newsdesk.publishing",
    "newsdesk.trends",
    "newsdesk.site",
    "newsdesk.pipeline",
    "newsdesk.tasks",
    "newsdesk.demo",
    "newsdesk.metrics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "newsdesk.urls"
WSGI_APPLICATION = "newsdesk.wsgi.application"

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
                "newsdesk.site.context.site_settings",
            ],
        },
    },
]


def _database() -> dict[str, object]:
    url = os.environ.get("DATABASE_URL")
    if url:
        # Persistent connections pay off under a pooled WSGI server; threads that come and go
        # (the embedded server) would leak them, so they are opt-in.
        max_age = _env_int("DATABASE_CONN_MAX_AGE", 0)
        return dict(dj_database_url.parse(url, conn_max_age=max_age))
    # SQLite cannot create its folder; a first run on a new machine must just work.
    NEWSDESK_HOME.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(NEWSDESK_HOME / "newsdesk.sqlite3"),
        # A file, not memory, so that servers the tests start in other threads see the data.
        "TEST": {"NAME": str(NEWSDESK_HOME / "test-newsdesk.sqlite3")},
        # WAL lets the site read while the pipeline writes; the timeout rides out short locks.
        "OPTIONS": {
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = os.environ.get("NEWSDESK_LANGUAGE", "en")
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

LOG_FORMATS = {
    "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    # One JSON object per line (time, level, logger, message and extra fields): see jsonlog.
    "json": {"()": "newsdesk.jsonlog.JsonFormatter"},
}


def logging_config(
    log_format: str, level: str, *, django_errors: bool = False
) -> dict[str, object]:
    """newsdesk's loggers in the chosen format; with `django_errors`, Django's errors too.

    The embedded desk leaves Django's own logging as it is (quiet unless DEBUG); a deployment
    wants a failing request in its logs, in the same format.
    """
    if log_format not in LOG_FORMATS:
        known = ", ".join(sorted(LOG_FORMATS))
        raise ValueError(f"NEWSDESK_LOG_FORMAT must be one of {known}, got {log_format!r}")
    loggers: dict[str, object] = {
        "newsdesk": {"handlers": ["console"], "level": level},
        # A worker's own messages (a task that failed, with its traceback), in the same format.
        "celery": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    }
    if django_errors:
        loggers["django"] = {"handlers": ["console"], "level": "ERROR", "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {log_format: LOG_FORMATS[log_format]},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": log_format}},
        "loggers": loggers,
    }


# Plain text for a terminal; json for a log shipper (the production profile's default).
NEWSDESK_LOG_FORMAT = os.environ.get("NEWSDESK_LOG_FORMAT", "plain")
LOGGING = logging_config(NEWSDESK_LOG_FORMAT, os.environ.get("NEWSDESK_LOG_LEVEL", "WARNING"))

# --- newsdesk's own settings -------------------------------------------------------------
NEWSDESK_SITE_NAME = os.environ.get("NEWSDESK_SITE_NAME", "Newsdesk")
NEWSDESK_BYLINE = os.environ.get("NEWSDESK_BYLINE", "Newsdesk")
NEWSDESK_SITE_LANGUAGE = LANGUAGE_CODE
NEWSDESK_POLL_INTERVAL = _env_int("NEWSDESK_POLL_INTERVAL", 900)
NEWSDESK_CONTACT_URL = os.environ.get("NEWSDESK_CONTACT_URL", "https://github.com/newsdesk")
NEWSDESK_USER_AGENT = f"newsdesk/0.1 (+{NEWSDESK_CONTACT_URL})"
NEWSDESK_FETCH_CONNECT_TIMEOUT = float(os.environ.get("NEWSDESK_FETCH_CONNECT_TIMEOUT", "5"))
NEWSDESK_FETCH_READ_TIMEOUT = float(os.environ.get("NEWSDESK_FETCH_READ_TIMEOUT", "10"))
NEWSDESK_FETCH_TOTAL_TIMEOUT = float(os.environ.get("NEWSDESK_FETCH_TOTAL_TIMEOUT", "30"))
NEWSDESK_FETCH_MAX_BYTES = _env_int("NEWSDESK_FETCH_MAX_BYTES", 5 * 1024 * 1024)
NEWSDESK_FETCH_MAX_REDIRECTS = _env_int("NEWSDESK_FETCH_MAX_REDIRECTS", 5)
NEWSDESK_FETCH_MAX_ATTEMPTS = _env_int("NEWSDESK_FETCH_MAX_ATTEMPTS", 3)
# A compressed body that inflates more than this many times over is a bomb, not a page.
NEWSDESK_FETCH_MAX_INFLATE_RATIO = _env_int("NEWSDESK_FETCH_MAX_INFLATE_RATIO", 100)
# Politeness: requests in flight overall and per host, and the least gap between two requests
# to one host (robots.txt's Crawl-delay wins when it asks for more).
NEWSDESK_FETCH_CONCURRENCY = _env_int("NEWSDESK_FETCH_CONCURRENCY", 16)
NEWSDESK_FETCH_PER_HOST = _env_int("NEWSDESK_FETCH_PER_HOST", 2)
NEWSDESK_FETCH_HOST_DELAY = float(os.environ.get("NEWSDESK_FETCH_HOST_DELAY", "1.0"))
# Processes extracting fetched pages beside the main thread (0: the main thread alone). The
# default leaves one CPU to the main thread and the fetcher; a single CPU gets none.
NEWSDESK_EXTRACT_WORKERS = _env_int("NEWSDESK_EXTRACT_WORKERS", max(0, min(4, _cpus() - 1)))
NEWSDESK_ROBOTS_TTL = _env_int("NEWSDESK_ROBOTS_TTL", 24 * 3600)
# Safety: private, loopback and link-local addresses are refused unless listed here
# (addresses or networks, e.g. "127.0.0.1" or "10.0.0.0/8").
NEWSDESK_FETCH_ALLOWED_ADDRESSES = _env_list("NEWSDESK_FETCH_ALLOWED_ADDRESSES", [])
# Source health: pause a source after this many failures in a row; probe paused ones this often.
NEWSDESK_SOURCE_PAUSE_AFTER = _env_int("NEWSDESK_SOURCE_PAUSE_AFTER", 10)
NEWSDESK_SOURCE_PROBE_HOURS = float(os.environ.get("NEWSDESK_SOURCE_PROBE_HOURS", "24"))
# Discovery bounds, so adding a big site does not enqueue its archive: sitemap URLs older than
# this many hours are skipped; undated sitemap URLs, URLs recorded per feed and pass, and child
# sitemaps followed from an index per pass are capped.
NEWSDESK_DISCOVER_MAX_AGE_HOURS = float(os.environ.get("NEWSDESK_DISCOVER_MAX_AGE_HOURS", "72"))
NEWSDESK_DISCOVER_MAX_UNDATED = _env_int("NEWSDESK_DISCOVER_MAX_UNDATED", 100)
NEWSDESK_DISCOVER_MAX_URLS = _env_int("NEWSDESK_DISCOVER_MAX_URLS", 1000)
NEWSDESK_DISCOVER_MAX_SITEMAPS = _env_int("NEWSDESK_DISCOVER_MAX_SITEMAPS", 5)
NEWSDESK_IMAGES_PER_REPORT = _env_int("NEWSDESK_IMAGES_PER_REPORT", 2)
# Largest image downloaded (bytes); a report's images are fetched after its page, by a stage of
# their own.
NEWSDESK_IMAGE_MAX_BYTES = _env_int("NEWSDESK_IMAGE_MAX_BYTES", 10 * 1024 * 1024)
# Clustering: a report joins the story whose reports it resembles most on average, if that is
# at least the threshold (short, headline-only reports: cosine to the story's centroid); two
# stories whose members are that alike on average merge. Candidates come from this window.
NEWSDESK_CLUSTER_THRESHOLD = float(os.environ.get("NEWSDESK_CLUSTER_THRESHOLD", "0.2"))
NEWSDESK_CLUSTER_SHORT_THRESHOLD = float(os.environ.get("NEWSDESK_CLUSTER_SHORT_THRESHOLD", "0.15"))
# Stories compared after a headline-only report: their centroids' cosine.
NEWSDESK_CLUSTER_SHORT_MERGE_THRESHOLD = float(
    os.environ.get("NEWSDESK_CLUSTER_SHORT_MERGE_THRESHOLD", "0.25")
)
NEWSDESK_CLUSTER_MERGE_THRESHOLD = float(os.environ.get("NEWSDESK_CLUSTER_MERGE_THRESHOLD", "0.3"))
# Share of the score given to names and numbers (the rest to all words).
NEWSDESK_CLUSTER_ENTITY_WEIGHT = float(os.environ.get("NEWSDESK_CLUSTER_ENTITY_WEIGHT", "0.85"))
# Hours outside a story's span that halve a report's fit to it; for headlines (reports and
# stories without a body), the hours that divide it by e (see stories.scoring).
NEWSDESK_CLUSTER_TIME_SCALE_HOURS = float(os.environ.get("NEWSDESK_CLUSTER_TIME_SCALE_HOURS", "48"))
NEWSDESK_CLUSTER_SHORT_TIME_SCALE_HOURS = float(
    os.environ.get("NEWSDESK_CLUSTER_SHORT_TIME_SCALE_HOURS", "12")
)
NEWSDESK_CLUSTER_WINDOW_HOURS = _env_int("NEWSDESK_CLUSTER_WINDOW_HOURS", 96)
NEWSDESK_CLUSTER_EMBEDDINGS = _env_bool("NEWSDESK_CLUSTER_EMBEDDINGS", False)
NEWSDESK_CLUSTER_EMBEDDINGS_MODEL = os.environ.get("NEWSDESK_CLUSTER_EMBEDDINGS_MODEL", "")
# Share of the score given to the dense embeddings, when they are on.
NEWSDESK_CLUSTER_DENSE_WEIGHT = float(os.environ.get("NEWSDESK_CLUSTER_DENSE_WEIGHT", "0.5"))
# Publishing threshold: reports and independent outlets a story needs before it is published.
NEWSDESK_PUBLISH_MIN_REPORTS = _env_int("NEWSDESK_PUBLISH_MIN_REPORTS", 1)
NEWSDESK_PUBLISH_MIN_OUTLETS = _env_int("NEWSDESK_PUBLISH_MIN_OUTLETS", 1)
# The writer reads at most this many of a story's reports (writing.working_set); 0: all.
NEWSDESK_WRITE_MAX_REPORTS = _env_int("NEWSDESK_WRITE_MAX_REPORTS", 24)
NEWSDESK_TRENDS_HALF_LIFE_HOURS = float(os.environ.get("NEWSDESK_TRENDS_HALF_LIFE_HOURS", "6"))
NEWSDESK_PAGE_SIZE = _env_int("NEWSDESK_PAGE_SIZE", 20)
# /metrics (Prometheus): open unless this token is set, then for `Authorization: Bearer <token>`.
NEWSDESK_METRICS_TOKEN = os.environ.get("NEWSDESK_METRICS_TOKEN", "")

# --- The optional model writer (any OpenAI-compatible endpoint; see writing/llm) ----------
# Without a base URL and a model, articles are written by the extractive writer.
NEWSDESK_LLM_BASE_URL = os.environ.get("NEWSDESK_LLM_BASE_URL", "")
NEWSDESK_LLM_MODEL = os.environ.get("NEWSDESK_LLM_MODEL", "")
NEWSDESK_LLM_API_KEY = os.environ.get("NEWSDESK_LLM_API_KEY", "")
NEWSDESK_LLM_CONNECT_TIMEOUT = float(os.environ.get("NEWSDESK_LLM_CONNECT_TIMEOUT", "5"))
# Seconds for one request, the whole answer included.
NEWSDESK_LLM_TIMEOUT = float(os.environ.get("NEWSDESK_LLM_TIMEOUT", "120"))
NEWSDESK_LLM_MAX_TOKENS = _env_int("NEWSDESK_LLM_MAX_TOKENS", 1500)
# Budget of one article (its translations included): tokens in and out, and seconds.
NEWSDESK_LLM_TOKEN_BUDGET = _env_int("NEWSDESK_LLM_TOKEN_BUDGET", 16000)
NEWSDESK_LLM_TIME_BUDGET = float(os.environ.get("NEWSDESK_LLM_TIME_BUDGET", "300"))
NEWSDESK_LLM_RESPONSE_FORMAT = os.environ.get("NEWSDESK_LLM_RESPONSE_FORMAT", "json_schema")
NEWSDESK_LLM_TEMPERATURE = float(os.environ.get("NEWSDESK_LLM_TEMPERATURE", "0.2"))
NEWSDESK_LLM_MAX_PASSAGES = _env_int("NEWSDESK_LLM_MAX_PASSAGES", 30)
# The model's article is refused (extractive fallback) when the faithfulness gate drops more
# than this share of its sentences, or keeps fewer than NEWSDESK_LLM_MIN_SENTENCES.
NEWSDESK_LLM_MAX_DROPPED = float(os.environ.get("NEWSDESK_LLM_MAX_DROPPED", "0.34"))
NEWSDESK_LLM_MIN_SENTENCES = _env_int("NEWSDESK_LLM_MIN_SENTENCES", 3)
# Reports in another language than the site's are translated by the same backend.
NEWSDESK_LLM_TRANSLATE = _env_bool("NEWSDESK_LLM_TRANSLATE", True)
# "article": one JSON article per story. "units": the model restates the extractive article
# part by part (headline, summary, one paragraph at a time), each part gated on its own and
# kept extractive where it fails: what a small model can do.
NEWSDESK_LLM_MODE = os.environ.get("NEWSDESK_LLM_MODE", "article")
# Parts asked for per article in "units" mode.
NEWSDESK_LLM_MAX_UNITS = _env_int("NEWSDESK_LLM_MAX_UNITS", 12)
# Off for chat formats without a system turn (Gemma on llama.cpp drops the system message):
# the instructions are then sent at the top of the user's message.
NEWSDESK_LLM_SYSTEM_ROLE = _env_bool("NEWSDESK_LLM_SYSTEM_ROLE", True)
# "units" mode with a base model (no chat tuning): "completion" continues a worked example
# through POST /completions instead of following chat instructions.
NEWSDESK_LLM_PROMPT_STYLE = os.environ.get("NEWSDESK_LLM_PROMPT_STYLE", "chat")

# --- Beyond one machine: Redis and Celery workers (see newsdesk.tasks, docs/deployment.md) ---
# Without REDIS_URL the desk runs embedded: each stage's task runs inline, in-process.
REDIS_URL = os.environ.get("REDIS_URL", "")
# One Celery queue per pipeline stage, in the order workers take from them (upstream first;
# the serial cluster step before images, so that other workers download images meanwhile).
NEWSDESK_QUEUES = [
    "discover",
    "fetch",
    "extract",
    "cluster",
    "images",
    "write",
    "publish",
    "trends",
]
