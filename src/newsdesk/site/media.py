"""The copied source images, served by the embedded server (a deployment lets its front do it)."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.views.static import serve


def media(request: HttpRequest, path: str) -> HttpResponse | FileResponse:
    # MEDIA_ROOT is read per request: it follows NEWSDESK_HOME, which tests and commands set.
    response = serve(request, path, document_root=str(settings.MEDIA_ROOT))
    # Image files are named by their content hash, so they never change.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
