"""The demo corpus: fictional outlets and the reports they publish.

The corpus is package data (``corpus/outlets.json``, ``corpus/events/*.json`` and
``corpus/opinion/*.json``). Every news or wire report belongs to one event; the
event keys form the answer key that clustering is scored against.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal, cast

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"

FeedFormat = Literal["rss2", "atom", "rss1"]
ReportKind = Literal["news", "wire", "opinion"]

FEED_FORMATS: frozenset[str] = frozenset({"rss2", "atom", "rss1"})
REPORT_KINDS: frozenset[str] = frozenset({"news", "wire", "opinion"})
MOTIFS: frozenset[str] = frozenset(
    {
        "storm",
        "election",
        "finance",
        "space",
        "health",
        "sport",
        "nature",
        "diplomacy",
        "city",
        "generic",
    }
)
RTL_LANGUAGES: frozenset[str] = frozenset({"ar", "fa", "he", "ur"})
# An event covered by a single outlet would make the clustering score trivial.
MIN_OUTLETS_PER_EVENT = 2


class CorpusError(ValueError):
    """The corpus files are missing, malformed or inconsistent."""


@dataclass(frozen=True)
class Outlet:
    slug: str
    name: str
    language: str
    country: str
    feed_format: FeedFormat
    default_section: str
    tagline: str
    nav: tuple[str, ...]
    native_name: str | None = None

    @property
    def direction(self) -> str:
        return "rtl" if self.language in RTL_LANGUAGES else "ltr"

    @property
    def display_name(self) -> str:
        """The name readers see on the page: the native name when there is one."""
        return self.native_name or self.name

    @property
    def home_path(self) -> str:
        return f"/{self.slug}/"

    @property
    def feed_path(self) -> str:
        return f"/{self.slug}/feed.xml"

    @property
    def feed_content_type(self) -> str:
        if self.feed_format == "atom":
            return "application/atom+xml"
        if self.feed_format == "rss1":
            return "application/rdf+xml"
        return "application/rss+xml"


@dataclass(frozen=True)
class ReportImage:
    caption: str
    alt: str
    motif: str = "generic"


@dataclass(frozen=True)
class CorpusReport:
    outlet: str
    slug: str
    kind: ReportKind
    event: str | None
    title: str
    standfirst: str
    author: str
    published: datetime
    updated: datetime | None
    section: str
    paragraphs: tuple[str, ...]
    image: ReportImage | None
    wire_agency: str | None
    language: str
    # Reports of wave 2 and later are published by the outlets only when the demo releases
    # that wave: a later wave of reports joining stories already published (updates).
    wave: int = 1

    @property
    def path(self) -> str:
        """The article's URL path on the demo server."""
        return f"/{self.outlet}/{self.published:%Y/%m/%d}/{self.slug}.html"

    @property
    def image_path(self) -> str:
        return f"/{self.outlet}/images/{self.slug}.jpg"

    @property
    def modified(self) -> datetime:
        return self.updated or self.published

    @property
    def motif(self) -> str:
        return self.image.motif if self.image else "generic"


@dataclass(frozen=True)
class Corpus:
    outlets: dict[str, Outlet]
    reports: tuple[CorpusReport, ...]
    events: dict[str, str]
    _by_path: dict[str, CorpusReport] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_path.update({report.path: report for report in self.reports})

    @property
    def waves(self) -> int:
        return max((report.wave for report in self.reports), default=1)

    def report_at(self, path: str, wave: int | None = None) -> CorpusReport | None:
        report = self._by_path.get(path)
        if report is None or (wave is not None and report.wave > wave):
            return None
        return report

    def outlet_reports(self, outlet: str, wave: int | None = None) -> list[CorpusReport]:
        """The outlet's reports (up to ``wave``), newest first (feed and home page order)."""
        own = [
            report
            for report in self.reports
            if report.outlet == outlet and (wave is None or report.wave <= wave)
        ]
        return sorted(own, key=lambda report: (report.published, report.slug), reverse=True)

    def event_reports(self, event: str) -> list[CorpusReport]:
        return [report for report in self.reports if report.event == event]


