"""Article pages written for the tests, with the boilerplate real pages carry."""

from __future__ import annotations

PARAGRAPHS = [
    "The river authority in Eastvale opened the rebuilt Mill Street bridge on Tuesday morning, "
    "nine months after spring floods cracked two of its three stone arches.",
    "Engineers replaced the damaged arches with reinforced concrete faced in the original stone, "
    "and the deck was widened to carry a protected cycle lane in each direction.",
    "The work cost 14 million euros, about two million more than the first estimate, because "
    "divers found scour damage under the central pier that had not been visible from the banks.",
    '"We promised the town a bridge that will stand another century, and that is what we built," '
    "said Maren Holt, the authority's chief engineer, at a short ceremony on the east bank.",
    "Traders on both sides of the river said the closure had cut footfall by a third, and the "
    "chamber of commerce plans a weekend market on the bridge to mark the reopening.",
]


def article_page(
    *,
    title: str = "Eastvale reopens Mill Street bridge after flood repairs",
    canonical: str = "",
    image: str = "",
    section: str = "World",
    lang: str = "en",
    paragraphs: list[str] | None = None,
) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in (paragraphs or PARAGRAPHS))
    canonical_tag = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    figure = (
        f'<figure><img src="{image}" alt="The bridge"><figcaption>The rebuilt bridge at dawn. '
        f"Photo: Test Outlet</figcaption></figure>"
        if image
        else ""
    )
    og_image = f'<meta property="og:image" content="{image}">' if image else ""
    return f"""<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<title>{title} | Test Outlet</title>{canonical_tag}
<meta property="og:title" content="{title}">{og_image}
<meta property="article:published_time" content="2026-11-17T08:00:00Z">
<meta property="article:section" content="{section}">
<meta name="author" content="Ida Brenner"></head><body>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies?</div>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<div class="ad">Advertisement: buy the new Fizzo phone today</div>
<article><h1>{title}</h1><p class="byline">By Ida Brenner</p>{figure}{body}</article>
<aside><h3>Most read</h3><ul><li><a href="/x">Council approves budget</a></li>
<li><a href="/y">Weather turns cold</a></li></ul></aside>
<section class="comments"><h3>Comments</h3><p>Great news for cyclists!</p></section>
<footer>Copyright Test Outlet. Privacy policy. Terms of use.</footer></body></html>""".encode()


def tiny_png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (32, 18), (40, 90, 160)).save(buffer, format="PNG")
    return buffer.getvalue()
