"""`newsdesk demo` as a user runs it: ingest, then serve the site and say where."""

from __future__ import annotations

import re
import signal
import subprocess
import time
from pathlib import Path

import httpx

from tests.processes import free_port, start_newsdesk


def test_demo_ingests_then_serves_the_site(tmp_path: Path) -> None:
    site_port, source_port = free_port(), free_port()
    demo = start_newsdesk(
        tmp_path,
        "demo",
        "--port",
        str(site_port),
        "--source-port",
        str(source_port),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        assert demo.stderr is not None
        deadline = time.monotonic() + 120
        url = None
        while url is None and time.monotonic() < deadline:
            line = demo.stderr.readline()
            if not line and demo.poll() is not None:
                break
            found = re.search(r"news site is at (http://\S+)", line)
            url = found.group(1) if found else None
        assert url == f"http://127.0.0.1:{site_port}/"
        home = httpx.get(url, timeout=10)
        assert home.status_code == 200
        article = re.search(r'href="(/article/[^"]+)"', home.text)
        assert article is not None
        page = httpx.get(url.rstrip("/") + article.group(1), timeout=10)
        assert page.status_code == 200 and "Refs:" in page.text
        image = re.search(r'src="(/media/[^"]+)"', page.text)
        assert image is not None
        assert httpx.get(url.rstrip("/") + image.group(1), timeout=10).status_code == 200
        css = re.search(r'href="(/static/[^"]+\.css)"', page.text)
        assert css is not None
        assert httpx.get(url.rstrip("/") + css.group(1), timeout=10).status_code == 200
    finally:
        demo.send_signal(signal.SIGINT)
        try:
            demo.wait(timeout=20)
        except subprocess.TimeoutExpired:
            demo.kill()
