"""Render demo outlet pages (articles, home pages) and feeds.

Article pages fill the outlet's own ``corpus/templates/<slug>.html`` so every site has
its own markup and boilerplate, the way real extraction targets do. Every piece of
corpus text is escaped here; templates only ever receive ready-made HTML fragments.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from email.utils import format_datetime
from functools import cache
from html import escape
from string import Template

from newsdesk.demo.corpus import CORPUS_DIR, CorpusError, CorpusReport, Outlet, load_corpus

TEMPLATES_DIR = CORPUS_DIR / "templates"
RELATED_LIMIT = 5

_MONTHS = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "ar": (
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ),
}

# Interface words generated outside the templates, per page language.
_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "by": "By",
        "photo": "Photo:",
        "updated": "Updated",
        "latest": "Latest",
        "feed": "Subscribe to the feed",
        "no_articles": "No articles yet.",
        "no_related": "More stories soon.",
        "outlets": "Demo news outlets",
        "home": "home page",
    },
    "ar": {
        "by": "بقلم",
        "photo": "صورة:",
        "updated": "تحديث",
        "latest": "آخر الأخبار",
        "feed": "اشترك في الخلاصة",
        "no_articles": "لا توجد مقالات بعد.",
        "no_related": "المزيد قريبًا.",
        "outlets": "مواقع إخبارية تجريبية",
        "home": "الصفحة الرئيسية",
    },
}

# Fictional reader comments; deliberately generic so they add no facts to a story.
_COMMENTS: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (
        ("marlow_reads", "Thanks for laying this out clearly. Will be following the updates."),
        ("Priya K.", "Would be good to see a map with the places mentioned."),
        ("old_harbour_hand", "Every year the same questions. Hope someone is listening."),
        ("J. Okafor", "Sending good wishes to everyone affected."),
        ("tessellate", "Useful piece. The figures at the end put it in perspective."),
        ("Rowan Hale", "I read three versions of this today; this was the clearest."),
        ("quietcorner", "More of this kind of reporting, please."),
    ),
    "ar": (
        ("أبو خالد", "شكرًا على هذا التقرير الواضح، سنتابع المستجدات."),
        ("سارة م.", "نتمنى نشر خريطة توضح الأماكن المذكورة."),
        ("قارئ دائم", "تغطية متوازنة كالعادة."),
        ("يوسف", "كل التمنيات الطيبة للمتضررين."),
        ("نور", "الأرقام في نهاية المقال مفيدة جدًا."),
    ),
}


def words(language: str) -> dict[str, str]:
    return _WORDS.get(language, _WORDS["en"])


def absolute(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + path


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def human_date(moment: datetime, language: str) -> str:
    moment = moment.astimezone(UTC)
    month = _MONTHS.get(language, _MONTHS["en"])[moment.month - 1]
    return f"{moment.day} {month} {moment.year}, {moment:%H:%M} GMT"


@cache
def outlet_template(slug: str) -> Template:
    path = TEMPLATES_DIR / f"{slug}.html"
    try:
        return Template(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CorpusError(f"no page template for outlet {slug!r} (expected {path})") from exc


def render_article(
    report: CorpusReport,
    outlet: Outlet,
    base_url: str,
    related: Sequence[CorpusReport] | None = None,
) -> str:
    """Render one article page in the outlet's template.

    ``related`` feeds the "Most read" list; by default it is the outlet's other reports.
    """
    if related is None:
        related = [r for r in load_corpus().outlet_reports(outlet.slug) if r.path != report.path]
    lang = outlet.language
    url = absolute(base_url, report.path)
    values = {
        "lang": escape(lang),
        "dir": outlet.direction,
        "head": _article_head(report, outlet, base_url),
        "outlet_name": escape(outlet.display_name),
        "tagline": escape(outlet.tagline),
        "home_url": escape(absolute(base_url, outlet.home_path)),
        "feed_url": escape(absolute(base_url, outlet.feed_path)),
        "nav": _nav(outlet, base_url),
        "section": escape(report.section),
        "section_url": escape(absolute(base_url, _section_path(outlet, report.section))),
        "headline": escape(report.title),
        "standfirst": escape(report.standfirst),
        "byline": _byline(report, lang),
        "dateline": _time_html(report, lang),
        "figure": _figure(report, outlet, base_url),
        "body": _body(report),
        "related": _related(related[:RELATED_LIMIT], base_url, lang),
        "comments": _comments(report, lang),
        "comment_count": str(_comment_count(report)),
        "canonical_url": escape(url),
        "year": str(report.published.year),
    }
    return outlet_template(outlet.slug).substitute(values)


def render_home(
    outlet: Outlet,
    reports: Sequence[CorpusReport],
    base_url: str,
    section: str | None = None,
) -> str:
    """The outlet's front page (or a section front) listing its articles newest first."""
    lang = outlet.language
    w = words(lang)
    listed = sorted(reports, key=lambda r: r.published, reverse=True)
    if section is not None:
        listed = [r for r in listed if r.section.casefold() == section.casefold()]
    items = "\n".join(_teaser(report, base_url, lang) for report in listed)
    if not items:
        items = f'<li class="empty">{escape(w["no_articles"])}</li>'
    heading = escape(section or w["latest"])
    title = f"{section} | {outlet.display_name}" if section else outlet.display_name
    feed_url = escape(absolute(base_url, outlet.feed_path))
    home_url = escape(absolute(base_url, outlet.home_path))
    return f"""<!DOCTYPE html>
<html lang="{escape(lang)}" dir="{outlet.direction}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<meta name="description" content="{escape(outlet.tagline)}">
<link rel="canonical" href="{home_url}">
<link rel="alternate" type="{outlet.feed_content_type}" title="{escape(outlet.display_name)}"
 href="{feed_url}">
<meta property="og:site_name" content="{escape(outlet.display_name)}">
<meta property="og:type" content="website">
</head>
<body class="front {escape(outlet.slug)}-front">
<header class="masthead"><a href="{home_url}">{escape(outlet.display_name)}</a>
<p class="tagline">{escape(outlet.tagline)}</p></header>
<nav><ul>{_nav(outlet, base_url)}</ul></nav>
<main>
<h1>{heading}</h1>
<ul class="river">
{items}
</ul>
</main>
<footer><a href="{feed_url}">{escape(w["feed"])}</a></footer>
</body>
</html>
"""


