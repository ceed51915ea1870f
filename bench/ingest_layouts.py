"""The five page layouts of the ingest benchmark's outlets, each a news site of another kind.

A broadsheet, a portal heavy with ads, a client-rendered app, a wire service on tables and a
blog-engine magazine: each wraps the same article in other markup, class names and
boilerplate, as the extractor meets them on the web.
"""

from __future__ import annotations

from html import escape

from ingest_boilerplate import (
    comments,
    figure,
    footer_links,
    head,
    nav_links,
    paragraphs,
    related,
    share,
)
from ingest_outlets import LAST_NAMES, Layout, PageContext, slugify


def layout_broadsheet(ctx: PageContext) -> str:
    page = ctx.page

    def aside(i: int) -> str:
        other = ctx.related[i % len(ctx.related)] if ctx.related else page
        link = f'<a href="{ctx.url(other)}">{escape(other.title)}</a>'
        return f'<aside class="bs-inline">Read more: {link}</aside>'

    return f"""<!DOCTYPE html>
<html lang="en"><head>{head(ctx, "bs")}</head>
<body class="bs-wrap">
<div class="bs-top"><a href="{ctx.base}/" class="bs-logo">{escape(ctx.outlet.name)}</a>
<span class="bs-tagline">{escape(ctx.outlet.tagline)}</span>
<a href="{ctx.base}/subscribe">Subscribe</a> <a href="{ctx.base}/login">Sign in</a></div>
<nav class="bs-nav"><ul>{nav_links(ctx, 48)}</ul></nav>
<div class="bs-breadcrumb"><a href="{ctx.base}/">Home</a> &rsaquo;
<a href="{ctx.base}/{page.section.lower()}">{page.section}</a></div>
<main class="bs-main"><article>
<h1>{escape(page.title)}</h1>
<p class="bs-byline">By
<a rel="author" href="{ctx.base}/authors/{slugify(page.author)}">{escape(page.author)}</a>
<time datetime="{page.published.isoformat()}">{page.published:%A %d %B %Y}</time></p>
<div class="bs-share">{share(ctx, "bs-share-btn")}</div>
{figure(ctx, "bs-figure")}
<div class="bs-body">
{paragraphs(ctx, 4, aside)}
</div>
<ul class="bs-tags"><li><a href="{ctx.base}/tag/{page.section.lower()}">{page.section}</a></li></ul>
</article>
<section class="bs-related"><h2>Related stories</h2><ul>{related(ctx, "bs-rel")}</ul></section>
<section class="bs-comments" id="comments"><h2>Comments</h2><ol>{comments(ctx, "bs-c")}</ol>
<form><textarea name="comment"></textarea><button>Post comment</button></form></section>
</main>
<footer class="bs-foot">{footer_links(ctx)}
<p>&copy; {page.published.year} {escape(ctx.outlet.name)}. All rights reserved.</p></footer>
</body></html>"""


def layout_portal(ctx: PageContext) -> str:
    page = ctx.page

    def aside(i: int) -> str:
        return '<div class="pt-ad" data-slot="inarticle">Advertisement</div>'

    return f"""<!DOCTYPE html>
<html lang="en"><head>{head(ctx, "pt")}</head>
<body>
<div class="pt-cookie" id="cookie-banner">We use cookies to personalise content and ads, to provide
social media features and to analyse our traffic.
<button>Accept all</button> <button>Manage</button></div>
<div class="pt-ticker">Breaking: markets open higher &middot; Weather warning for the coast
&middot; Live scores</div>
<header class="pt-top"><a class="pt-logo" href="{ctx.base}/">{escape(ctx.outlet.name)}</a>
<form class="pt-search" action="{ctx.base}/search">
<input name="q" placeholder="Search"></form></header>
<div class="pt-nav">{nav_links(ctx, 30)}</div>
<div class="pt-wrap">
<div class="pt-main">
<div class="pt-ad" data-slot="leader">Advertisement</div>
<div class="story-body">
<span class="pt-kicker">{page.section}</span>
<h1 class="pt-headline">{escape(page.title)}</h1>
<div class="pt-meta">{escape(page.author)} &middot; {page.published:%d/%m/%Y %H:%M}</div>
{figure(ctx, "pt-figure")}
{paragraphs(ctx, 3, aside)}
</div>
<div class="pt-share">{share(ctx, "pt-s")}</div>
<div class="pt-comments"><h3>{ctx.rng.randint(3, 400)} comments</h3>
<ul>{comments(ctx, "pt-c")}</ul></div>
</div>
<div class="pt-side">
<div class="pt-mostread"><h3>Most read</h3><ol>{related(ctx, "pt-mr")}</ol></div>
<div class="pt-newsletter"><h3>The morning briefing</h3><p>The day's top stories in your inbox
before breakfast, every weekday.</p><form><input type="email"><button>Sign up</button></form></div>
<div class="pt-ad" data-slot="mpu">Advertisement</div>
</div>
</div>
<div class="pt-foot">{footer_links(ctx)}</div>
</body></html>"""


