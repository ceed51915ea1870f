from __future__ import annotations

import hmac

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET
from prometheus_client import CollectorRegistry, generate_latest

from newsdesk.metrics.collector import DeskCollector

# The classic text format, which every Prometheus reads; generate_latest writes it.
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

registry = CollectorRegistry()
registry.register(DeskCollector())


@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """The Prometheus text exposition; with NEWSDESK_METRICS_TOKEN set, for its bearer only."""
    token = settings.NEWSDESK_METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), token.encode()):
            return HttpResponse("metrics need a bearer token\n", status=401)
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE)
