"""Extraction benchmark: our article text against plain trafilatura, on Zyte's benchmark pages.

    .venv/bin/python bench/extraction.py --data ../shared/data/extraction/aeb

The data is the article-extraction benchmark of Zyte (scrapinghub/article-extraction-benchmark):
181 article pages as html/<sha256>.html.gz and ground-truth.json mapping each sha256 to
{"articleBody", "url"}.

Extractors, in the same run and on the same pages:
- newsdesk: `extract_page(content, url).text`, what a report stores (page bytes in: our own
  charset detection is part of it). A page it refuses (Unextractable) counts as an empty text.
- trafilatura: `trafilatura.extract(html, include_comments=False)`, the call the benchmark's
  own runner (extractors/run_trafilatura.py) makes, given the page decoded as UTF-8 as that
  runner reads it. It is the call behind the published F1 (0.958 for trafilatura 2.0).
- trafilatura-defaults (shown, not in the JSON line): `trafilatura.extract(html)`, all
  defaults, which keeps reader comments.

Scoring is the benchmark's own (its evaluate.py), edge cases included:
- a text's tokens are the matches of `\\w+`, case kept; its shingles are the runs of 4
  consecutive tokens, counted with multiplicity (a text of 1 to 3 tokens is one shorter
  shingle, an empty text has none);
- per page: tp = size of the multiset intersection of the two shingle bags, fp = extracted
  shingles beyond it, fn = ground-truth shingles beyond it; precision = tp/(tp+fp) and
  recall = tp/(tp+fn), both 1 when fp = fn = 0 (identical texts);
- an empty extraction (tp + fp = 0) is left out of the precision average and scores recall 0;
  an empty ground truth (tp + fn = 0; none of the 181 pages has one) is left out of the recall
  average;
- precision and recall are each averaged over the pages, and F1 is taken from the two averages.

pages/s is the number of pages over the time spent in the extraction call alone (reading and
gunzipping the files is not counted), after one untimed warm-up page per extractor; the
extractors take turns page by page, so a busy machine slows them alike. "F1 even"
and "F1 odd" score the pages at even and odd positions of the sorted sha256 list, to show
whether a choice holds on both halves.

The last line is JSON: {"f1", "precision", "recall", "pages_per_s", "trafilatura_f1"}.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

TOKEN = re.compile(r"\w+")
SHINGLE = 4


class BenchDataError(Exception):
    """The benchmark data is missing or not what this script reads."""


@dataclass(frozen=True)
class Page:
    key: str
    url: str
    html: bytes
    truth: str


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass(frozen=True)
class Run:
    name: str
    texts: dict[str, str]
    seconds: float

    def pages_per_s(self) -> float:
        return len(self.texts) / self.seconds if self.seconds else 0.0


def shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    return Counter(tuple(tokens[i : i + SHINGLE]) for i in range(max(1, len(tokens) - SHINGLE + 1)))


def match(truth: str, extracted: str) -> tuple[int, int, int]:
    """tp, fp, fn over the two texts' shingle bags."""
    true_bag, extracted_bag = shingles(truth), shingles(extracted)
    tp = sum((true_bag & extracted_bag).values())
    return tp, sum(extracted_bag.values()) - tp, sum(true_bag.values()) - tp


def page_precision(tp: int, fp: int, fn: int) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fp) if tp + fp else 0.0


def page_recall(tp: int, fp: int, fn: int) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fn) if tp + fn else 0.0


def score(counts: Sequence[tuple[int, int, int]]) -> Score:
    precisions = [page_precision(*c) for c in counts if c[0] + c[1] > 0]
    recalls = [page_recall(*c) for c in counts if c[0] + c[2] > 0]
    return Score(
        precision=sum(precisions) / len(precisions) if precisions else 0.0,
        recall=sum(recalls) / len(recalls) if recalls else 0.0,
    )


def load_pages(data: Path, limit: int | None = None) -> list[Page]:
    truth_file, html_dir = data / "ground-truth.json", data / "html"
    if not data.is_dir():
        raise BenchDataError(f"no benchmark data at {data} (expected the aeb folder)")
    if not truth_file.is_file() or not html_dir.is_dir():
        raise BenchDataError(f"{data} lacks ground-truth.json or html/")
    try:
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise BenchDataError(f"{truth_file} is not JSON: {exc}") from None
    pages = []
    for key in sorted(truth)[:limit]:
        path = html_dir / f"{key}.html.gz"
        if not path.is_file():
            raise BenchDataError(f"{path} is missing")
        entry = truth[key]
        html = gzip.decompress(path.read_bytes())
        pages.append(Page(key, entry.get("url", ""), html, entry["articleBody"]))
    if not pages:
        raise BenchDataError(f"{truth_file} lists no pages")
    return pages


