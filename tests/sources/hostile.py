"""A loopback server that misbehaves on purpose, in ways the `web` fixture cannot script.

Bodies here are produced while they are sent (a 50 MB page, an endless gzip stream), so the
test process never holds them; each route is a function of the request handler.
"""

from __future__ import annotations

import contextlib
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

type Handler = Callable[[BaseHTTPRequestHandler], None]

MB = 1024 * 1024


class HostileServer:
    def __init__(self) -> None:
        # Routes match by path prefix, longest first; the handler writes the whole response.
        self.routes: dict[str, Handler] = {}
        self.paths: list[str] = []
        self.bytes_sent = 0
        server = self

        class Requests(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                server.paths.append(self.path)
                for prefix in sorted(server.routes, key=len, reverse=True):
                    if self.path.startswith(prefix):
                        # A client that gave up mid-body is what most routes here expect.
                        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                            server.routes[prefix](self)
                        return
                self.send_error(404)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Requests)
        self._httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def start(self) -> HostileServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def url(self, path: str) -> str:
        return self.base_url + path

    def count(self, prefix: str) -> int:
        return sum(1 for path in self.paths if path.startswith(prefix))

    def stream(self, handler: BaseHTTPRequestHandler, chunks: Iterator[bytes]) -> None:
        for chunk in chunks:
            handler.wfile.write(chunk)
            self.bytes_sent += len(chunk)


@contextlib.contextmanager
def hostile_server() -> Iterator[HostileServer]:
    server = HostileServer().start()
    try:
        yield server
    finally:
        server.stop()


def respond(handler: BaseHTTPRequestHandler, status: int, **fields: str) -> None:
    handler.send_response(status)
    for name, value in fields.items():
        handler.send_header(name.replace("_", "-"), value)
    handler.end_headers()


def drip(server: HostileServer, seconds_per_byte: float = 1.0) -> Handler:
    """200, then one byte a second, with no declared length: only a total deadline stops it."""

    def route(handler: BaseHTTPRequestHandler) -> None:
        respond(handler, 200, Content_Type="text/html; charset=utf-8")
        for _ in range(600):
            server.stream(handler, iter([b"<"]))
            handler.wfile.flush()
            time.sleep(seconds_per_byte)

    return route


def endless_redirects(prefix: str) -> Handler:
    """/prefix/N answers 302 to /prefix/N+1, forever, every URL new."""

    def route(handler: BaseHTTPRequestHandler) -> None:
        step = int(handler.path.removeprefix(prefix).strip("/") or 0)
        respond(handler, 302, Location=f"{prefix}/{step + 1}", Content_Length="0")

    return route


def redirect(location: str) -> Handler:
    def route(handler: BaseHTTPRequestHandler) -> None:
        respond(handler, 302, Location=location, Content_Length="0")

    return route


def huge(server: HostileServer, size: int = 50 * MB, declared: bool = False) -> Handler:
    """A page of `size` bytes, sent in 64 KiB chunks, its length declared or not."""

    def route(handler: BaseHTTPRequestHandler) -> None:
        extra = {"Content_Length": str(size)} if declared else {}
        respond(handler, 200, Content_Type="text/html; charset=utf-8", **extra)
        chunk = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>\n"
        server.stream(handler, (chunk for _ in range(size // len(chunk))))

    return route


def gzip_bomb(server: HostileServer, inflated: int = 10 * 1024 * MB) -> Handler:
    """A gzip body of zeros that would inflate to `inflated` bytes (10 GiB: about 10 MB sent)."""

    def route(handler: BaseHTTPRequestHandler) -> None:
        respond(handler, 200, Content_Type="text/html; charset=utf-8", Content_Encoding="gzip")
        server.stream(handler, _gzip_zeros(inflated))

    return route


def _gzip_zeros(inflated: int) -> Iterator[bytes]:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(MB)
    for _ in range(inflated // MB):
        out = compressor.compress(zeros)
        if out:
            yield out
    yield compressor.flush()


def serve_bytes(body: bytes, content_type: str, status: int = 200, **fields: str) -> Handler:
    def route(handler: BaseHTTPRequestHandler) -> None:
        respond(handler, status, Content_Type=content_type, Content_Length=str(len(body)), **fields)
        handler.wfile.write(body)

    return route
