"""Stage 5, cluster: a new report joins the story of the same event, or starts a new one.

Online and idempotent: each report is placed once (a conditional UPDATE claims it), scored
against the few stories the index offers, then the placement is checked against the same
neighbours (corrections): two stories that turn out to be one event merge, and members that
fit a neighbour better move there.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from newsdesk.reports.models import Report
from newsdesk.stories import corrections, dense, index, termstats
from newsdesk.stories.features import report_features
from newsdesk.stories.models import Story
from newsdesk.stories.scoring import Profile, ReportVector, fit, threshold
from newsdesk.stories.vectors import add, add_dense, unit


def report_vector(report: Report) -> ReportVector:
    """The report's vectors, computed and counted in the term statistics exactly once."""
    if report.vector:
        return ReportVector.from_json(report.vector)
    features = report_features(report.title, report.text)
    encoder = dense.encoder()
    embedding = encoder.encode(report.title, report.text) if encoder is not None else None
    language = report.language or "en"
    with transaction.atomic():
        # Only the transaction that stores the vector counts the terms: a re-run or a rival
        # worker finds the vector there and counts nothing.
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if locked.vector:
            report.vector = locked.vector
            return ReportVector.from_json(locked.vector)
        termstats.count(language, [*features.words, *features.entities])
        idf = termstats.idf(language, [*features.words, *features.entities])
        vector = ReportVector(
            words=unit({term: weight * idf[term] for term, weight in features.words.items()}),
            entities=unit({term: weight * idf[term] for term, weight in features.entities.items()}),
            size=features.size,
            dense=embedding,
            headline=not report.text.strip(),
        )
        report.vector = vector.as_json()
        Report.objects.filter(pk=report.pk).update(vector=report.vector)
    return vector


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
        return _place(report, corrections.live_story_id(original.story_id), None)
    vector = report_vector(report)
    language = report.language or "en"
    keys = index.report_keys(vector)
    neighbours = index.profiles(index.candidate_ids(keys, language, report.when))
    story, score = best_fit(vector, report.when, neighbours)
    story_id = story.story_id if story is not None and score >= threshold(vector) else None
    placed = _place(report, story_id, vector, keys)
    if placed is None or not neighbours:
        return placed
    return corrections.correct(placed, [n.story_id for n in neighbours], vector.headline)


def _place(
    report: Report,
    story_id: int | None,
    vector: ReportVector | None,
    keys: list[str] | None = None,
) -> int | None:
    when = report.when
    language = report.language or "en"
    with transaction.atomic():
        if story_id is None:
            story_id = corrections.new_story(language, when)
        locked = Story.objects.select_for_update().get(pk=story_id)
        while locked.merged_into_id is not None:
            # Merged away since it was scored (another worker): join the survivor.
            locked = Story.objects.select_for_update().get(pk=corrections.live_story_id(locked.pk))
        story_id = locked.pk
        # The conditional UPDATE claims the report: a re-run or a rival worker changes nothing.
        claimed = Report.objects.filter(pk=report.pk, clustered_at__isnull=True).update(
            story=story_id, clustered_at=timezone.now()
        )
        if not claimed:
            # Someone else placed it first; undo the story this call may have just created.
            transaction.set_rollback(True)
            return Report.objects.get(pk=report.pk).story_id
        fields = ["event_time", "latest_time", "last_updated_at", "report_count", "revision"]
        if vector is not None:
            locked.words = add(locked.words, vector.words)
            locked.entities = add(locked.entities, vector.entities)
            locked.dense = add_dense(locked.dense, vector.dense or [])
            locked.vector_count = F("vector_count") + 1
            fields += ["words", "entities", "dense", "vector_count"]
            index.add_keys(locked.pk, language, keys or [], when)
        locked.event_time = min(locked.event_time, when)
        locked.latest_time = max(locked.latest_time or when, when)
        locked.last_updated_at = timezone.now()
        locked.report_count = F("report_count") + 1
        locked.revision = F("revision") + 1
        locked.save(update_fields=fields)
    return story_id