def render_index(outlets: Sequence[Outlet], base_url: str) -> str:
    """The demo server's root page: one line per outlet."""
    rows = "\n".join(
        f'<li><a href="{escape(absolute(base_url, o.home_path))}">{escape(o.display_name)}</a>'
        f" ({escape(o.name)}, {escape(o.language)}-{escape(o.country)}) "
        f'<a href="{escape(absolute(base_url, o.feed_path))}">{escape(o.feed_format)}</a></li>'
        for o in outlets
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{escape(_WORDS["en"]["outlets"])}</title></head>
<body>
<h1>{escape(_WORDS["en"]["outlets"])}</h1>
<p>Fictional outlets served on the loopback interface for the newsdesk demo.</p>
<ul>
{rows}
</ul>
</body>
</html>
"""


def render_feed(
    outlet: Outlet, reports: Sequence[CorpusReport], base_url: str
) -> tuple[bytes, str]:
    """The outlet's feed in its own format, newest first, with its Content-Type."""
    newest_first = sorted(reports, key=lambda r: (r.published, r.slug), reverse=True)
    if outlet.feed_format == "atom":
        text = _atom(outlet, newest_first, base_url)
    elif outlet.feed_format == "rss1":
        text = _rss1(outlet, newest_first, base_url)
    else:
        text = _rss2(outlet, newest_first, base_url)
    return text.encode("utf-8"), f"{outlet.feed_content_type}; charset=utf-8"


def feed_last_modified(reports: Sequence[CorpusReport]) -> datetime:
    """When the feed last changed: its newest publication or update."""
    if not reports:
        return datetime(2026, 1, 1, tzinfo=UTC)
    return max(report.modified for report in reports)


# --- article fragments -------------------------------------------------------------


def _article_head(report: CorpusReport, outlet: Outlet, base_url: str) -> str:
    url = absolute(base_url, report.path)
    image_url = absolute(base_url, report.image_path)
    feed_url = absolute(base_url, outlet.feed_path)
    meta = [
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(report.title)} | {escape(outlet.display_name)}</title>",
        f'<meta name="description" content="{escape(report.standfirst)}">',
        f'<meta name="author" content="{escape(report.author)}">',
        f'<link rel="canonical" href="{escape(url)}">',
        f'<link rel="alternate" type="{outlet.feed_content_type}" '
        f'title="{escape(outlet.display_name)}" href="{escape(feed_url)}">',
        f'<meta property="og:site_name" content="{escape(outlet.display_name)}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{escape(report.title)}">',
        f'<meta property="og:description" content="{escape(report.standfirst)}">',
        f'<meta property="og:url" content="{escape(url)}">',
        f'<meta property="og:image" content="{escape(image_url)}">',
        f'<meta property="og:locale" content="{escape(_locale(outlet))}">',
        f'<meta property="article:published_time" content="{iso(report.published)}">',
    ]
    if report.updated:
        meta.append(f'<meta property="article:modified_time" content="{iso(report.updated)}">')
    meta += [
        f'<meta property="article:section" content="{escape(report.section)}">',
        f'<meta property="article:author" content="{escape(report.author)}">',
        '<meta name="twitter:card" content="summary_large_image">',
        f'<script type="application/ld+json">{_json_ld(report, outlet, base_url)}</script>',
    ]
    return "\n".join(meta)


