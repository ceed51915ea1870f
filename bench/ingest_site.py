"""The ingest benchmark's web: corpus articles as pages of several outlets, with feeds.

Each outlet has its own page layout (navigation, header, share buttons, related links,
comments, newsletter boxes, footers, inline scripts and styles, as real news sites do), its own
URL scheme and its own loopback port. Pages are rendered once at start-up and served from
memory by one asyncio loop, gzip-compressed when the client accepts it, so the server costs
little CPU of its own. Run as a script it serves until its standard input closes:

    python bench/ingest_site.py --data ../shared/data/corpus/wikinews.jsonl --pages 300

and prints one JSON line first: {"ports": [...], "feeds": [...], "pages": N, ...}.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import hashlib
import json
import os
import random
import re
import socket
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path

HTML = "text/html; charset=utf-8"
# A path's response: status, content type, body, and the body gzipped (b"" when not worth it).
Route = tuple[int, str, bytes, bytes]
Routes = dict[str, Route]
FEED_SIZE = 50
IMAGE_VARIANTS = 12
SECTIONS = ("World", "Politics", "Business", "Science", "Health", "Sport", "Culture")
FIRST_NAMES = ("Ana", "Tom", "Rui", "Mei", "Ola", "Sam", "Ida", "Kofi", "Lena", "Omar", "Ines")
LAST_NAMES = ("Marsh", "Okafor", "Lindqvist", "Haddad", "Moreau", "Tanaka", "Brennan", "Sousa")
WORD = re.compile(r"\S+")


class BenchDataError(ValueError):
    """The corpus file is missing or holds no usable article."""


@dataclass(frozen=True)
class Story:
    title: str
    date: datetime
    paragraphs: tuple[str, ...]


def load_stories(path: Path) -> list[Story]:
    """Articles of a JSON-lines corpus (title, date, text); unusable lines are skipped."""
    if not path.is_file():
        raise BenchDataError(
            f"no corpus at {path}: pass --data with the path of wikinews.jsonl "
            "(from the project root: ../shared/data/corpus/wikinews.jsonl)"
        )
    stories: list[Story] = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                date = datetime.fromisoformat(str(row["date"])).replace(tzinfo=UTC)
                title = str(row["title"]).strip()
                text = str(row["text"])
            except (ValueError, KeyError, TypeError) as exc:
                print(f"{path}:{number}: skipped: {exc!r}", file=sys.stderr)
                continue
            # Wikinews texts open with their dateline; the page prints its own.
            paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
            paragraphs = [p for p in paragraphs if p][1:]
            if title and paragraphs:
                stories.append(Story(title, date, tuple(paragraphs)))
    if not stories:
        raise BenchDataError(f"{path} holds no article with a date, a title and a text")
    return stories


def varied(paragraphs: tuple[str, ...], repeat: int, seed: int) -> tuple[str, ...]:
    """The text of a repeated article, different enough not to be a near-copy of the others.

    Repeat 0 is the article itself. Later repeats replace every eighth word (at a position
    that shifts with the repeat) by another word of the same article: the text keeps its
    length, vocabulary and paragraphs, so extraction costs the same, but fewer than a third
    of its 5-word shingles survive, so the desk sees distinct reports, as a real flow of
    news would be, and not copies it could short-cut.
    """
    if repeat == 0:
        return paragraphs
    rng = random.Random(seed * 1000 + repeat)
    vocabulary = [w for p in paragraphs for w in p.split() if w.isalpha() and len(w) > 3]
    if not vocabulary:
        return paragraphs
    position = 0
    out: list[str] = []
    for paragraph in paragraphs:
        words = paragraph.split()
        for i in range(len(words)):
            if (position + repeat) % 8 == 0:
                words[i] = rng.choice(vocabulary)
            position += 1
        out.append(" ".join(words))
    return tuple(out)


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


@dataclass
class Outlet:
    index: int
    name: str
    slug: str
    tagline: str
    layout: Callable[[PageContext], str]
    url_style: Callable[[Page, str], str]
    feed_kind: str  # "rss" or "atom"
    pages: list[Page] = field(default_factory=list)


@dataclass(frozen=True)
class PageContext:
    page: Page
    outlet: Outlet
    base: str
    related: list[Page]
    rng: random.Random

    def url(self, page: Page) -> str:
        return self.base + page.path


def _slug(title: str) -> str:
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


# --- boilerplate shared by the layouts ------------------------------------------------------

COMMENT_OPENERS = (
    "Interesting read, but",
    "I have been following this and",
    "Thanks for the reporting;",
    "Not sure I agree:",
    "As someone who lives nearby,",
    "Good piece, although",
    "This is the third time this year and",
)
COMMENT_ENDINGS = (
    "I would like to see a follow-up on what happens next.",
    "the officials quoted here have said the same before.",
    "nobody seems to be asking who pays for it.",
    "the numbers in the second paragraph look different elsewhere.",
    "it deserves more attention than it gets.",
    "let us hope the lessons are learned this time.",
)


def _css(prefix: str, rng: random.Random) -> str:
    rules = []
    parts = ("wrap", "top", "nav", "main", "side", "foot", "share", "related", "comments")
    for name in [
        f"{part}{suffix}" for part in parts for suffix in ("", "-inner", "-item", "-link")
    ]:
        colour = f"#{rng.randrange(0x1000000):06x}"
        rules.append(
            f".{prefix}-{name} {{ margin: 0 auto; padding: {rng.randint(4, 24)}px; "
            f"color: {colour}; font: {rng.randint(12, 18)}px/1.5 Georgia, serif; }}"
        )
        rules.append(f"@media (max-width: 720px) {{ .{prefix}-{name} {{ padding: 4px; }} }}")
    return "<style>\n" + "\n".join(rules) + "\n</style>"


def _analytics(ctx: PageContext) -> str:
    # Real pages carry tracking and app-state blobs; they are bytes to download and to parse.
    state = {
        "page": {"id": ctx.page.number, "section": ctx.page.section, "type": "article"},
        "ads": [{"slot": f"slot-{i}", "sizes": [[300, 250], [728, 90]]} for i in range(8)],
        "recommendations": [
            {"title": p.title, "url": ctx.url(p), "teaser": p.paragraphs[0][:200]}
            for p in ctx.related
        ],
        "experiments": {f"exp_{i}": ctx.rng.choice(["a", "b", "control"]) for i in range(40)},
        "consent": {"vendors": [{"id": i, "purposes": [1, 2, 3, 4, 7]} for i in range(60)]},
    }
    blob = json.dumps(state)
    return (
        "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push("
        "arguments);}gtag('js',new Date());gtag('config','G-BENCH0000');</script>\n"
        f"<script>window.__APP_STATE__ = {blob};</script>"
    )


def _json_ld(ctx: PageContext) -> str:
    page = ctx.page
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": page.title,
        "datePublished": page.published.isoformat(),
        "author": {"@type": "Person", "name": page.author},
        "publisher": {"@type": "Organization", "name": ctx.outlet.name},
        "articleSection": page.section,
    }
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def _head(ctx: PageContext, prefix: str) -> str:
    page = ctx.page
    url = ctx.url(page)
    image = f'<meta property="og:image" content="{ctx.base}{page.image}">' if page.image else ""
    return f"""<meta charset="utf-8">
