"""Decoding a response body (gzip, deflate) without letting a small body inflate into a huge one.

httpx would inflate each network chunk in one go: 64 KiB of a gzip bomb becomes 64 MB before
anything can count it. Here output comes out in bounded pieces, each counted against the size
cap and against the compression ratio, so a bomb stops after a few pieces.
"""

from __future__ import annotations

import zlib

PIECE = 64 * 1024
# Below this many inflated bytes the ratio is not judged: a small, very repetitive page is fine.
RATIO_FLOOR = 1024 * 1024
ENCODINGS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


class BodyRefused(ValueError):
    """A body that may not be read any further; the message is the reason."""


class Inflater:
    """Collects a body's raw bytes, decoded per its Content-Encoding, within the caps."""

    def __init__(self, content_encoding: str, *, limit: int, max_ratio: float) -> None:
        codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in ENCODINGS):
            raise BodyRefused(f"unsupported content encoding: {content_encoding}")
        self._coding = codings[0] if codings else ""
        self._decoder = zlib.decompressobj(ENCODINGS[self._coding]) if self._coding else None
        self._limit = limit
        self._max_ratio = max_ratio
        self._raw = 0
        self._size = 0
        self._started = False
        self._chunks: list[bytes] = []

    def feed(self, raw: bytes) -> None:
        self._raw += len(raw)
        if self._decoder is None:
            self._keep(raw)
            return
        data = raw
        while data:
            piece = self._decompress(data)
            data = self._decoder.unconsumed_tail
            self._keep(piece)

    def finish(self) -> bytes:
        if self._decoder is not None:
            try:
                self._keep(self._decoder.flush())
            except zlib.error as exc:
                raise BodyRefused(f"corrupt {self._coding} body: {exc}") from None
        return b"".join(self._chunks)

    def _decompress(self, data: bytes) -> bytes:
        assert self._decoder is not None
        try:
            piece = self._decoder.decompress(data, PIECE)
        except zlib.error as exc:
            # "deflate" is zlib-wrapped by the standard, raw in some servers: retry raw once.
            if self._coding != "deflate" or self._started:
                raise BodyRefused(f"corrupt {self._coding} body: {exc}") from None
            self._decoder = zlib.decompressobj(-zlib.MAX_WBITS)
            self._started = True
            return self._decompress(data)
        self._started = True
        return piece

    def _keep(self, piece: bytes) -> None:
        self._size += len(piece)
        if self._size > self._limit or self._raw > self._limit:
            raise BodyRefused(f"too large: over {self._limit} bytes")
        if self._decoder is not None and self._size > RATIO_FLOOR:
            consumed = self._raw - len(self._decoder.unconsumed_tail)
            if self._size > self._max_ratio * max(consumed, 1):
                raise BodyRefused(
                    f"decompression bomb: {consumed} compressed bytes inflate past "
                    f"{self._size} (ratio limit {self._max_ratio:g})"
                )
        if piece:
            self._chunks.append(piece)
