"""The embedded web server: Django's threaded WSGI server, run in the background or foreground."""

from __future__ import annotations

import threading

from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.core.wsgi import get_wsgi_application


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class SiteServer:
    def __init__(self, host: str = "127.0.0.1", port: int = 8000, quiet: bool = True) -> None:
        self.host = host
        self.port = port
        self.quiet = quiet
        self._server: ThreadedWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    def bind(self) -> str:
        """Bind the port (raising OSError with a clear message when taken) and return the URL."""
        handler = QuietHandler if self.quiet else WSGIRequestHandler
        try:
            server = ThreadedWSGIServer((self.host, self.port), handler, ipv6=":" in self.host)
        except OSError as exc:
            raise OSError(
                f"cannot serve on {self.host}:{self.port}: {exc.strerror or exc}"
            ) from None
        server.daemon_threads = True
        application: WSGIHandler = get_wsgi_application()
        server.set_app(application)
        self.port = server.server_address[1]
        self._server = server
        return self.url

    def serve_forever(self) -> None:
        if self._server is None:
            self.bind()
        assert self._server is not None
        self._server.serve_forever()

    def start_in_background(self) -> None:
        if self._server is None:
            self.bind()
        self._thread = threading.Thread(
            target=self.serve_forever, name="newsdesk-site", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