<title>{escape(page.title)} | {escape(ctx.outlet.name)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="canonical" href="{url}">
<meta property="og:url" content="{url}">
<meta property="og:title" content="{escape(page.title)}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="{escape(ctx.outlet.name)}">
{image}
<meta name="author" content="{escape(page.author)}">
<meta property="article:published_time" content="{page.published.isoformat()}">
<meta property="article:section" content="{page.section}">
<link rel="alternate" type="application/rss+xml" href="{ctx.base}/feeds/all-0.xml">
{_css(prefix, ctx.rng)}
{_json_ld(ctx)}
{_analytics(ctx)}"""


def _nav_links(ctx: PageContext, count: int) -> str:
    items = []
    for i in range(count):
        section = SECTIONS[i % len(SECTIONS)]
        sub = "".join(
            f'<li><a href="{ctx.base}/{section.lower()}/topic-{i}/{j}">{section} topic {i}.{j}'
            "</a></li>"
            for j in range(5)
        )
        items.append(
            f'<li class="menu-item"><a href="{ctx.base}/{section.lower()}/topic-{i}">'
            f"{_icon(100 + i % 6) if i < 6 else ''}{section} {i}</a>"
            f'<ul class="sub-menu">{sub}</ul></li>'
        )
    return "\n".join(items)


def _related(ctx: PageContext, css: str) -> str:
    return "\n".join(
        f'<li class="{css}"><a href="{ctx.url(p)}">{escape(p.title)}</a>'
        f"<span>{p.published:%d %b %Y}</span></li>"
        for p in ctx.related
    )


def _comments(ctx: PageContext, css: str) -> str:
    out = []
    for i in range(ctx.rng.randint(0, 12)):
        who = f"{ctx.rng.choice(FIRST_NAMES)}{ctx.rng.randint(1, 99)}"
        text = f"{ctx.rng.choice(COMMENT_OPENERS)} {ctx.rng.choice(COMMENT_ENDINGS)}"
        out.append(
            f'<li class="{css}" id="c{i}"><b class="{css}-author">{who}</b> '
            f"<time>{ctx.rng.randint(1, 59)} minutes ago</time><p>{text}</p>"
            f'<a href="#reply-{i}">Reply</a> <a href="#report-{i}">Report</a></li>'
        )
    return "\n".join(out)


def _icon(seed: int) -> str:
    # Inline SVG icons: a real page's share bars and menus are full of them.
    rng = random.Random(seed)
    points = " ".join(f"L{rng.uniform(0, 24):.3f} {rng.uniform(0, 24):.3f}" for _ in range(40))
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="20" height="20" '
        f'aria-hidden="true"><path fill="currentColor" d="M12 2 {points} Z"/></svg>'
    )


def _share(ctx: PageContext, css: str) -> str:
    url = ctx.url(ctx.page)
    networks = ("Facebook", "X", "LinkedIn", "WhatsApp", "Email", "Copy link")
    return "\n".join(
        f'<a class="{css}" href="https://share.example/{n.lower()}?u={url}">{_icon(i)}'
        f"<span>Share on {n}</span></a>"
        for i, n in enumerate(networks)
    )


def _paragraphs(ctx: PageContext, every: int, aside: Callable[[int], str]) -> str:
    out = []
    for i, paragraph in enumerate(ctx.page.paragraphs):
        out.append(f"<p>{escape(paragraph)}</p>")
        if i and i % every == 0:
            out.append(aside(i))
    return "\n".join(out)


def _figure(ctx: PageContext, css: str) -> str:
    page = ctx.page
    if not page.image:
        return ""
    return (
        f'<figure class="{css}"><img src="{ctx.base}{page.image}" alt="{escape(page.title)}" '
        f'width="640" height="360"><figcaption>{escape(page.title[:60])} '
        f"Photo: {escape(ctx.outlet.name)}</figcaption></figure>"
    )


def _footer_links(ctx: PageContext) -> str:
    labels = (
        "About us", "Contact", "Careers", "Advertise", "Privacy policy", "Cookie settings",
        "Terms of use", "Accessibility", "Corrections", "Newsletters", "Podcasts", "Archive",
    )  # fmt: skip
    return " | ".join(
        f'<a href="{ctx.base}/about/{i}">{label}</a>' for i, label in enumerate(labels)
    )


# --- the layouts ------------------------------------------------------------------------------


def layout_broadsheet(ctx: PageContext) -> str:
    page = ctx.page

    def aside(i: int) -> str:
        other = ctx.related[i % len(ctx.related)] if ctx.related else page
        link = f'<a href="{ctx.url(other)}">{escape(other.title)}</a>'
        return f'<aside class="bs-inline">Read more: {link}</aside>'

    return f"""<!DOCTYPE html>
<html lang="en"><head>{_head(ctx, "bs")}</head>
<body class="bs-wrap">
<div class="bs-top"><a href="{ctx.base}/" class="bs-logo">{escape(ctx.outlet.name)}</a>
<span class="bs-tagline">{escape(ctx.outlet.tagline)}</span>
<a href="{ctx.base}/subscribe">Subscribe</a> <a href="{ctx.base}/login">Sign in</a></div>
<nav class="bs-nav"><ul>{_nav_links(ctx, 48)}</ul></nav>
<div class="bs-breadcrumb"><a href="{ctx.base}/">Home</a> &rsaquo;
<a href="{ctx.base}/{page.section.lower()}">{page.section}</a></div>
<main class="bs-main"><article>
<h1>{escape(page.title)}</h1>
<p class="bs-byline">By
<a rel="author" href="{ctx.base}/authors/{_slug(page.author)}">{escape(page.author)}</a>
<time datetime="{page.published.isoformat()}">{page.published:%A %d %B %Y}</time></p>
<div class="bs-share">{_share(ctx, "bs-share-btn")}</div>
{_figure(ctx, "bs-figure")}
<div class="bs-body">
{_paragraphs(ctx, 4, aside)}
</div>
<ul class="bs-tags"><li><a href="{ctx.base}/tag/{page.section.lower()}">{page.section}</a></li></ul>
</article>
<section class="bs-related"><h2>Related stories</h2><ul>{_related(ctx, "bs-rel")}</ul></section>
<section class="bs-comments" id="comments"><h2>Comments</h2><ol>{_comments(ctx, "bs-c")}</ol>
<form><textarea name="comment"></textarea><button>Post comment</button></form></section>
</main>
<footer class="bs-foot">{_footer_links(ctx)}
<p>&copy; {page.published.year} {escape(ctx.outlet.name)}. All rights reserved.</p></footer>
</body></html>"""


def layout_portal(ctx: PageContext) -> str:
    page = ctx.page

    def aside(i: int) -> str:
        return '<div class="pt-ad" data-slot="inarticle">Advertisement</div>'

    return f"""<!DOCTYPE html>
<html lang="en"><head>{_head(ctx, "pt")}</head>
<body>
<div class="pt-cookie" id="cookie-banner">We use cookies to personalise content and ads, to provide
social media features and to analyse our traffic.
<button>Accept all</button> <button>Manage</button></div>
<div class="pt-ticker">Breaking: markets open higher &middot; Weather warning for the coast
&middot; Live scores</div>
<header class="pt-top"><a class="pt-logo" href="{ctx.base}/">{escape(ctx.outlet.name)}</a>
<form class="pt-search" action="{ctx.base}/search">
<input name="q" placeholder="Search"></form></header>
<div class="pt-nav">{_nav_links(ctx, 30)}</div>
<div class="pt-wrap">
<div class="pt-main">
<div class="pt-ad" data-slot="leader">Advertisement</div>
<div class="story-body">
<span class="pt-kicker">{page.section}</span>
<h1 class="pt-headline">{escape(page.title)}</h1>
<div class="pt-meta">{escape(page.author)} &middot; {page.published:%d/%m/%Y %H:%M}</div>
{_figure(ctx, "pt-figure")}
{_paragraphs(ctx, 3, aside)}
</div>
<div class="pt-share">{_share(ctx, "pt-s")}</div>
<div class="pt-comments"><h3>{ctx.rng.randint(3, 400)} comments</h3>
<ul>{_comments(ctx, "pt-c")}</ul></div>
</div>
<div class="pt-side">
<div class="pt-mostread"><h3>Most read</h3><ol>{_related(ctx, "pt-mr")}</ol></div>
<div class="pt-newsletter"><h3>The morning briefing</h3><p>The day's top stories in your inbox
before breakfast, every weekday.</p><form><input type="email"><button>Sign up</button></form></div>
<div class="pt-ad" data-slot="mpu">Advertisement</div>
</div>
</div>
<div class="pt-foot">{_footer_links(ctx)}</div>
</body></html>"""


def layout_app(ctx: PageContext) -> str:
    page = ctx.page

    def aside(i: int) -> str:
        return f'<h2 class="ap-sub">{escape(" ".join(page.paragraphs[i].split()[:6]))}</h2>'

    return f"""<!DOCTYPE html>
<html lang="en-GB"><head>{_head(ctx, "ap")}
<script>{"/* bundle */ " + "var m=[];" * 400}</script></head>
<body><div id="root">
<header class="ap-top"><button aria-label="Menu">&#9776;</button>
<a href="{ctx.base}/">{escape(ctx.outlet.name)}</a><a href="{ctx.base}/account">Account</a></header>
<div class="ap-drawer" hidden><ul>{_nav_links(ctx, 60)}</ul></div>
<main class="ap-main"><article class="ap-article">
<header><p class="ap-section">{page.section}</p><h1>{escape(page.title)}</h1>
<div class="ap-author">Written by {escape(page.author)}</div>
<time datetime="{page.published.isoformat()}">{page.published:%B %d, %Y}</time></header>
{_figure(ctx, "ap-figure")}
<section class="ap-body">{_paragraphs(ctx, 5, aside)}</section>
<div class="ap-share">{_share(ctx, "ap-share")}</div>
</article>
<section class="ap-related"><h2>More from {escape(ctx.outlet.name)}</h2>
<ul>{_related(ctx, "ap-r")}</ul></section>
</main>
<footer class="ap-foot"><nav>{_footer_links(ctx)}</nav></footer>
</div></body></html>"""


def layout_wire(ctx: PageContext) -> str:
    page = ctx.page
    city = ("LONDON", "NAIROBI", "LIMA", "MANILA", "OSLO", "CAIRO")[page.number % 6]
    first, *rest = page.paragraphs
    return f"""<!DOCTYPE html>
<html lang="en"><head>{_head(ctx, "wr")}</head>
<body><table class="wr-top" width="100%"><tr>
<td><a href="{ctx.base}/">{escape(ctx.outlet.name)}</a></td>
<td align="right"><a href="{ctx.base}/markets">Markets</a>
<a href="{ctx.base}/wire">Wire</a></td></tr></table>
<div class="wr-nav">{_nav_links(ctx, 14)}</div>
<div id="content">
<h1>{escape(page.title)}</h1>
<div class="wr-dateline">{page.published:%d %B %Y} | {escape(page.author)}</div>
<p>{city} ({escape(ctx.outlet.name)}) - {escape(first)}</p>
{"".join(f"<p>{escape(p)}</p>" for p in rest)}
<p class="wr-credit">Reporting by {escape(page.author)};
editing by {escape(ctx.rng.choice(LAST_NAMES))}</p>
<p class="wr-trust">Our standards: the {escape(ctx.outlet.name)} trust principles.</p>
</div>
<div class="wr-related"><b>Also on the wire</b><ul>{_related(ctx, "wr-r")}</ul></div>
<div class="wr-foot">{_footer_links(ctx)}<br>All quotes delayed a minimum of 15 minutes.</div>
</body></html>"""


def layout_magazine(ctx: PageContext) -> str:
    page = ctx.page

    def aside(i: int) -> str:
        sentence = page.paragraphs[i].split(". ")[0][:160]
        return f'<blockquote class="mg-pull">{escape(sentence)}</blockquote>'

    archives = "".join(f'<li><a href="{ctx.base}/{y}/">{y}</a></li>' for y in range(2010, 2021))
    return f"""<!DOCTYPE html>
<html lang="en"><head>{_head(ctx, "mg")}</head>
<body class="single-post">
<div class="mg-top"><a href="{ctx.base}/" rel="home">{escape(ctx.outlet.name)}</a>
<p class="site-description">{escape(ctx.outlet.tagline)}</p></div>
<nav class="main-navigation"><ul class="menu">{_nav_links(ctx, 22)}</ul></nav>
<div class="mg-wrap"><div class="content-area">
<article class="post type-post status-publish">
<header class="entry-header"><h1 class="entry-title">{escape(page.title)}</h1>
<div class="entry-meta">Posted on
<time class="entry-date published">{page.published:%B %d, %Y}</time>
by <span class="author vcard">{escape(page.author)}</span> in
<a href="{ctx.base}/category/{page.section.lower()}" rel="category tag">{page.section}</a>
</div></header>
{_figure(ctx, "wp-caption")}
<div class="entry-content">{_paragraphs(ctx, 6, aside)}</div>
<footer class="entry-footer"><div class="sharedaddy">{_share(ctx, "share-icon")}</div></footer>
</article>
<div class="author-info"><h2>About {escape(page.author)}</h2><p>{escape(page.author)} writes about
{page.section.lower()} and has reported from four continents.</p></div>
<nav class="post-navigation"><ul>{_related(ctx, "nav-link")}</ul></nav>
<div id="comments" class="comments-area"><ol class="comment-list">{_comments(ctx, "comment")}</ol>
<div id="respond"><h3>Leave a Reply</h3>
<form><textarea></textarea><input type="submit" value="Post Comment"></form></div></div>
</div>
<aside class="widget-area"><section class="widget"><h2>Recent posts</h2>
<ul>{_related(ctx, "recent")}</ul></section>
<section class="widget"><h2>Archives</h2><ul>{archives}</ul></section></aside>
</div>
<footer class="site-footer">{_footer_links(ctx)}
<p>Proudly powered by a content management system.</p></footer>
</body></html>"""


LAYOUTS = (layout_broadsheet, layout_portal, layout_app, layout_wire, layout_magazine)
URL_STYLES = (_path_dated, _path_section, _path_numeric, _path_news, _path_story)
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


# --- the site ---------------------------------------------------------------------------------


@dataclass
class Site:
    outlets: list[Outlet]
    # Per outlet: path -> (status, content type, body, gzip body or b"").
    routes: list[Routes]
    html_bytes: int = 0

    @property
    def pages(self) -> int:
        return sum(len(o.pages) for o in self.outlets)


def plan(stories: list[Story], count: int, outlets: int) -> list[Outlet]:
    """`count` pages, the corpus repeated under new URLs, spread over `outlets` outlets."""
    chosen = [OUTLET_NAMES[i % len(OUTLET_NAMES)] for i in range(outlets)]
    result = [
        Outlet(
            index=i,
            name=name if i < len(OUTLET_NAMES) else f"{name} {i}",
            slug=_slug(name) + (f"-{i}" if i >= len(OUTLET_NAMES) else ""),
            tagline=tagline,
            layout=LAYOUTS[i % len(LAYOUTS)],
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
        path = outlet.url_style(page, _slug(story.title))
        outlet.pages.append(_with_path(page, path))
    return result


def _with_path(page: Page, path: str) -> Page:
    return Page(**{**page.__dict__, "path": path})


def build_site(stories: list[Story], count: int, outlets: int, ports: list[int]) -> Site:
    planned = plan(stories, count, outlets)
    images = _images()
    routes: list[Routes] = []
    html_bytes = 0
    for outlet, port in zip(planned, ports, strict=True):
        base = f"http://127.0.0.1:{port}"
        table: Routes = {}
        for position, page in enumerate(outlet.pages):
            neighbours = (
                outlet.pages[max(0, position - 4) : position]
                + outlet.pages[position + 1 : position + 5]
            )
            ctx = PageContext(page, outlet, base, neighbours, random.Random(page.number))
            body = outlet.layout(ctx).encode()
            html_bytes += len(body)
            table[page.path] = _route(HTML, body)
            if page.image:
                table[page.image] = (200, "image/jpeg", images[page.number % len(images)], b"")
        for number, chunk in enumerate(_chunks(outlet.pages, FEED_SIZE)):
            kind = outlet.feed_kind
            body = render_feed(outlet, chunk, base, f"/feeds/all-{number}.xml", kind)
            content_type = "application/atom+xml" if kind == "atom" else "application/rss+xml"
            table[f"/feeds/all-{number}.xml"] = _route(content_type, body)
        table["/"] = _route(HTML, _home(outlet, base))
        table["/robots.txt"] = (200, "text/plain", b"User-agent: *\nAllow: /\n", b"")
        routes.append(table)
    return Site(planned, routes, html_bytes)


def feed_paths(site: Site) -> list[list[str]]:
    return [sorted(p for p in table if p.startswith("/feeds/")) for table in site.routes]


def _route(content_type: str, body: bytes) -> Route:
    return (200, content_type, body, gzip.compress(body, compresslevel=6))


def _chunks(pages: list[Page], size: int) -> Iterator[list[Page]]:
    for start in range(0, len(pages), size):
        yield pages[start : start + size]


def _images() -> list[bytes]:
    from newsdesk.demo.images import image_bytes

    motifs = ("storm", "election", "finance", "space", "health", "sport", "nature", "city")
    return [image_bytes(f"bench-{i}", motifs[i % len(motifs)]) for i in range(IMAGE_VARIANTS)]


def _home(outlet: Outlet, base: str) -> bytes:
    items = "".join(
        f'<li><a href="{base}{p.path}">{escape(p.title)}</a></li>' for p in outlet.pages[:30]
    )
    kind = "application/atom+xml" if outlet.feed_kind == "atom" else "application/rss+xml"
    return (
        f'<!DOCTYPE html><html lang="en"><head><title>{escape(outlet.name)}</title>'
        f'<link rel="alternate" type="{kind}" href="{base}/feeds/all-0.xml"></head>'
        f"<body><h1>{escape(outlet.name)}</h1><ul>{items}</ul></body></html>"
    ).encode()


def render_feed(outlet: Outlet, pages: list[Page], base: str, path: str, kind: str) -> bytes:
    newest = max(p.published for p in pages)
    if kind == "atom":
        entries = "".join(
            f"<entry><title>{escape(p.title)}</title>"
            f'<link rel="alternate" href="{base}{p.path}"/><id>{base}{p.path}</id>'
            f"<updated>{p.published.isoformat()}</updated>"
            f"<published>{p.published.isoformat()}</published>"
            f"<author><name>{escape(p.author)}</name></author>"
            f'<category term="{p.section}"/>'
            f"<summary>{escape(p.paragraphs[0][:300])}</summary></entry>"
            for p in pages
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?>'
            '<feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{escape(outlet.name)}</title><id>{base}{path}</id>"
            f'<link rel="self" href="{base}{path}"/><link href="{base}/"/>'
            f"<updated>{newest.isoformat()}</updated>{entries}</feed>"
        ).encode()
    items = "".join(
        f"<item><title>{escape(p.title)}</title><link>{base}{p.path}</link>"
        f'<guid isPermaLink="true">{base}{p.path}</guid>'
        f"<pubDate>{format_datetime(p.published)}</pubDate>"
        f"<category>{p.section}</category>"
        f"<description>{escape(p.paragraphs[0][:300])}</description></item>"
        for p in pages
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(outlet.name)}</title><link>{base}/</link>"
        f"<description>{escape(outlet.tagline)}</description><language>en</language>"
        f"{items}</channel></rss>"
    ).encode()


# --- serving ----------------------------------------------------------------------------------


async def _serve_connection(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    routes: Routes,
) -> None:
    """HTTP/1.1 with keep-alive, GET only: enough for a client that pools its connections."""
    try:
        while True:
            request_line = await reader.readline()
            if not request_line:
                return
            headers: dict[str, str] = {}
            while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                headers[name.strip().lower()] = value.strip()
            parts = request_line.decode("latin-1").split()
            path = parts[1].split("?")[0] if len(parts) > 1 else "/"
            if path == "/__bench/cpu":
                times = os.times()
                cpu = json.dumps([times.user, times.system]).encode()
                route = (200, "application/json", cpu, b"")
            else:
                route = routes.get(path) or (404, "text/plain", b"not found\n", b"")
            status, content_type, body, packed = route
            extra = ""
            if packed and "gzip" in headers.get("accept-encoding", ""):
                body, extra = packed, "Content-Encoding: gzip\r\n"
            reason = "OK" if status == 200 else "Not Found"
            writer.write(
                f"HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\n"
                f"Content-Length: {len(body)}\r\n{extra}\r\n".encode()
                + body
            )
            await writer.drain()
            if headers.get("connection", "").lower() == "close":
                return
    except (ConnectionError, asyncio.IncompleteReadError):
        return
    finally:
        writer.close()


async def _serve(site_routes: list[Routes], sockets: list[socket.socket]) -> None:
    servers = []
    for routes, sock in zip(site_routes, sockets, strict=True):

        async def handle(
            reader: asyncio.StreamReader,
            writer: asyncio.StreamWriter,
            routes: Routes = routes,
        ) -> None:
            await _serve_connection(reader, writer, routes)

        servers.append(await asyncio.start_server(handle, sock=sock, backlog=512))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    # Standard input closing (the bench ending, or dying) ends the server.
    threading.Thread(
        target=lambda: (sys.stdin.read(), loop.call_soon_threadsafe(stop.set)), daemon=True
    ).start()
    await stop.wait()
    for server in servers:
        server.close()


def _bind(count: int) -> list[socket.socket]:
    sockets = []
    for _ in range(count):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        sockets.append(sock)
    return sockets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--outlets", type=int, default=6)
    args = parser.parse_args(argv)
    try:
        stories = load_stories(args.data)
    except BenchDataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    sockets = _bind(args.outlets)
    ports = [s.getsockname()[1] for s in sockets]
    site = build_site(stories, args.pages, args.outlets, ports)
    digest = hashlib.sha256(b"".join(t[p][2] for t in site.routes for p in sorted(t))).hexdigest()
    info = {
        "ports": ports,
        "feeds": [
            [f"http://127.0.0.1:{port}{path}" for path in paths]
            for port, paths in zip(ports, feed_paths(site), strict=True)
        ],
        "outlets": [o.name for o in site.outlets],
        "pages": site.pages,
        "html_bytes": site.html_bytes,
        "digest": digest[:16],
    }
    print(json.dumps(info), flush=True)
    asyncio.run(_serve(site.routes, sockets))
    return 0


if __name__ == "__main__":
    sys.exit(main())
