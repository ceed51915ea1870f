"""Copies of the reports' images, kept under NEWSDESK_HOME so the site never hotlinks."""

from __future__ import annotations

import hashlib
import io
import logging
from pathlib import Path

from django.conf import settings
from PIL import Image, UnidentifiedImageError

from newsdesk.sources.http import FetchError, fetch

log = logging.getLogger(__name__)

MAX_IMAGE_BYTES = 4 * 1024 * 1024
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


def store_image(url: str) -> tuple[str, int, int] | None:
    """Download and verify an image; returns (path under MEDIA_ROOT, width, height) or None."""
    try:
        result = fetch(url, accept="image/*", max_bytes=MAX_IMAGE_BYTES)
        with Image.open(io.BytesIO(result.content)) as image:
            width, height = image.size
            extension = FORMATS.get(image.format or "")
            if extension is None or width * height > 40_000_000:
                log.info("image %s skipped: unsupported format or too large", url)
                return None
    except (FetchError, UnidentifiedImageError, OSError) as exc:
        log.info("image %s skipped: %s", url, exc)
        return None
    digest = hashlib.sha256(result.content).hexdigest()[:32]
    relative = f"images/{digest[:2]}/{digest}.{extension}"
    target = Path(settings.MEDIA_ROOT) / relative
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a crash never leaves a half image behind.
        partial = target.with_suffix(".part")
        partial.write_bytes(result.content)
        partial.replace(target)
    return relative, width, height