def run_all(pages: list[Page], extractors: dict[str, Callable[[Page], str]]) -> list[Run]:
    """Each extractor on each page, taking turns page by page so that a change in the
    machine's load during the run weighs on all of them alike."""
    for extract in extractors.values():
        extract(pages[0])  # warm-up: lazy imports and caches are not the extractor's speed
    texts: dict[str, dict[str, str]] = {name: {} for name in extractors}
    seconds = dict.fromkeys(extractors, 0.0)
    for page in pages:
        for name, extract in extractors.items():
            start = time.perf_counter()
            texts[name][page.key] = extract(page) or ""
            seconds[name] += time.perf_counter() - start
    return [Run(name, texts[name], seconds[name]) for name in extractors]


def newsdesk_extractor() -> Callable[[Page], str]:
    # extract_page lives beside the Django models; nothing is stored, so a throwaway home.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    os.environ["NEWSDESK_HOME"] = tempfile.mkdtemp(prefix="bench-extraction-")
    os.environ.setdefault("NEWSDESK_LOG_LEVEL", "ERROR")
    import django

    django.setup()
    from newsdesk.reports.extract import Unextractable, extract_page

    def extract(page: Page) -> str:
        try:
            return extract_page(page.html, page.url).text
        except Unextractable:
            return ""

    return extract


def trafilatura_extractor(include_comments: bool = True) -> Callable[[Page], str]:
    import trafilatura

    def extract(page: Page) -> str:
        html = page.html.decode("utf-8", "replace")
        return trafilatura.extract(html, include_comments=include_comments) or ""

    return extract


def report(runs: list[Run], pages: list[Page], worst: int) -> dict[str, Score]:
    scores: dict[str, Score] = {}
    print(f"{len(pages)} pages")
    header = "extractor", "empty", "precision", "recall", "F1", "F1 even", "F1 odd", "pages/s"
    print("{:<20} {:>5} {:>9} {:>7} {:>7} {:>7} {:>7} {:>8}".format(*header))
    for run in runs:
        counts = [match(page.truth, run.texts[page.key]) for page in pages]
        total, even, odd = score(counts), score(counts[0::2]), score(counts[1::2])
        empty = sum(1 for page in pages if not TOKEN.search(run.texts[page.key]))
        print(
            f"{run.name:<20} {empty:>5} {total.precision:>9.4f} {total.recall:>7.4f} "
            f"{total.f1:>7.4f} {even.f1:>7.4f} {odd.f1:>7.4f} {run.pages_per_s():>8.1f}"
        )
        scores[run.name] = total
    if worst:
        ours = runs[0]
        per_page = [(page, match(page.truth, ours.texts[page.key])) for page in pages]
        per_page.sort(key=lambda item: Score(page_precision(*item[1]), page_recall(*item[1])).f1)
        print(f"\n{ours.name}: the {worst} worst pages")
        for page, (tp, fp, fn) in per_page[:worst]:
            print(
                f"  {page.key[:12]} P={page_precision(tp, fp, fn):.3f} "
                f"R={page_recall(tp, fp, fn):.3f} {page.url}"
            )
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data",
        type=Path,
        default=Path("../shared/data/extraction/aeb"),
        help="the benchmark folder: ground-truth.json and html/ (default: %(default)s)",
    )
    parser.add_argument("--limit", type=int, help="only the first N pages (sorted by sha256)")
    parser.add_argument("--worst", type=int, default=0, help="list our N worst pages")
    args = parser.parse_args(argv)
    try:
        pages = load_pages(args.data, args.limit)
    except BenchDataError as exc:
        print(f"bench/extraction.py: {exc}", file=sys.stderr)
        return 2
    ours = newsdesk_extractor()
    # trafilatura warns on every page it gives up on; the table counts those as "empty".
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    runs = run_all(
        pages,
        {
            "newsdesk": ours,
            "trafilatura": trafilatura_extractor(include_comments=False),
            "trafilatura-defaults": trafilatura_extractor(),
        },
    )
    scores = report(runs, pages, args.worst)
    result = {
        "f1": round(scores["newsdesk"].f1, 4),
        "precision": round(scores["newsdesk"].precision, 4),
        "recall": round(scores["newsdesk"].recall, 4),
        "pages_per_s": round(runs[0].pages_per_s(), 1),
        "trafilatura_f1": round(scores["trafilatura"].f1, 4),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
