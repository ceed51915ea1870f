"""The ingest benchmark's outlets and their pages: who publishes which article, when, where.

`plan` spreads the corpus, repeated under new URLs as often as the page count asks, over the
outlets, each with its own name, page layout, URL scheme and feed format.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from ingest_corpus import Story, varied

SECTIONS = ("World", "Politics", "Business", "Science", "Health", "Sport", "Culture")
FIRST_NAMES = ("Ana", "Tom", "Rui", "Mei", "Ola", "Sam", "Ida", "Kofi", "Lena", "Omar", "Ines")
LAST_NAMES = ("Marsh", "Okafor", "Lindqvist", "Haddad", "Moreau", "Tanaka", "Brennan", "Sousa")
OUTLET_NAMES = (
    ("Northfield Gazette", "Independent news since 1881"),
    ("The Daily Compass", "Where the story leads"),
    ("Metro Wire Service", "Fast, fair, first"),
    ("Harbourline", "News for the coast and beyond"),
    ("The Evening Lantern", "Light on the day's news"),
    ("Plainview Post", "Plain news, plainly told"),
    ("Riverbend Times", "Local roots, world view"),
    ("The Summit Ledger", "Reporting from the heights"),
)


@dataclass(frozen=True)
class Page:
    number: int
    outlet: int
    path: str
    title: str
    published: datetime
    paragraphs: tuple[str, ...]
    section: str
    author: str
    image: str  # path of the lead image, "" when the page has none


type Layout = Callable[[PageContext], str]
type UrlStyle = Callable[[Page, str], str]


@dataclass
class Outlet:
    index: int
    name: str
    slug: str
    tagline: str
    layout: Layout
    url_style: UrlStyle
    feed_kind: str  # "rss" or "atom"
    pages: list[Page] = field(default_factory=list)


@dataclass(frozen=True)
class PageContext:
    """What a layout renders a page from; `rng` is seeded by the page, so pages are stable."""

    page: Page
    outlet: Outlet
    base: str
    related: list[Page]
    rng: random.Random

    def url(self, page: Page) -> str:
        return self.base + page.path


def slugify(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:80] or "article"


def _path_dated(page: Page, slug: str) -> str:
    return f"/{page.published:%Y/%m/%d}/{slug}-{page.number}"


def _path_section(page: Page, slug: str) -> str:
    return f"/{page.section.lower()}/{slug}-{page.number:06d}.html"


def _path_numeric(page: Page, slug: str) -> str:
    return f"/article/{100000 + page.number}/{slug}"


def _path_news(page: Page, slug: str) -> str:
    return f"/news/{page.section.lower()}-{page.number}"


def _path_story(page: Page, slug: str) -> str:
    return f"/story/{page.published:%Y%m%d}/{slug}/{page.number}/"


URL_STYLES: tuple[UrlStyle, ...] = (
    _path_dated,
    _path_section,
    _path_numeric,
    _path_news,
    _path_story,
)


def plan(stories: list[Story], count: int, outlets: int, layouts: Sequence[Layout]) -> list[Outlet]:
    """`count` pages, the corpus repeated under new URLs, spread over `outlets` outlets."""
    chosen = [OUTLET_NAMES[i % len(OUTLET_NAMES)] for i in range(outlets)]
    result = [
        Outlet(
            index=i,
            name=name if i < len(OUTLET_NAMES) else f"{name} {i}",
            slug=slugify(name) + (f"-{i}" if i >= len(OUTLET_NAMES) else ""),
            tagline=tagline,
            layout=layouts[i % len(layouts)],
            url_style=URL_STYLES[i % len(URL_STYLES)],
            feed_kind="atom" if i % 2 else "rss",
        )
        for i, (name, tagline) in enumerate(chosen)
    ]
    for number in range(count):
        index, repeat = number % len(stories), number // len(stories)
        story = stories[index]
        outlet = result[number % outlets]
        rng = random.Random(number)
        page = Page(
            number=number,
            outlet=outlet.index,
            path="",
            title=story.title,
            # A repeat is a later article: a day on per repeat, at a varied hour.
            published=story.date + timedelta(days=repeat, hours=6 + number % 14),
            paragraphs=varied(story.paragraphs, repeat, index),
            section=SECTIONS[index % len(SECTIONS)],
            author=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            image=f"/images/{number}.jpg" if number % 10 < 7 else "",
        )
        outlet.pages.append(replace(page, path=outlet.url_style(page, slugify(story.title))))
    return result
