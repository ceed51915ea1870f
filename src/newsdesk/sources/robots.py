"""robots.txt as RFC 9309 reads it: groups per user agent, the longest matching rule wins.

urllib.robotparser takes the first matching rule instead, so the common "Disallow: /" followed
by "Allow: /news/" would shut a whole site; it knows no `*` or `$` either.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from urllib.parse import quote

AGENT = "newsdesk"
# RFC 9309 asks crawlers to read at least this much of a robots.txt.
MAX_BYTES = 512 * 1024


@dataclass(frozen=True)
class Rule:
    allow: bool
    pattern: str
    regex: re.Pattern[str]


@dataclass(frozen=True)
class RobotsRules:
    rules: tuple[Rule, ...] = ()
    crawl_delay: float = 0.0
    # True when robots.txt could not be read (5xx, unreachable): nothing may be fetched yet.
    disallow_all: bool = False

    def allows(self, path: str) -> bool:
        """Whether `path` (percent-encoded path and query) may be fetched."""
        if self.disallow_all:
            return False
        if path == "/robots.txt":
            return True
        best: Rule | None = None
        for rule in self.rules:
            if rule.regex.match(path) and (
                best is None
                or len(rule.pattern) > len(best.pattern)
                or (len(rule.pattern) == len(best.pattern) and rule.allow)
            ):
                best = rule
        return best is None or best.allow


ALLOW_ALL = RobotsRules()
DISALLOW_ALL = RobotsRules(disallow_all=True)


@dataclass
class _Group:
    agents: list[str] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    crawl_delay: float | None = None


def parse_robots(text: str, agent: str = AGENT) -> RobotsRules:
    """The rules for `agent` (its own groups, else those for `*`)."""
    groups = _groups(text)
    agent = agent.lower()
    mine = [g for g in groups if agent in g.agents] or [g for g in groups if "*" in g.agents]
    delays = [g.crawl_delay for g in mine if g.crawl_delay is not None]
    return RobotsRules(
        rules=tuple(rule for group in mine for rule in group.rules),
        crawl_delay=max(delays, default=0.0),
    )


def _groups(text: str) -> list[_Group]:
    groups: list[_Group] = []
    current: _Group | None = None
    in_agents = False
    for line in text.splitlines():
        key, sep, value = line.split("#", 1)[0].partition(":")
        if not sep:
            continue
        key, value = key.strip().lower(), value.strip()
        if key == "user-agent":
            if current is None or not in_agents:
                current = _Group()
                groups.append(current)
            # The product token is the name before any "/version".
            current.agents.append(value.split("/")[0].strip().lower())
            in_agents = True
            continue
        in_agents = False
        if current is None:
            continue
        if key in {"allow", "disallow"} and value:
            current.rules.append(_rule(key == "allow", value))
        elif key == "crawl-delay":
            try:
                delay = float(value)
            except ValueError:
                continue
            # A day at most: beyond that the host is in effect closed, which Disallow says.
            current.crawl_delay = min(max(delay, 0.0), 86400.0) if math.isfinite(delay) else None
    return groups


def _rule(allow: bool, pattern: str) -> Rule:
    # Rules are compared with percent-encoded URL paths, so encode them the same way.
    pattern = quote(pattern, safe="/*$?=&;:@!,'()+~-._%")
    anchored = pattern.endswith("$")
    body = pattern[:-1] if anchored else pattern
    regex = ".*".join(re.escape(part) for part in body.split("*"))
    return Rule(allow, pattern, re.compile(regex + (r"\Z" if anchored else "")))
