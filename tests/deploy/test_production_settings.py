"""The production profile: `check --deploy` passes clean, a missing secret is named, and the
documented steps (migrate, collectstatic, gunicorn) serve the site over a real socket."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.metrics.metrics_text import parse
from tests.processes import free_port

PROFILE = "newsdesk.production_settings"


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
    env.update(
        DJANGO_SETTINGS_MODULE=PROFILE,
        NEWSDESK_HOME=str(tmp_path / "home"),
        NEWSDESK_SECRET_KEY=secrets.token_urlsafe(50),
        NEWSDESK_ALLOWED_HOSTS="news.example.org,127.0.0.1",
        NEWSDESK_STATIC_ROOT=str(tmp_path / "static"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'desk.sqlite3'}",
        # Never contacted by these commands; the profile only insists that it is set.
        REDIS_URL="redis://127.0.0.1:6379/5",
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v != ""}


def django_admin(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "django", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_check_deploy_is_clean(tmp_path: Path) -> None:
    checked = django_admin(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "System check identified no issues (0 silenced)." in checked.stdout
    assert "WARNINGS" not in checked.stderr


def test_check_deploy_flags_what_an_operator_turned_off(tmp_path: Path) -> None:
    env = production_env(tmp_path, NEWSDESK_SSL_REDIRECT="false", NEWSDESK_HSTS_SECONDS="0")
    checked = django_admin(env, "check", "--deploy", "--fail-level", "WARNING")
    assert checked.returncode != 0
    assert "security.W008" in checked.stderr and "security.W004" in checked.stderr


@pytest.mark.parametrize(
    "missing", ["NEWSDESK_SECRET_KEY", "NEWSDESK_ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"]
)
def test_a_missing_setting_is_named(tmp_path: Path, missing: str) -> None:
    checked = django_admin(production_env(tmp_path, **{missing: ""}), "check", "--deploy")
    assert checked.returncode != 0
    last = checked.stderr.strip().splitlines()[-1]
    assert last.startswith(f"django.core.exceptions.ImproperlyConfigured: {missing} must be set")


@pytest.fixture
def gunicorn_site(tmp_path: Path) -> Iterator[str]:
    """The deployment steps of docs/deployment.md, on SQLite: migrate, collectstatic, gunicorn."""
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    if gunicorn is None:
        pytest.skip("GUNICORN TEST SKIPPED: install the [web] extra (pip install -e '.[web]')")
    env = production_env(tmp_path)
    for step in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        done = django_admin(env, *step)
        assert done.returncode == 0, done.stderr
    port = free_port()
    server = subprocess.Popen(
        [gunicorn, "newsdesk.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/metrics", timeout=2)
                break
            except httpx.TransportError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"gunicorn did not start: {server.stderr}") from None
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_gunicorn_serves_the_production_site(gunicorn_site: str, tmp_path: Path) -> None:
    proxied = {"X-Forwarded-Proto": "https"}
    # Plain HTTP to the site is sent to HTTPS; through the TLS proxy it is served, with HSTS.
    plain = httpx.get(gunicorn_site + "/", headers={"Host": "news.example.org"})
    assert plain.status_code == 301
    assert plain.headers["Location"] == "https://news.example.org/"
    home = httpx.get(gunicorn_site + "/", headers={**proxied, "Host": "news.example.org"})
    assert home.status_code == 200
    assert home.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    # The stylesheet under its collected, hashed name, served by WhiteNoise for a year.
    css = next(part.split('"')[0] for part in home.text.split('href="')[1:] if ".css" in part)
    assert css.startswith("/static/site/site.") and css != "/static/site/site.css"
    static = httpx.get(gunicorn_site + css, headers={**proxied, "Host": "news.example.org"})
    assert static.status_code == 200
    assert "max-age=315360000" in static.headers["Cache-Control"]
    assert (tmp_path / "static" / css.removeprefix("/static/")).exists()
    # An unknown host is refused.
    assert (
        httpx.get(gunicorn_site + "/", headers={**proxied, "Host": "evil.test"}).status_code == 400
    )
    # Prometheus scrapes plain HTTP on the inside network.
    metrics = httpx.get(gunicorn_site + "/metrics")
    assert metrics.status_code == 200
    assert parse(metrics.text).value("newsdesk_reports_fetched") == 0
