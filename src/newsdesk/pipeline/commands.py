"""Pieces the management commands share: migrating on start, and reporting a pass."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import CommandError
from rich.console import Console

from newsdesk.pipeline.runner import PassSummary
from newsdesk.pipeline.webserver import SiteServer


def prepare_database() -> None:
    """Bring the database up to date, so no command needs a separate `migrate` step."""
    from django.conf import settings

    settings.NEWSDESK_HOME.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)


def print_summary(console: Console, summary: PassSummary) -> None:
    console.print(
        f"[bold]pass done[/] in {summary.seconds:.1f}s: {summary.feeds} feeds, "
        f"{summary.new_links} new links, {summary.fetched} pages fetched, "
        f"{summary.reports} new reports, {summary.images} images, "
        f"{summary.clustered} clustered, {summary.published} articles published or updated"
    )
    for problem in summary.problems:
        console.print(f"[yellow]problem[/] {problem}", highlight=False)


def open_site(console: Console, host: str, port: int, *, quiet: bool = True) -> SiteServer:
    """Bind the site's port (a clear error when taken) and tell the reader where to go."""
    site = SiteServer(host, port, quiet=quiet)
    try:
        url = site.bind()
    except OSError as exc:
        raise CommandError(f"{exc} (choose another with --port)") from None
    console.print(f"[bold green]The news site is at {url}[/]  (Ctrl+C to stop)")
    return site


def serve_until_interrupted(console: Console, site: SiteServer) -> None:
    try:
        site.serve_forever()
    except KeyboardInterrupt:
        console.print("stopped")
