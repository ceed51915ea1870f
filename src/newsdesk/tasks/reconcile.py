"""The reconciler: all pending work, derived from the database, queued again.

Work is database state (pending links, fetched pages, unplaced reports, stale articles), so a
message lost anywhere (a worker killed before acknowledging, Redis restarted empty) is found
here and sent again. Idempotent, and cheap when nothing is lost: work already queued is not
sent twice (``dispatch``'s markers), and every step re-run finds its work done.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from newsdesk.pipeline.runner import links_to_extract, links_to_fetch, reports_to_cluster
from newsdesk.reports.models import ReportImage
from newsdesk.tasks.dispatch import enqueue
from newsdesk.tasks.leases import lease
from newsdesk.tasks.wiring import Work, stories_to_write


def pending_work() -> list[Work]:
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now())
    image_reports = (
        ReportImage.objects.filter(due, state=ReportImage.State.PENDING)
        .values_list("report_id", flat=True)
        .distinct()
    )
    # One cluster step places every waiting report (see stages.cluster): the first suffices.
    to_cluster = reports_to_cluster()[:1]
    return [
        *(Work("fetch", link_id) for link_id in links_to_fetch()),
        *(Work("extract", link_id) for link_id in links_to_extract()),
        *(Work("images", report_id) for report_id in sorted(image_reports)),
        *(Work("cluster", report_id) for report_id in to_cluster),
        *(Work("write", story_id) for story_id in stories_to_write()),
    ]


def reconcile(*, force: bool = False) -> int:
    """Queue all pending work not already queued; how many messages were sent.

    ``force`` sends it all, queued or not: a worker starting may replace one that died with
    messages it had reserved, whose markers would hold them back until they expire
    (QUEUED_MARKER_SECONDS). Reconcilers running together do the work once: the first takes a
    short lease (one for the periodic kind, one for the forced kind).
    """
    with lease("reconcile:forced" if force else "reconcile", 10) as got:
        if not got:
            return 0
        return enqueue(pending_work(), force=force)