def _json_ld(report: CorpusReport, outlet: Outlet, base_url: str) -> str:
    url = absolute(base_url, report.path)
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": report.title,
        "description": report.standfirst,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "image": [absolute(base_url, report.image_path)],
        "datePublished": iso(report.published),
        "dateModified": iso(report.modified),
        "author": [{"@type": "Person", "name": report.author}],
        "publisher": {
            "@type": "Organization",
            "name": outlet.display_name,
            "url": absolute(base_url, outlet.home_path),
        },
        "articleSection": report.section,
        "inLanguage": report.language,
    }
    if report.kind == "opinion":
        data["genre"] = "opinion"
    if report.wire_agency:
        data["sourceOrganization"] = {"@type": "Organization", "name": report.wire_agency}
    # Markup characters inside a script element could end it early; JSON \u escapes are inert.
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _locale(outlet: Outlet) -> str:
    return f"{outlet.language}_{outlet.country}"


def _section_path(outlet: Outlet, section: str) -> str:
    return f"/{outlet.slug}/section/{section_slug(section)}/"


def section_slug(section: str) -> str:
    """URL form of a section name ("U.S." -> "us"); non-Latin names are kept."""
    kept = "".join(ch if ch.isalnum() else "-" for ch in section.casefold())
    return "-".join(part for part in kept.split("-") if part) or "news"


def _nav(outlet: Outlet, base_url: str) -> str:
    return "".join(
        f'<li><a href="{escape(absolute(base_url, _section_path(outlet, item)))}">'
        f"{escape(item)}</a></li>"
        for item in outlet.nav
    )


def _byline(report: CorpusReport, lang: str) -> str:
    by = words(lang)["by"]
    author = f'<span class="author">{escape(report.author)}</span>'
    if report.wire_agency:
        return f"{escape(by)} {author}, {escape(report.wire_agency)}"
    return f"{escape(by)} {author}"


def _time_html(report: CorpusReport, lang: str) -> str:
    stamp = (
        f'<time datetime="{iso(report.published)}">'
        f"{escape(human_date(report.published, lang))}</time>"
    )
    if report.updated:
        stamp += (
            f' <span class="updated">{escape(words(lang)["updated"])} '
            f'<time datetime="{iso(report.updated)}">'
            f"{escape(human_date(report.updated, lang))}</time></span>"
        )
    return stamp


def _figure(report: CorpusReport, outlet: Outlet, base_url: str) -> str:
    if report.image is None:
        return ""
    credit = f"{words(outlet.language)['photo']} {outlet.display_name}"
    return (
        '<figure class="lead-image">'
        f'<img src="{escape(absolute(base_url, report.image_path))}" '
        f'alt="{escape(report.image.alt)}" width="640" height="360">'
        f"<figcaption>{escape(report.image.caption)} "
        f'<span class="credit">{escape(credit)}</span></figcaption>'
        "</figure>"
    )


def _body(report: CorpusReport) -> str:
    parts = [f"<p>{escape(paragraph)}</p>" for paragraph in report.paragraphs]
    if report.kind == "wire" and report.wire_agency:
        parts.insert(0, f'<p class="wire-credit">({escape(report.wire_agency)})</p>')
    return "\n".join(parts)


def _related(reports: Sequence[CorpusReport], base_url: str, lang: str) -> str:
    if not reports:
        return f'<li class="empty">{escape(words(lang)["no_related"])}</li>'
    return "\n".join(
        f'<li><a href="{escape(absolute(base_url, r.path))}">{escape(r.title)}</a></li>'
        for r in reports
    )


def _seed(report: CorpusReport) -> int:
    return int.from_bytes(hashlib.sha256(report.path.encode()).digest()[:4], "big")


def _comment_count(report: CorpusReport) -> int:
    return 2 + _seed(report) % 2


def _comments(report: CorpusReport, lang: str) -> str:
    pool = _COMMENTS.get(lang, _COMMENTS["en"])
    start = _seed(report) % len(pool)
    picked = [pool[(start + offset) % len(pool)] for offset in range(_comment_count(report))]
    return "\n".join(
        f'<li class="comment"><span class="comment-author">{escape(name)}</span>'
        f'<p class="comment-text">{escape(text)}</p></li>'
        for name, text in picked
    )


