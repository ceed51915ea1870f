from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count, Q
from django.utils import timezone
from rich.console import Console
from rich.table import Table

from newsdesk.pipeline.commands import prepare_database
from newsdesk.sources import health
from newsdesk.sources.catalog import FoundSource, find_source, install_default_sources, save_source
from newsdesk.sources.http import FetchError
from newsdesk.sources.models import Source

ACTIONS = {
    "disable": "stop polling a source",
    "enable": "poll a disabled source again",
    "pause": "pause a source: it is only probed every NEWSDESK_SOURCE_PROBE_HOURS, and a "
    "successful probe resumes it",
    "resume": "resume a paused or backing-off source at the next pass",
}


class Command(BaseCommand):
    help = "List, add, pause, resume, disable or enable the sources newsdesk watches."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="sources with their health")
        add = sub.add_parser("add", help="add a source from its homepage or feed URL")
        add.add_argument("url")
        add.add_argument("--name", help="display name (default: the site's title)")
        add.add_argument("--language", help="ISO 639-1 code (default: what the site declares)")
        add.add_argument("--country", default="", help="ISO 3166-1 alpha-2 code")
        add.add_argument("--section", default="World", help="default section")
        for action, what in ACTIONS.items():
            sub.add_parser(action, help=what).add_argument("source", help="slug or name")
        sub.add_parser("defaults", help="add the curated default sources")

    def handle(self, *args: Any, **options: Any) -> None:
        prepare_database()
        action = options["action"]
        if action == "list":
            self._list()
        elif action == "add":
            self._add(options)
        elif action in {"disable", "enable"}:
            source = self._find(options["source"])
            Source.objects.filter(pk=source.pk).update(active=action == "enable")
            self.stdout.write(f"{source.name}: {action}d")
        elif action in {"pause", "resume"}:
            source = self._find(options["source"])
            (health.pause if action == "pause" else health.resume)(source.pk)
            source.refresh_from_db()
            self.stdout.write(f"{source.name}: {health.state(source)}")
        elif action == "defaults":
            self.stdout.write(f"added {install_default_sources()} sources")

    def _find(self, key: str) -> Source:
        source = Source.objects.filter(Q(slug=key) | Q(name__iexact=key)).first()
        if source is None:
            raise CommandError(f"no source named {key!r}; see `newsdesk sources list`")
        return source

    def _add(self, options: dict[str, Any]) -> None:
        try:
            found = find_source(options["url"])
        except (FetchError, ValueError) as exc:
            reason = exc.reason if isinstance(exc, FetchError) else str(exc)
            raise CommandError(f"cannot add {options['url']}: {reason}") from None
        found = FoundSource(
            options["name"] or found.name,
            found.homepage,
            found.feeds,
            options["language"] or found.language or "en",
            found.kinds,
        )
        source, created = save_source(found, options["country"], options["section"])
        verb = "added" if created else "already known as"
        feeds = ", ".join(f"{url} ({found.kinds.get(url) or 'feed'})" for url in found.feeds)
        self.stdout.write(f"{verb} {source.name} ({source.slug}) with {feeds}")

    def _list(self) -> None:
        sources = Source.objects.annotate(
            feed_count=Count("feeds", distinct=True), report_count=Count("reports", distinct=True)
        ).order_by("name")
        table = Table(
            "source",
            "slug",
            "lang",
            "feeds",
            "reports",
            "state",
            "last success",
            "failures",
            "last error",
        )
        now = timezone.now()
        for s in sources:
            table.add_row(
                s.name,
                s.slug,
                s.language,
                str(s.feed_count),
                str(s.report_count),
                health.state(s, now),
                s.last_success_at.isoformat(timespec="seconds") if s.last_success_at else "-",
                str(s.consecutive_failures),
                s.last_error[:80],
            )
        Console(width=200).print(table)
