"""bench/extraction.py scores as the benchmark's own evaluate.py does, and runs on any data."""

from __future__ import annotations

import gzip
import importlib.util
import json
import logging
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = Path(__file__).parent / "body_pages"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_extraction", ROOT / "bench/extraction.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


def test_shingles_are_four_tokens_with_multiplicity(bench: ModuleType) -> None:
    assert bench.shingles("") == {}
    # Fewer than four tokens make one shorter shingle; punctuation is not a token.
    assert bench.shingles("Hello, world!") == {("Hello", "world"): 1}
    text = "a b c d a b c d"
    assert sum(bench.shingles(text).values()) == 5
    assert bench.shingles(text)[("a", "b", "c", "d")] == 2
    # Case is kept.
    assert bench.match("The Cat sat down", "the cat sat down") == (0, 1, 1)


def test_scores_follow_the_benchmark_edge_cases(bench: ModuleType) -> None:
    truth = "one two three four five six"
    same = bench.match(truth, truth)
    half = bench.match(truth, "one two three four")
    empty = bench.match(truth, "")
    assert same == (3, 0, 0)
    assert half == (1, 0, 2)
    assert (bench.page_precision(*half), bench.page_recall(*half)) == (1.0, pytest.approx(1 / 3))
    # An empty extraction is left out of the precision average and scores recall 0.
    score = bench.score([same, empty])
    assert (score.precision, score.recall) == (1.0, 0.5)
    assert score.f1 == pytest.approx(2 * 1.0 * 0.5 / 1.5)
    # Two empty texts agree: precision and recall 1 when there is nothing to miss.
    assert bench.page_precision(0, 0, 0) == bench.page_recall(0, 0, 0) == 1.0


def test_missing_data_says_so(
    bench: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert bench.main(["--data", str(tmp_path / "nowhere")]) == 2
    assert "no benchmark data at" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert bench.main(["--data", str(tmp_path / "empty")]) == 2
    assert "lacks ground-truth.json or html/" in capsys.readouterr().err


def test_a_run_ends_with_the_json_line(
    bench: ModuleType,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NEWSDESK_HOME", str(tmp_path / "home"))
    (tmp_path / "html").mkdir()
    truth: dict[str, dict[str, str]] = {}
    for name in ("related_in_article", "split_body"):
        html = (PAGES / f"{name}.html").read_bytes()
        (tmp_path / "html" / f"{name}.html.gz").write_bytes(gzip.compress(html))
        body = (PAGES / f"{name}.txt").read_text(encoding="utf-8")
        truth[name] = {"articleBody": body, "url": f"https://news.example/{name}"}
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    level = logging.getLogger("trafilatura").level
    try:
        assert bench.main(["--data", str(tmp_path)]) == 0
    finally:
        logging.getLogger("trafilatura").setLevel(level)
    last = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert set(last) == {"f1", "precision", "recall", "pages_per_s", "trafilatura_f1"}
    assert last["f1"] == last["precision"] == last["recall"] == 1.0
    assert last["pages_per_s"] > 0