def layout_app(ctx: PageContext) -> str:
    page = ctx.page

    def aside(i: int) -> str:
        return f'<h2 class="ap-sub">{escape(" ".join(page.paragraphs[i].split()[:6]))}</h2>'

    return f"""<!DOCTYPE html>
<html lang="en-GB"><head>{head(ctx, "ap")}
<script>{"/* bundle */ " + "var m=[];" * 400}</script></head>
<body><div id="root">
<header class="ap-top"><button aria-label="Menu">&#9776;</button>
<a href="{ctx.base}/">{escape(ctx.outlet.name)}</a><a href="{ctx.base}/account">Account</a></header>
<div class="ap-drawer" hidden><ul>{nav_links(ctx, 60)}</ul></div>
<main class="ap-main"><article class="ap-article">
<header><p class="ap-section">{page.section}</p><h1>{escape(page.title)}</h1>
<div class="ap-author">Written by {escape(page.author)}</div>
<time datetime="{page.published.isoformat()}">{page.published:%B %d, %Y}</time></header>
{figure(ctx, "ap-figure")}
<section class="ap-body">{paragraphs(ctx, 5, aside)}</section>
<div class="ap-share">{share(ctx, "ap-share")}</div>
</article>
<section class="ap-related"><h2>More from {escape(ctx.outlet.name)}</h2>
<ul>{related(ctx, "ap-r")}</ul></section>
</main>
<footer class="ap-foot"><nav>{footer_links(ctx)}</nav></footer>
</div></body></html>"""


def layout_wire(ctx: PageContext) -> str:
    page = ctx.page
    city = ("LONDON", "NAIROBI", "LIMA", "MANILA", "OSLO", "CAIRO")[page.number % 6]
    first, *rest = page.paragraphs
    return f"""<!DOCTYPE html>
<html lang="en"><head>{head(ctx, "wr")}</head>
<body><table class="wr-top" width="100%"><tr>
<td><a href="{ctx.base}/">{escape(ctx.outlet.name)}</a></td>
<td align="right"><a href="{ctx.base}/markets">Markets</a>
<a href="{ctx.base}/wire">Wire</a></td></tr></table>
<div class="wr-nav">{nav_links(ctx, 14)}</div>
<div id="content">
<h1>{escape(page.title)}</h1>
<div class="wr-dateline">{page.published:%d %B %Y} | {escape(page.author)}</div>
<p>{city} ({escape(ctx.outlet.name)}) - {escape(first)}</p>
{"".join(f"<p>{escape(p)}</p>" for p in rest)}
<p class="wr-credit">Reporting by {escape(page.author)};
editing by {escape(ctx.rng.choice(LAST_NAMES))}</p>
<p class="wr-trust">Our standards: the {escape(ctx.outlet.name)} trust principles.</p>
</div>
<div class="wr-related"><b>Also on the wire</b><ul>{related(ctx, "wr-r")}</ul></div>
<div class="wr-foot">{footer_links(ctx)}<br>All quotes delayed a minimum of 15 minutes.</div>
</body></html>"""


def layout_magazine(ctx: PageContext) -> str:
    page = ctx.page

    def aside(i: int) -> str:
        sentence = page.paragraphs[i].split(". ")[0][:160]
        return f'<blockquote class="mg-pull">{escape(sentence)}</blockquote>'

    archives = "".join(f'<li><a href="{ctx.base}/{y}/">{y}</a></li>' for y in range(2010, 2021))
    return f"""<!DOCTYPE html>
<html lang="en"><head>{head(ctx, "mg")}</head>
<body class="single-post">
<div class="mg-top"><a href="{ctx.base}/" rel="home">{escape(ctx.outlet.name)}</a>
<p class="site-description">{escape(ctx.outlet.tagline)}</p></div>
<nav class="main-navigation"><ul class="menu">{nav_links(ctx, 22)}</ul></nav>
<div class="mg-wrap"><div class="content-area">
<article class="post type-post status-publish">
<header class="entry-header"><h1 class="entry-title">{escape(page.title)}</h1>
<div class="entry-meta">Posted on
<time class="entry-date published">{page.published:%B %d, %Y}</time>
by <span class="author vcard">{escape(page.author)}</span> in
<a href="{ctx.base}/category/{page.section.lower()}" rel="category tag">{page.section}</a>
</div></header>
{figure(ctx, "wp-caption")}
<div class="entry-content">{paragraphs(ctx, 6, aside)}</div>
<footer class="entry-footer"><div class="sharedaddy">{share(ctx, "share-icon")}</div></footer>
</article>
<div class="author-info"><h2>About {escape(page.author)}</h2><p>{escape(page.author)} writes about
{page.section.lower()} and has reported from four continents.</p></div>
<nav class="post-navigation"><ul>{related(ctx, "nav-link")}</ul></nav>
<div id="comments" class="comments-area"><ol class="comment-list">{comments(ctx, "comment")}</ol>
<div id="respond"><h3>Leave a Reply</h3>
<form><textarea></textarea><input type="submit" value="Post Comment"></form></div></div>
</div>
<aside class="widget-area"><section class="widget"><h2>Recent posts</h2>
<ul>{related(ctx, "recent")}</ul></section>
<section class="widget"><h2>Archives</h2><ul>{archives}</ul></section></aside>
</div>
<footer class="site-footer">{footer_links(ctx)}
<p>Proudly powered by a content management system.</p></footer>
</body></html>"""


LAYOUTS: tuple[Layout, ...] = (
    layout_broadsheet,
    layout_portal,
    layout_app,
    layout_wire,
    layout_magazine,
)
