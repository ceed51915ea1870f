"""bench/writing.py judges support with its own check, not the gate's code judging itself."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from newsdesk.writing.writer import write_article
from tests.writing.stories import REPORTS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_writing", ROOT / "bench/writing.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


SOURCE = (
    'Governor Anna Petrov said nine people had died in Orlen. "We lost everything in twenty '
    'minutes," said Mara Ilves, a baker.'
)


def test_the_check_does_not_use_the_gate(bench: ModuleType) -> None:
    text = (ROOT / "bench/writing.py").read_text(encoding="utf-8")
    assert "writing.gate" not in text


def test_supported_sentence_passes(bench: ModuleType) -> None:
    assert (
        bench.unsupported_claims("Nine people died in Orlen, Governor Petrov said.", [SOURCE]) == []
    )
    assert bench.unsupported_claims("Petrov's office said 9 people died.", [SOURCE]) == []


def test_invented_name_figure_and_altered_quote_are_caught(bench: ModuleType) -> None:
    problems = bench.unsupported_claims(
        'Troops entered the Golan Heights, killing 212. "We lost our homes in ten minutes," '
        "said Mara Ilves.",
        [SOURCE],
    )
    assert "name: Golan" in problems and "name: Heights" in problems
    assert "figure: 212" in problems
    assert any(p.startswith("quote:") for p in problems)
    assert (
        bench.altered_quote_count('"We lost everything in ten minutes," she said.', [SOURCE]) == 1
    )


def test_extractive_article_scores_fully_supported(bench: ModuleType) -> None:
    row = bench.score(write_article(REPORTS, "en"), REPORTS)
    assert row["sentences"] and row["supported"] == row["sentences"]
    assert row["altered_quotes"] == 0 and row["model_sentences"] == 0
