"""Copies of the reports' images, kept under NEWSDESK_HOME so the site never hotlinks.

Extraction only records a report's images (pending); this stage downloads them afterwards with
the concurrent, polite fetcher, so no page waits on its images and an image host is asked in
turn like any other. Each outcome is written with a conditional UPDATE that only a still-pending
image accepts, so a repeated or concurrent pass changes nothing and a done image is never
downloaded again. Files are named by their content's hash: the same picture is stored once.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import tempfile
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from itertools import islice, zip_longest
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Case, F, PositiveSmallIntegerField, Q, When
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from newsdesk.reports.fetch import retry_delay
from newsdesk.reports.models import ReportImage
from newsdesk.sources.http import (
    FetchDeferred,
    FetchError,
    FetchRequest,
    FetchResult,
    Outcome,
    fetch_keyed,
)

log = logging.getLogger(__name__)

# Pillow's format name -> the file's extension; what browsers show, and nothing else.
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif", "AVIF": "avif"}
ACCEPT = "image/avif,image/webp,image/png,image/jpeg,image/gif;q=0.9,image/*;q=0.5"
# Larger pictures are posters or bombs, not news photos; Pillow would decode them slowly.
MAX_PIXELS = 40_000_000
# Types some servers give real images; Pillow then decides.
UNTYPED = {"", "application/octet-stream", "binary/octet-stream"}
# Pending images are read from the database this many at a time, as the fetcher asks for more.
CHUNK = 200

# Pending images that share one URL: the first is downloaded for all of them.
ImageGroup = tuple[int, ...]


class NotAnImage(ValueError):
    """Bytes that are not a picture the site can show; the message says why."""


@dataclass(frozen=True)
class StoredImage:
    file: str  # path under MEDIA_ROOT
    width: int
    height: int


@dataclass(frozen=True)
class Recorded:
    """What recording a download did: the image's state, and the reports it gave an image to."""

    state: ReportImage.State
    reports: tuple[int, ...] = ()


def store_image(content: bytes, content_type: str = "") -> StoredImage:
    """Check downloaded bytes are a picture the site can show, and keep them under MEDIA_ROOT.

    Raises NotAnImage with the reason otherwise.
    """
    kind = content_type.split(";")[0].strip().lower()
    if not (kind.startswith("image/") or kind in UNTYPED):
        raise NotAnImage(f"not an image ({kind})")
    try:
        with warnings.catch_warnings():
            # Pillow only warns about a very large picture; here it is refused.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=list(FORMATS)) as picture:
                width, height = picture.size
                extension = FORMATS[picture.format or ""]
                picture.verify()  # a truncated or corrupt file would show as a broken image
    except UnidentifiedImageError:
        raise NotAnImage(f"not a picture the site can show ({kind or 'untyped'})") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise NotAnImage("picture too large") from None
    except (OSError, SyntaxError, ValueError) as exc:  # what Pillow raises for a broken file
        raise NotAnImage(f"broken picture: {exc}") from None
    if width * height > MAX_PIXELS:
        raise NotAnImage(f"picture too large ({width}x{height})")
    digest = hashlib.sha256(content).hexdigest()[:32]
    relative = f"images/{digest[:2]}/{digest}.{extension}"
    target = Path(settings.MEDIA_ROOT) / relative
    if not target.exists():
        _write_atomically(target, content)
    return StoredImage(relative, width, height)


def _write_atomically(target: Path, content: bytes) -> None:
    # A unique temporary name, then a rename: a crash or a second writer never leaves half a
    # file under the final name.
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        # mkstemp makes the file private; a web server in front of the site must read it.
        os.chmod(partial, 0o644)
        os.replace(partial, target)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def images_to_fetch() -> list[ImageGroup]:
    """Pending images that are due, grouped by URL, the groups taking hosts in turn.

    Grouped, because one download serves every pending image with that URL (an outlet's
    default picture on many of its pages); hosts in turn, so concurrent downloads spread over
    them rather than queue at one.
    """
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now())
    pending = ReportImage.objects.filter(due, state=ReportImage.State.PENDING).order_by("id")
    by_url: dict[str, list[int]] = {}
    for image_id, url in pending.values_list("id", "url").iterator(chunk_size=2000):
        by_url.setdefault(url, []).append(image_id)
    by_host: dict[str, list[ImageGroup]] = {}
    for url, image_ids in by_url.items():
        by_host.setdefault(urlsplit(url).netloc, []).append(tuple(image_ids))
    return [group for turn in zip_longest(*by_host.values()) for group in turn if group]