def _teaser(report: CorpusReport, base_url: str, lang: str) -> str:
    url = escape(absolute(base_url, report.path))
    return (
        f'<li class="teaser"><a href="{url}"><h2>{escape(report.title)}</h2></a>'
        f'<p class="standfirst">{escape(report.standfirst)}</p>'
        f'<p class="meta">{escape(report.section)} · {_time_html(report, lang)}</p></li>'
    )


# --- feeds ---------------------------------------------------------------------------


def _rss2(outlet: Outlet, reports: Sequence[CorpusReport], base_url: str) -> str:
    feed_url = escape(absolute(base_url, outlet.feed_path))
    items = []
    for r in reports:
        link = escape(absolute(base_url, r.path))
        image = escape(absolute(base_url, r.image_path))
        creator = f"{r.author} ({r.wire_agency})" if r.wire_agency else r.author
        items.append(
            f"""  <item>
    <title>{escape(r.title)}</title>
    <link>{link}</link>
    <guid isPermaLink="true">{link}</guid>
    <pubDate>{format_datetime(r.published.astimezone(UTC), usegmt=True)}</pubDate>
    <dc:creator>{escape(creator)}</dc:creator>
    <category>{escape(r.section)}</category>
    <description>{escape(r.standfirst)}</description>
    <enclosure url="{image}" length="0" type="image/jpeg"/>
    <media:content url="{image}" medium="image" type="image/jpeg" width="640" height="360"/>
  </item>"""
        )
    last = format_datetime(feed_last_modified(reports).astimezone(UTC), usegmt=True)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">
<channel>
  <title>{escape(outlet.display_name)}</title>
  <link>{escape(absolute(base_url, outlet.home_path))}</link>
  <description>{escape(outlet.tagline)}</description>
  <language>{escape(outlet.language)}</language>
  <lastBuildDate>{last}</lastBuildDate>
  <atom:link href="{feed_url}" rel="self" type="application/rss+xml"/>
{chr(10).join(items)}
</channel>
</rss>
"""


def _atom(outlet: Outlet, reports: Sequence[CorpusReport], base_url: str) -> str:
    entries = []
    for r in reports:
        link = escape(absolute(base_url, r.path))
        image = escape(absolute(base_url, r.image_path))
        entries.append(
            f"""  <entry>
    <id>{link}</id>
    <title type="text">{escape(r.title)}</title>
    <link rel="alternate" type="text/html" href="{link}"/>
    <link rel="enclosure" type="image/jpeg" href="{image}"/>
    <published>{iso(r.published)}</published>
    <updated>{iso(r.modified)}</updated>
    <author><name>{escape(r.author)}</name></author>
    <category term="{escape(r.section)}"/>
    <summary type="text">{escape(r.standfirst)}</summary>
  </entry>"""
        )
    home = escape(absolute(base_url, outlet.home_path))
    feed_url = escape(absolute(base_url, outlet.feed_path))
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{escape(outlet.language)}">
  <id>{home}</id>
  <title>{escape(outlet.display_name)}</title>
  <subtitle>{escape(outlet.tagline)}</subtitle>
  <updated>{iso(feed_last_modified(reports))}</updated>
  <link rel="self" type="application/atom+xml" href="{feed_url}"/>
  <link rel="alternate" type="text/html" href="{home}"/>
{chr(10).join(entries)}
</feed>
"""


def _rss1(outlet: Outlet, reports: Sequence[CorpusReport], base_url: str) -> str:
    home = escape(absolute(base_url, outlet.home_path))
    feed_url = escape(absolute(base_url, outlet.feed_path))
    seq = "\n".join(
        f'        <rdf:li rdf:resource="{escape(absolute(base_url, r.path))}"/>' for r in reports
    )
    items = []
    for r in reports:
        link = escape(absolute(base_url, r.path))
        items.append(
            f"""  <item rdf:about="{link}">
    <title>{escape(r.title)}</title>
    <link>{link}</link>
    <description>{escape(r.standfirst)}</description>
    <dc:date>{iso(r.published)}</dc:date>
    <dc:subject>{escape(r.section)}</dc:subject>
    <dc:creator>{escape(r.author)}</dc:creator>
    <dc:language>{escape(r.language)}</dc:language>
  </item>"""
        )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="{feed_url}">
    <title>{escape(outlet.display_name)}</title>
    <link>{home}</link>
    <description>{escape(outlet.tagline)}</description>
    <dc:language>{escape(outlet.language)}</dc:language>
    <dc:date>{iso(feed_last_modified(reports))}</dc:date>
    <items>
      <rdf:Seq>
{seq}
      </rdf:Seq>
    </items>
  </channel>
{chr(10).join(items)}
</rdf:RDF>
"""
