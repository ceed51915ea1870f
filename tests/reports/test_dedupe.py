"""Wire copies: found through the stored LSH band keys, confirmed on the text, stored once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsdesk.reports.dedupe import find_original, fingerprint, store_keys
from newsdesk.reports.extract import extract_link
from newsdesk.reports.fetch import fetch_link
from newsdesk.reports.minhash import BANDS
from newsdesk.reports.models import Link, NearDuplicateKey, Report
from newsdesk.sources.models import Source
from tests.httpfixture import FixtureServer, Route
from tests.reports.pages import OWN_WORDS, PARAGRAPHS, WIRE, article_page, wire_copy

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 11, 19, 15, 0, tzinfo=UTC)


@pytest.fixture
def outlets() -> list[Source]:
    return [
        Source.objects.create(name=name, slug=name.lower().replace(" ", "-"))
        for name in ("Coast Wire", "Harbour Daily", "North Star", "Quay Post")
    ]


def ingest(web: FixtureServer, source: Source, path: str, page: bytes) -> Report:
    web.routes[path] = Route(page)
    link = Link.objects.create(url=web.url(path), source=source)
    fetch_link(link.pk)
    extract_link(link.pk)
    report = Link.objects.get(pk=link.pk).report
    assert report is not None, Link.objects.get(pk=link.pk).error
    return report


def add_report(source: Source, text: str, when: datetime, **fields: object) -> Report:
    """A report stored the way extraction stores it: an original with its band keys."""
    sketch = fingerprint(text)
    report = Report.objects.create(
        source=source,
        url=f"http://{source.slug}.test/{Report.objects.count()}",
        title="A title",
        text=text,
        published_at=when,
        fetched_at=when,
        content_hash=sketch.digest,
        **fields,
    )
    if report.duplicate_of_id is None:
        store_keys(report.pk, sketch.keys)
    return report


def test_a_lightly_edited_copy_is_tied_to_its_original_and_own_words_are_not(
    web: FixtureServer, outlets: list[Source]
) -> None:
    wire, copier, own, other = outlets
    original = ingest(
        web, wire, "/wire.html", article_page(title="Crane collapses at Aldera", paragraphs=WIRE)
    )
    # Published at the same moment as the wire story: the smaller URL is the original.
    copy = ingest(
        web,
        copier,
        "/wirecopy.html",
        article_page(title="Three hurt as port crane falls", paragraphs=wire_copy(WIRE)),
    )
    independent = ingest(
        web,
        own,
        "/own.html",
        article_page(title="Dockers hurt in Aldera crane fall", paragraphs=OWN_WORDS),
    )
    unrelated = ingest(web, other, "/bridge.html", article_page(paragraphs=PARAGRAPHS))
    assert copy.content_hash != original.content_hash
    assert copy.duplicate_of == original
    assert original.duplicate_of is None
    assert independent.duplicate_of is None and unrelated.duplicate_of is None
    for report in (original, independent, unrelated):
        assert report.near_keys.count() == BANDS
    assert not copy.near_keys.exists()  # lookups only look for originals


def test_the_original_is_the_earliest_published_whatever_the_storage_order(
    web: FixtureServer, outlets: list[Source]
) -> None:
    wire, copier, *_ = outlets
    later = article_page(title="Crane collapses at Aldera", paragraphs=WIRE).replace(
        b"2026-11-17T08:00:00Z", b"2026-11-17T09:30:00Z"
    )
    # The copy is stored first (workers extract in any order), but published later.
    stored_first = ingest(web, copier, "/b-copy.html", later)
    earlier = ingest(
        web, wire, "/z-wire.html", article_page(title="Crane falls", paragraphs=wire_copy(WIRE))
    )
    stored_first.refresh_from_db()
    assert earlier.duplicate_of is None and stored_first.duplicate_of == earlier
    assert earlier.near_keys.count() == BANDS and not stored_first.near_keys.exists()
    # A third copy finds the earliest one as its original.
    third = ingest(web, outlets[2], "/c-copy.html", later.replace(b"Aldera", b"Aldera port"))
    assert third.duplicate_of == earlier


def test_a_copy_of_a_copy_points_to_the_original(outlets: list[Source]) -> None:
    text = "\n".join(WIRE)
    original = add_report(outlets[0], text, T0)
    first_copy = "ALDERA (Coast Wire) - " + text
    copy = add_report(outlets[1], first_copy, T0, duplicate_of=original)
    again = "\n".join(first_copy.split("\n")[:-1])
    assert find_original(again, fingerprint(again).digest, T0) == original
    assert copy.duplicate_of == original


def test_the_lookup_goes_through_the_stored_keys(outlets: list[Source]) -> None:
    original = add_report(outlets[0], "\n".join(WIRE), T0)
    copy_text = "\n".join(wire_copy(WIRE))
    sketch = fingerprint(copy_text)
    assert find_original(copy_text, sketch.digest, T0, precomputed=sketch) == original
    # Without its keys, the original is invisible: there is no scan of the reports' texts.
    NearDuplicateKey.objects.filter(report=original).delete()
    assert find_original(copy_text, sketch.digest, T0, precomputed=sketch) is None
    store_keys(original.pk, fingerprint(original.text).keys)
    assert find_original(copy_text, sketch.digest, T0, precomputed=sketch) == original


def test_the_work_does_not_grow_with_the_reports_stored(outlets: list[Source]) -> None:
    original = add_report(outlets[0], "\n".join(WIRE), T0)
    copy_text = "\n".join(wire_copy(WIRE))

    def queries() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            assert find_original(copy_text, fingerprint(copy_text).digest, T0) == original
        return [query["sql"] for query in captured.captured_queries]

    before = queries()
    for n in range(40):
        words = [f"{p} Item {n} of the day." for p in PARAGRAPHS]
        add_report(outlets[n % 4], "\n".join(words[n % 5 :] + words[: n % 5]), T0)
    after = queries()
    assert len(after) == len(before) <= 3
    # Texts are read only by exact hash or, for the few candidates, by primary key.
    text_reads = [sql for sql in after if '"text"' in sql]
    assert text_reads and all('"content_hash" =' in sql or '"id" IN (' in sql for sql in text_reads)
    assert any('"reports_nearduplicatekey"."key" IN (' in sql for sql in after)


def test_only_reports_within_the_window_are_candidates(outlets: list[Source]) -> None:
    add_report(outlets[0], "\n".join(WIRE), T0 - timedelta(days=5))
    copy_text = "\n".join(wire_copy(WIRE))
    assert find_original(copy_text, fingerprint(copy_text).digest, T0) is None
    recent = add_report(outlets[1], "\n".join(WIRE[1:]), T0 - timedelta(days=1))
    assert find_original(copy_text, fingerprint(copy_text).digest, T0) == recent


def test_an_exact_copy_is_found_by_its_hash_alone(outlets: list[Source]) -> None:
    original = add_report(outlets[0], "\n".join(WIRE), T0 - timedelta(days=30))
    NearDuplicateKey.objects.all().delete()
    # Whitespace and punctuation do not hide it, and no keys or window are needed.
    text = "  ".join(WIRE).replace(",", "")
    assert find_original(text, fingerprint(text).digest, T0) == original


def test_keys_are_stored_once_on_a_rerun(web: FixtureServer, outlets: list[Source]) -> None:
    web.routes["/wire.html"] = Route(article_page(paragraphs=WIRE))
    link = Link.objects.create(url=web.url("/wire.html"), source=outlets[0])
    fetch_link(link.pk)
    body = Link.objects.get(pk=link.pk).body
    extract_link(link.pk)
    report = Report.objects.get()
    keys = sorted(report.near_keys.values_list("key", flat=True))
    assert len(keys) == BANDS
    # A crash after the report was stored but before the link was marked done, then a re-run:
    Link.objects.filter(pk=link.pk).update(state=Link.State.FETCHED, body=body, report=None)
    extract_link(link.pk)
    store_keys(report.pk, fingerprint(report.text).keys)
    assert Report.objects.count() == 1
    assert sorted(report.near_keys.values_list("key", flat=True)) == keys


def test_reports_without_a_date_use_their_fetch_time(outlets: list[Source]) -> None:
    text = "\n".join(WIRE)
    sketch = fingerprint(text)
    undated = Report.objects.create(
        source=outlets[0],
        url="http://coast.test/undated",
        title="Crane",
        text=text,
        fetched_at=timezone.now(),
        content_hash=sketch.digest,
    )
    store_keys(undated.pk, sketch.keys)
    copy_text = "\n".join(wire_copy(WIRE))
    assert find_original(copy_text, fingerprint(copy_text).digest, timezone.now()) == undated
    assert find_original(copy_text, fingerprint(copy_text).digest, T0 - timedelta(days=9)) is None
