"""A loopback HTTP server publishing the demo outlets.

The pipeline ingests it exactly as it would the real web: feed discovery, conditional
feed polling, article fetching and extraction all go through ordinary HTTP.
"""

from __future__ import annotations

import errno
import hashlib
import socketserver
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Self
from urllib.parse import unquote, urlsplit

from newsdesk.demo import images, render
from newsdesk.demo.corpus import Corpus, CorpusReport, Outlet, load_corpus

HTML = "text/html; charset=utf-8"
TEXT = "text/plain; charset=utf-8"


class DemoServerError(RuntimeError):
    """The demo server could not start."""


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes = b""
    content_type: str = TEXT
    last_modified: datetime | None = None
    location: str | None = None

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:32] + '"'


class DemoSite:
    """Maps request paths to responses; knows nothing about sockets."""

    def __init__(self, corpus: Corpus, base_url: str, wave: int | None = None) -> None:
        self.corpus = corpus
        self.base_url = base_url.rstrip("/")
        # The latest wave of reports the outlets have published so far (None: all of them).
        self.wave = wave

    def respond(self, raw_path: str) -> Response:
        path = unquote(urlsplit(raw_path).path)
        if path == "/":
            page = render.render_index(list(self.corpus.outlets.values()), self.base_url)
            return Response(HTTPStatus.OK, page.encode(), HTML)
        if path == "/robots.txt":
            return Response(HTTPStatus.OK, b"User-agent: *\nAllow: /\n", TEXT)
        report = self.corpus.report_at(path, self.wave)
        if report is not None:
            return self._article(report)
        parts = path.strip("/").split("/")
        outlet = self.corpus.outlets.get(parts[0])
        if outlet is None:
            return _not_found()
        return self._outlet_page(outlet, parts[1:], trailing_slash=path.endswith("/"))

    def _article(self, report: CorpusReport) -> Response:
        outlet = self.corpus.outlets[report.outlet]
        related = [r for r in self.corpus.outlet_reports(outlet.slug, self.wave) if r is not report]
        page = render.render_article(report, outlet, self.base_url, related=related)
        return Response(HTTPStatus.OK, page.encode(), HTML, report.modified)

    def _outlet_page(self, outlet: Outlet, rest: list[str], *, trailing_slash: bool) -> Response:
        reports = self.corpus.outlet_reports(outlet.slug, self.wave)
        last_modified = render.feed_last_modified(reports)
        if not rest:
            if not trailing_slash:  # "/slug" -> "/slug/" like most web servers
                return Response(HTTPStatus.MOVED_PERMANENTLY, location=outlet.home_path)
            page = render.render_home(outlet, reports, self.base_url)
            return Response(HTTPStatus.OK, page.encode(), HTML, last_modified)
        if rest == ["feed.xml"]:
            body, content_type = render.render_feed(outlet, reports, self.base_url)
            return Response(HTTPStatus.OK, body, content_type, last_modified)
        if len(rest) == 2 and rest[0] == "section":
            sections = {render.section_slug(name): name for name in outlet.nav}
            sections.update({render.section_slug(r.section): r.section for r in reports})
            if rest[1] not in sections:
                return _not_found()
            page = render.render_home(outlet, reports, self.base_url, section=sections[rest[1]])
            return Response(HTTPStatus.OK, page.encode(), HTML)
        if len(rest) == 2 and rest[0] == "images" and rest[1].endswith(".jpg"):
            slug = rest[1].removesuffix(".jpg")
            for report in reports:
                if report.slug == slug:
                    data = images.render_image(report)
                    return Response(HTTPStatus.OK, data, images.CONTENT_TYPE, report.published)
        return _not_found()


def _not_found() -> Response:
    return Response(HTTPStatus.NOT_FOUND, b"404 Not Found\n", TEXT)


def is_not_modified(
    response: Response, if_none_match: str | None, if_modified_since: str | None
) -> bool:
    """RFC 9110 conditional GET: If-None-Match wins over If-Modified-Since when both are sent."""
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or response.etag in tags
    if if_modified_since is not None and response.last_modified is not None:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        # HTTP dates have whole seconds, so compare at that precision.
        return response.last_modified.replace(microsecond=0) <= since
    return False


class _Handler(BaseHTTPRequestHandler):
    server: _DemoHTTPServer
    server_version = "NewsdeskDemo/1.0"
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; without this, Nagle's algorithm and delayed ACKs
    # hold every keep-alive response back by tens of milliseconds.
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, *, send_body: bool) -> None:
        response = self.server.site.respond(self.path)
        status = response.status
        cacheable = status == HTTPStatus.OK
        not_modified = cacheable and is_not_modified(
            response, self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
        )
        if not_modified:
            status = HTTPStatus.NOT_MODIFIED
        self.send_response(status)
        if cacheable:
            self.send_header("ETag", response.etag)
            if response.last_modified is not None:
                stamp = format_datetime(response.last_modified.astimezone(UTC), usegmt=True)
                self.send_header("Last-Modified", stamp)
            self.send_header("Cache-Control", "max-age=60")
        if response.location is not None:
            self.send_header("Location", self.server.site.base_url + response.location)
        if not_modified:
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if send_body:
            self.wfile.write(response.body)

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: the demo's console belongs to the pipeline's progress output."""


class _DemoHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    site: DemoSite

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the host's FQDN, which can stall without DNS.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)


class DemoServer:
    """Serve the demo corpus on a loopback address in a background thread.

    ``port=0`` picks a free port; ``start()`` returns the base URL with the real port.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 8765,
        corpus: Corpus | None = None,
        wave: int | None = None,
    ):
        self.host = host
        self.port = port
        self.corpus = corpus or load_corpus()
        self.wave = wave
        self._httpd: _DemoHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise DemoServerError("the demo server is not running")
        host = self.host if ":" not in self.host else f"[{self.host}]"
        return f"http://{host}:{self._httpd.server_address[1]}"

    def start(self) -> str:
        if self._httpd is not None:
            return self.base_url
        try:
            httpd = _DemoHTTPServer((self.host, self.port), _Handler)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise DemoServerError(
                    f"cannot start the demo server: port {self.port} on {self.host} is already "
                    "in use (stop whatever uses it or choose another port)"
                ) from exc
            raise DemoServerError(
                f"cannot start the demo server on {self.host}:{self.port}: {exc}"
            ) from exc
        self._httpd = httpd
        httpd.site = DemoSite(self.corpus, self.base_url, self.wave)
        self._thread = threading.Thread(
            target=httpd.serve_forever, name="newsdesk-demo-server", daemon=True
        )
        self._thread.start()
        return self.base_url

    def release(self, wave: int | None) -> None:
        """Let the outlets publish the reports of ``wave`` and before (None: all of them)."""
        self.wave = wave
        if self._httpd is not None:
            self._httpd.site.wave = wave

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
