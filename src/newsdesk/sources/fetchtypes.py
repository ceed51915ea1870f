"""What a fetch is asked for and what comes back: a result, or an error that says why."""

from __future__ import annotations

from dataclasses import dataclass, field

HTML_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"


class FetchError(Exception):
    """A fetch that failed; `reason` is short and meant for people (logs, `sources list`)."""

    def __init__(
        self,
        reason: str,
        *,
        status: int | None = None,
        transient: bool = True,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        # Transient failures (timeouts, 5xx) are retried later; permanent ones (404) are not.
        self.transient = transient
        # Seconds the host asked us to wait (Retry-After), or until it may be asked again.
        self.retry_after = retry_after


class FetchDeferred(FetchError):
    """Not sent at all: the host asked us to wait, or its turn is further off than a fetch may
    wait. Not a failure of the page: retry after `retry_after` seconds, without counting an
    attempt."""

    def __init__(self, reason: str, *, retry_after: float) -> None:
        super().__init__(reason, transient=True, retry_after=retry_after)


class FetchRefused(FetchError):
    """Refused before connecting: the address is not public (see NEWSDESK_FETCH_ALLOWED_ADDRESSES).
    Never transient."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason, transient=False)


@dataclass(frozen=True)
class FetchRequest:
    url: str
    # The caller's id for this request (e.g. a Link id), handed back with its result.
    key: int = 0
    etag: str = ""
    last_modified: str = ""
    accept: str = HTML_ACCEPT
    max_bytes: int | None = None


@dataclass
class FetchResult:
    url: str
    final_url: str
    status: int
    content: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


# What fetching one URL ends in: the response, or the reason there is none.
Outcome = FetchResult | FetchError
