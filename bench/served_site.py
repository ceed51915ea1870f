"""The loopback bench site (ingest_site.py), in a process of its own, while a run needs it."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent


@contextmanager
def served_site(data: Path, pages: int, outlets: int) -> Iterator[tuple[dict[str, Any], Path]]:
    """Serve `pages` corpus pages on `outlets` ports; yield the site's description and its file.

    The description (ports, feeds, page count, HTML bytes) is written to a temporary JSON file
    for the measured run's process; the server stops when its stdin closes.
    """
    server = subprocess.Popen(
        [
            sys.executable,
            str(BENCH / "ingest_site.py"),
            "--data",
            str(data),
            "--pages",
            str(pages),
            "--outlets",
            str(outlets),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        if not line:
            raise SystemExit(f"the bench server did not start (exit status {server.wait()})")
        site = json.loads(line)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as described:
            json.dump(site, described)
        site_file = Path(described.name)
        try:
            yield site, site_file
        finally:
            site_file.unlink(missing_ok=True)
    finally:
        if server.stdin:
            server.stdin.close()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