def answer_key(corpus: Corpus) -> dict[str, str]:
    """Map each news/wire report's URL path to its event key (opinion is excluded)."""
    return {
        report.path: report.event
        for report in corpus.reports
        if report.kind != "opinion" and report.event is not None
    }


@cache
def load_corpus() -> Corpus:
    """Load and validate the packaged corpus (cached: it never changes at runtime)."""
    return load_corpus_from(CORPUS_DIR)


def load_corpus_from(root: Path) -> Corpus:
    """Load and validate a corpus directory laid out like the packaged one."""
    outlets = _load_outlets(root / "outlets.json")
    events: dict[str, str] = {}
    reports: list[CorpusReport] = []
    for path in sorted((root / "events").glob("*.json")):
        data = _read_json(path)
        key = _text(data, "key", path)
        if key in events:
            raise CorpusError(f"{path}: event key {key!r} is defined twice")
        events[key] = _text(data, "description", path)
        language = _text(data, "language", path)
        raw_reports = data.get("reports")
        if not isinstance(raw_reports, list) or not raw_reports:
            raise CorpusError(f"{path}: 'reports' must be a non-empty list")
        for index, raw in enumerate(raw_reports):
            where = f"{path} report #{index}"
            report = _parse_report(raw, where, event=key, language=language)
            if report.kind == "opinion":
                raise CorpusError(f"{where}: opinion pieces belong in opinion/, not in an event")
            reports.append(report)
    for path in sorted((root / "opinion").glob("*.json")):
        raw = _read_json(path)
        language = raw.get("language") or _outlet_language(outlets, raw)
        report = _parse_report(raw, str(path), event=None, language=str(language))
        if report.kind != "opinion":
            raise CorpusError(f"{path}: files in opinion/ must have kind 'opinion'")
        reports.append(report)
    corpus = Corpus(outlets=outlets, reports=tuple(reports), events=events)
    validate_corpus(corpus)
    return corpus


def validate_corpus(corpus: Corpus) -> None:
    """Raise CorpusError describing every inconsistency found."""
    problems: list[str] = []
    seen_paths: dict[str, str] = {}
    seen_slugs: set[tuple[str, str]] = set()
    for report in corpus.reports:
        label = f"{report.outlet}/{report.slug}"
        if report.outlet not in corpus.outlets:
            problems.append(f"{label}: unknown outlet {report.outlet!r}")
        if report.path in seen_paths:
            problems.append(
                f"{label}: path {report.path} already used by {seen_paths[report.path]}"
            )
        seen_paths[report.path] = label
        # Slugs must be unique per outlet too: image paths do not carry the date.
        if (report.outlet, report.slug) in seen_slugs:
            problems.append(f"{label}: slug used twice by the same outlet")
        seen_slugs.add((report.outlet, report.slug))
        if report.kind == "wire" and not report.wire_agency:
            problems.append(f"{label}: wire reports need a wire_agency")
        if report.updated is not None and report.updated < report.published:
            problems.append(f"{label}: updated is earlier than published")
    for key in corpus.events:
        outlets = {report.outlet for report in corpus.reports if report.event == key}
        if len(outlets) < MIN_OUTLETS_PER_EVENT:
            problems.append(
                f"event {key!r}: covered by {len(outlets)} outlet(s), "
                f"needs at least {MIN_OUTLETS_PER_EVENT}"
            )
    if problems:
        raise CorpusError("invalid demo corpus:\n  " + "\n  ".join(problems))


