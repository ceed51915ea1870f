"""The order in which a worker takes from its queues: the pipeline's, upstream first.

Kombu's Redis transport asks BRPOP for its queues in the order a "cycle" gives (round robin by
default); this one always lists them in pipeline order, so a worker takes a fetch before an
extract before a write. A burst of discovered links then flows through stage by stage, as in
the embedded pass: clustering sees the reports together, and a story is written once its
reports are placed rather than once per report. Under a constant flood of new links the late
stages wait; a deployment gives them workers of their own (``newsdesk worker --queues write``).
"""

from __future__ import annotations

from django.conf import settings
from kombu.utils.scheduling import priority_cycle


def _rank(queue: str) -> int:
    order = settings.NEWSDESK_QUEUES
    return order.index(queue) if queue in order else len(order)


class PipelineOrder(priority_cycle):
    def consume(self, n: int) -> list[str]:
        return sorted(self.items, key=_rank)[:n]
