from __future__ import annotations

from collections.abc import Iterator

import pytest

from newsdesk.demo.corpus import Corpus, load_corpus
from newsdesk.demo.server import DemoServer


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return load_corpus()


@pytest.fixture
def demo_outlets() -> Iterator[str]:
    server = DemoServer(host="127.0.0.1", port=0)
    base_url = server.start()
    try:
        yield base_url
    finally:
        server.stop()