def _load_outlets(path: Path) -> dict[str, Outlet]:
    data = _read_json(path)
    raw_outlets = data.get("outlets")
    if not isinstance(raw_outlets, list) or not raw_outlets:
        raise CorpusError(f"{path}: 'outlets' must be a non-empty list")
    outlets: dict[str, Outlet] = {}
    for index, raw in enumerate(raw_outlets):
        where = f"{path} outlet #{index}"
        if not isinstance(raw, dict):
            raise CorpusError(f"{where}: expected an object")
        feed_format = _text(raw, "feed_format", where)
        if feed_format not in FEED_FORMATS:
            raise CorpusError(f"{where}: feed_format must be one of {sorted(FEED_FORMATS)}")
        nav = raw.get("nav", [])
        if not isinstance(nav, list) or not all(isinstance(item, str) for item in nav):
            raise CorpusError(f"{where}: 'nav' must be a list of strings")
        outlet = Outlet(
            slug=_text(raw, "slug", where),
            name=_text(raw, "name", where),
            native_name=raw.get("native_name") or None,
            language=_text(raw, "language", where),
            country=_text(raw, "country", where),
            feed_format=cast(FeedFormat, feed_format),
            default_section=_text(raw, "default_section", where),
            tagline=_text(raw, "tagline", where),
            nav=tuple(nav),
        )
        if outlet.slug in outlets:
            raise CorpusError(f"{where}: outlet slug {outlet.slug!r} is defined twice")
        outlets[outlet.slug] = outlet
    return outlets


def _parse_report(raw: Any, where: str, *, event: str | None, language: str) -> CorpusReport:
    if not isinstance(raw, dict):
        raise CorpusError(f"{where}: expected an object")
    kind = _text(raw, "kind", where)
    if kind not in REPORT_KINDS:
        raise CorpusError(f"{where}: kind must be one of {sorted(REPORT_KINDS)}")
    paragraphs = raw.get("paragraphs")
    if (
        not isinstance(paragraphs, list)
        or not paragraphs
        or not all(isinstance(p, str) and p.strip() for p in paragraphs)
    ):
        raise CorpusError(f"{where}: 'paragraphs' must be a non-empty list of strings")
    updated = raw.get("updated")
    return CorpusReport(
        outlet=_text(raw, "outlet", where),
        slug=_text(raw, "slug", where),
        kind=cast(ReportKind, kind),
        event=event,
        title=_text(raw, "title", where),
        standfirst=_text(raw, "standfirst", where),
        author=_text(raw, "author", where),
        published=_datetime(raw.get("published"), f"{where} published"),
        updated=_datetime(updated, f"{where} updated") if updated else None,
        section=_text(raw, "section", where),
        paragraphs=tuple(paragraphs),
        image=_image(raw.get("image"), where),
        wire_agency=raw.get("wire_agency") or None,
        language=language,
        wave=_wave(raw.get("wave", 1), where),
    )


def _wave(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise CorpusError(f"{where}: 'wave' must be a positive integer")
    return value


def _image(raw: Any, where: str) -> ReportImage | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise CorpusError(f"{where}: 'image' must be an object or null")
    motif = str(raw.get("motif") or "generic")
    if motif not in MOTIFS:
        raise CorpusError(f"{where}: image motif {motif!r} is not one of {sorted(MOTIFS)}")
    return ReportImage(
        caption=_text(raw, "caption", where), alt=_text(raw, "alt", where), motif=motif
    )


def _datetime(value: Any, where: str) -> datetime:
    if not isinstance(value, str):
        raise CorpusError(f"{where}: expected an ISO 8601 timestamp")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise CorpusError(f"{where}: {value!r} is not an ISO 8601 timestamp") from exc
    if parsed.tzinfo is None:
        raise CorpusError(f"{where}: {value!r} needs a timezone (use Z for UTC)")
    return parsed.astimezone(UTC)


def _text(data: Mapping[str, Any], key: str, where: object) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise CorpusError(f"{where}: {key!r} must be a non-empty string")
    return value


def _outlet_language(outlets: Mapping[str, Outlet], raw: Any) -> str:
    slug = raw.get("outlet") if isinstance(raw, dict) else None
    outlet = outlets.get(slug) if isinstance(slug, str) else None
    return outlet.language if outlet else "en"


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CorpusError(f"missing corpus file {path}") from exc
    except json.JSONDecodeError as exc:
        raise CorpusError(f"{path}: invalid JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise CorpusError(f"{path}: expected a JSON object at the top level")
    return data
