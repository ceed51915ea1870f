"""What a news page carries around its article, in the parts the bench's layouts share.

Each part takes the layout's class prefix or names, so the outlets stay unlike each other;
the random parts draw from the page's own generator, so a page renders the same every run.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from html import escape

from ingest_feeds import feed_path
from ingest_outlets import FIRST_NAMES, SECTIONS, PageContext

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


def head(ctx: PageContext, prefix: str) -> str:
    """The inside of <head>: metadata, the outlet's styles, JSON-LD and tracking scripts.

    A layout renders it first: it draws from the page's generator before the body does.
    """
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
<link rel="alternate" type="application/rss+xml" href="{ctx.base}{feed_path(0)}">
{_css(prefix, ctx.rng)}
{_json_ld(ctx)}
{_analytics(ctx)}"""


def icon(seed: int) -> str:
    # Inline SVG icons: a real page's share bars and menus are full of them.
    rng = random.Random(seed)
    points = " ".join(f"L{rng.uniform(0, 24):.3f} {rng.uniform(0, 24):.3f}" for _ in range(40))
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="20" height="20" '
        f'aria-hidden="true"><path fill="currentColor" d="M12 2 {points} Z"/></svg>'
    )


def nav_links(ctx: PageContext, count: int) -> str:
    """A mega-menu of `count` section entries, five topics under each."""
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
            f"{icon(100 + i % 6) if i < 6 else ''}{section} {i}</a>"
            f'<ul class="sub-menu">{sub}</ul></li>'
        )
    return "\n".join(items)


def related(ctx: PageContext, css: str) -> str:
    return "\n".join(
        f'<li class="{css}"><a href="{ctx.url(p)}">{escape(p.title)}</a>'
        f"<span>{p.published:%d %b %Y}</span></li>"
        for p in ctx.related
    )


def comments(ctx: PageContext, css: str) -> str:
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


def share(ctx: PageContext, css: str) -> str:
    url = ctx.url(ctx.page)
    networks = ("Facebook", "X", "LinkedIn", "WhatsApp", "Email", "Copy link")
    return "\n".join(
        f'<a class="{css}" href="https://share.example/{n.lower()}?u={url}">{icon(i)}'
        f"<span>Share on {n}</span></a>"
        for i, n in enumerate(networks)
    )


def paragraphs(ctx: PageContext, every: int, aside: Callable[[int], str]) -> str:
    """The article's paragraphs, with `aside(i)` after every `every`-th one but the first."""
    out = []
    for i, paragraph in enumerate(ctx.page.paragraphs):
        out.append(f"<p>{escape(paragraph)}</p>")
        if i and i % every == 0:
            out.append(aside(i))
    return "\n".join(out)


def figure(ctx: PageContext, css: str) -> str:
    page = ctx.page
    if not page.image:
        return ""
    return (
        f'<figure class="{css}"><img src="{ctx.base}{page.image}" alt="{escape(page.title)}" '
        f'width="640" height="360"><figcaption>{escape(page.title[:60])} '
        f"Photo: {escape(ctx.outlet.name)}</figcaption></figure>"
    )


def footer_links(ctx: PageContext) -> str:
    labels = (
        "About us", "Contact", "Careers", "Advertise", "Privacy policy", "Cookie settings",
        "Terms of use", "Accessibility", "Corrections", "Newsletters", "Podcasts", "Archive",
    )  # fmt: skip
    return " | ".join(
        f'<a href="{ctx.base}/about/{i}">{label}</a>' for i, label in enumerate(labels)
    )
