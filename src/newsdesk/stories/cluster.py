"""Stage 5, cluster: a new report joins the story of the same event, or starts a new one.

Online and idempotent: each report is placed once (a conditional UPDATE claims it, in the
transaction that also stores its vector and counts its terms), scored against the few
stories the index offers, then the placement is checked against the same neighbours
(corrections): two stories that turn out to be one event merge, and members that fit a
neighbour better move there.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from newsdesk.reports.models import Report
from newsdesk.stories import corrections, dense, index, termstats
from newsdesk.stories.features import report_features
from newsdesk.stories.models import Story
from newsdesk.stories.scoring import Profile, ReportVector, fit, threshold
from newsdesk.stories.vectors import add, add_dense, unit


def report_vector(report: Report) -> tuple[ReportVector, bool]:
    """The report's vectors, weighted by the term statistics so far, and whether they are
    new (to be stored and counted with the placement) rather than stored before."""
    if report.vector:
        return ReportVector.from_json(report.vector), False
    features = report_features(report.title, report.text)
    counts = termstats.lookup(report.language or "en", _terms(features.words, features.entities))
    encoder = dense.encoder()
    vector = ReportVector(
        words=unit({t: w * counts.weight(t) for t, w in features.words.items()}),
        entities=unit({t: w * counts.weight(t) for t, w in features.entities.items()}),
        size=features.size,
        dense=encoder.encode(report.title, report.text) if encoder is not None else None,
        headline=not report.text.strip(),
    )
    return vector, True


def best_fit(
    vector: ReportVector, when: datetime | None, candidates: list[Profile]
) -> tuple[Profile | None, float]:
    best: tuple[Profile | None, float] = (None, 0.0)
    for candidate in candidates:  # ordered by id: ties go to the oldest story
        score = fit(vector, candidate, when)
        if score > best[1]:
            best = (candidate, score)
    return best


def cluster_report(report_id: int) -> int | None:
    """Place one report; returns its story id (None for opinion). Idempotent."""
    report = Report.objects.select_related("duplicate_of").get(pk=report_id)
    if report.clustered_at is not None:
        return report.story_id
    if report.kind == Report.Kind.OPINION:
        # Opinion is not an event: it is kept, but never merged into news stories.
        Report.objects.filter(pk=report.pk, clustered_at__isnull=True).update(
            clustered_at=timezone.now()
        )
        return None
    original = report.duplicate_of
    if original is not None and original.story_id is not None:
        # A wire copy joins its original's story but adds nothing to its vectors: one voice.
        return _place(report, corrections.live_story_id(original.story_id), None)[0]
    vector, fresh = report_vector(report)
    keys = index.report_keys(vector)
    neighbours = index.profiles(index.candidate_ids(keys, report.language or "en", report.when))
    story, score = best_fit(vector, report.when, neighbours)
    story_id = story.story_id if story is not None and score >= threshold(vector) else None
    placed_id, placed = _place(report, story_id, vector, keys, fresh)
    if placed is None or not neighbours:
        return placed_id  # placed by a rival worker, or nothing to correct against
    others = [n for n in neighbours if n.story_id != placed.story_id]
    return corrections.correct(report.pk, placed, others)


def _terms(*channels: Iterable[str]) -> list[str]:
    return [term for channel in channels for term in channel]


def _place(
    report: Report,
    story_id: int | None,
    vector: ReportVector | None,
    keys: list[str] | None = None,
    fresh: bool = False,
) -> tuple[int | None, Profile | None]:
    """Put the report in the story (a new one for None): its id and profile after.

    The profile is None when a rival worker placed the report first.

    ``fresh``: the vector is new, to store and to count in the term statistics."""
    when = report.when
    language = report.language or "en"
    now = timezone.now()
    with transaction.atomic():
        if story_id is None:
            story = Story.objects.create(
                first_seen_at=now,
                last_updated_at=now,
                event_time=when,
                latest_time=when,
                language=language,
            )
        else:
            story = _lock_live(story_id)
        # The conditional UPDATE claims the report: a re-run or a rival worker changes nothing.
        claim: dict[str, object] = {"story": story.pk, "clustered_at": now}
        if vector is not None and fresh:
            claim["vector"] = vector.as_json()
        claimed = Report.objects.filter(pk=report.pk, clustered_at__isnull=True).update(**claim)
        if not claimed:
            # Someone else placed it first; undo the story this call may have just created.
            transaction.set_rollback(True)
            return Report.objects.get(pk=report.pk).story_id, None
        report.story_id = story.pk
        fields = ["event_time", "latest_time", "last_updated_at", "report_count", "revision"]
        if vector is not None:
            before = _terms(story.words, story.entities)
            story.words = add(story.words, vector.words)
            story.entities = add(story.entities, vector.entities)
            story.dense = add_dense(story.dense, vector.dense or [])
            story.vector_count += 1
            story.short_count += 1 if vector.short else 0
            fields += ["words", "entities", "dense", "vector_count", "short_count"]
            index.add_keys(story.pk, language, keys or [], when)
            stories = termstats.story_change(before, _terms(story.words, story.entities))
            if story_id is None:
                stories[termstats.TOTAL] = 1
            reports = {termstats.TOTAL: 1} if fresh else {}
            termstats.record(language, reports, stories)
        story.event_time = min(story.event_time, when)
        story.latest_time = max(story.latest_time or when, when)
        story.last_updated_at = now
        story.report_count += 1
        story.revision += 1
        story.save(update_fields=fields)
    return story.pk, index.profile(story)


def _lock_live(story_id: int) -> Story:
    story = Story.objects.select_for_update().get(pk=story_id)
    while story.merged_into_id is not None:
        # Merged away since it was scored (another worker): join the survivor.
        story = Story.objects.select_for_update().get(pk=corrections.live_story_id(story.pk))
    return story