def download_images(
    groups: Iterable[ImageGroup], *, concurrency: int | None = None
) -> Iterator[tuple[ImageGroup, Outcome]]:
    """Download images concurrently, one request a group; yields (group, outcome) as each
    completes, unrecorded.

    The caller records each with `record_image`. Images are read from the database in chunks
    only as the fetcher needs more, and all database access stays in the caller's thread.
    """
    asked: dict[int, ImageGroup] = {}
    with contextlib.closing(
        fetch_keyed(_requests(iter(groups), asked), concurrency=concurrency)
    ) as results:
        for key, outcome in results:
            yield asked.pop(key), outcome


def _requests(groups: Iterator[ImageGroup], asked: dict[int, ImageGroup]) -> Iterator[FetchRequest]:
    while chunk := list(islice(groups, CHUNK)):
        still = ReportImage.objects.filter(
            pk__in=[group[0] for group in chunk], state=ReportImage.State.PENDING
        )
        urls = dict(still.values_list("id", "url"))
        for group in chunk:
            if group[0] in urls:
                asked[group[0]] = group
                yield FetchRequest(
                    urls[group[0]],
                    key=group[0],
                    accept=ACCEPT,
                    max_bytes=settings.NEWSDESK_IMAGE_MAX_BYTES,
                )


def record_image(group: Sequence[int], outcome: Outcome) -> Recorded:
    """Store the outcome of downloading a group's URL: the file (DONE), a retry later, or FAILED.

    The first image of `group` is the one downloaded; the others share its URL. Only a
    still-pending image takes an outcome. A picture, or a permanent refusal, holds for the whole
    group; a deferred download (the host's turn is not yet) is not an attempt, and a transient
    failure is retried with backoff up to NEWSDESK_FETCH_MAX_ATTEMPTS.
    """
    image = ReportImage.objects.only("id", "url", "state", "attempts").get(pk=group[0])
    if image.state != ReportImage.State.PENDING:
        return Recorded(ReportImage.State(image.state))
    if isinstance(outcome, FetchResult):
        try:
            stored = store_image(outcome.content, outcome.content_type)
        except NotAnImage as exc:
            outcome = FetchError(str(exc), transient=False)
        else:
            return _record_picture(image, group, stored)
    if isinstance(outcome, FetchDeferred):
        ReportImage.objects.filter(pk=image.pk, state=ReportImage.State.PENDING).update(
            error=outcome.reason,
            next_attempt_at=timezone.now() + timedelta(seconds=outcome.retry_after or 0),
        )
        return Recorded(ReportImage.State.PENDING)
    log.info("image %s: %s", image.url, outcome.reason)
    attempts = image.attempts + 1
    if outcome.transient and attempts < settings.NEWSDESK_FETCH_MAX_ATTEMPTS:
        ReportImage.objects.filter(pk=image.pk, state=ReportImage.State.PENDING).update(
            attempts=attempts,
            error=outcome.reason,
            next_attempt_at=timezone.now() + retry_delay(attempts, outcome.retry_after),
        )
        return Recorded(ReportImage.State.PENDING)
    # Tries used up hold for this image only (the others with its URL have their own); a
    # permanent refusal (404, not an image) is the URL's answer for all of them.
    given_up = [image.pk] if outcome.transient else list(group)
    ReportImage.objects.filter(pk__in=given_up, state=ReportImage.State.PENDING).update(
        state=ReportImage.State.FAILED,
        attempts=_one_more_try(image.pk),
        error=outcome.reason,
        next_attempt_at=None,
    )
    return Recorded(ReportImage.State.FAILED)


def _one_more_try(image_id: int) -> Case:
    """An attempt counted for the image that was downloaded, not for those sharing its URL."""
    return Case(
        When(pk=image_id, then=F("attempts") + 1),
        default=F("attempts"),
        output_field=PositiveSmallIntegerField(),
    )


def _record_picture(image: ReportImage, group: Sequence[int], stored: StoredImage) -> Recorded:
    # The file exists before any row names it, so a crash in between only re-downloads.
    claimed = ReportImage.objects.filter(pk__in=group, state=ReportImage.State.PENDING).update(
        state=ReportImage.State.DONE,
        file=stored.file,
        width=stored.width,
        height=stored.height,
        attempts=_one_more_try(image.pk),
        error="",
        next_attempt_at=None,
    )
    if not claimed:
        return Recorded(ReportImage.State(_state(image.pk)))
    shown = ReportImage.objects.filter(pk__in=group, file=stored.file)
    return Recorded(
        ReportImage.State.DONE, tuple(sorted(set(shown.values_list("report_id", flat=True))))
    )


def _state(image_id: int) -> str:
    return ReportImage.objects.values_list("state", flat=True).get(pk=image_id)
