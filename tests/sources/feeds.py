"""Small feeds written for the tests, one per format."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

RSS2 = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Test Outlet</title><link>{base}/</link>
<item><title>Bridge reopens after repairs</title><link>{base}/a/bridge.html?utm_source=rss</link>
<pubDate>Tue, 17 Nov 2026 08:00:00 GMT</pubDate><category>World</category></item>
<item><title>Harvest festival draws crowds</title><link>{base}/a/harvest.html</link>
<pubDate>Tue, 17 Nov 2026 09:00:00 GMT</pubDate></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Outlet</title><id>urn:test</id>
<updated>2026-11-17T10:00:00Z</updated>
<entry><title>Library opens new wing</title><id>urn:test:1</id>
<link rel="alternate" href="{base}/b/library.html"/><updated>2026-11-17T10:00:00Z</updated>
<category term="Culture"/></entry>
</feed>"""

RSS1 = b"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="{base}/"><title>RDF Outlet</title><link>{base}/</link>
<items><rdf:Seq><rdf:li rdf:resource="{base}/c/port.html"/></rdf:Seq></items></channel>
<item rdf:about="{base}/c/port.html"><title>Port expands</title><link>{base}/c/port.html</link>
<dc:date>2026-11-17T11:00:00Z</dc:date><dc:subject>Business</dc:subject></item>
</rdf:RDF>"""

SCRIPTED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>X</title>
<item><title>Clean &lt;script&gt;alert(1)&lt;/script&gt; title</title><link>{base}/d/x.html</link>
<description>&lt;script&gt;alert(2)&lt;/script&gt;text</description></item></channel></rss>"""

# Feeds and sitemaps below may carry {recent} (an hour ago), {earlier} (five hours ago) and {old}
# (thirty days ago) as dates, filled in by `render` relative to the time of the test.

JSON_FEED = b"""{
  "version": "https://jsonfeed.org/version/1.1",
  "title": "JSON Outlet",
  "home_page_url": "{base}/",
  "language": "fr-FR",
  "items": [
    {"id": "1", "url": "{base}/j/market.html?fbclid=abc", "title": "Market reopens",
     "date_published": "{recent}", "tags": ["Economy", "Local"],
     "summary": "<script>alert(3)</script>Stalls are back"},
    {"id": "2", "external_url": "{base}/j/linked.html", "title": "A linked report",
     "date_modified": "{earlier}"},
    {"id": "3", "url": "javascript:alert(4)", "title": "Hostile"},
    {"id": "4", "url": 42, "title": "No URL string"},
    "not an item",
    {"id": "5", "url": "{base}/j/undated.html", "title": "<b>Bold</b> claim", "tags": "x"}
  ]
}"""

JSON_FEED_1_0 = b"""{"version": "https://jsonfeed.org/version/1", "title": "Old JSON",
 "items": [{"id": "a", "url": "{base}/k/one.html", "title": "One",
            "date_published": "2026-11-17T10:00:00+02:00"}]}"""

SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{base}/s/fresh.html</loc><lastmod>{recent}</lastmod></url>
<url><loc>{base}/s/stale.html</loc><lastmod>{old}</lastmod></url>
<url><loc>{base}/s/earlier.html?utm_medium=sitemap</loc><lastmod>{earlier}</lastmod></url>
<url><loc>{base}/s/undated.html</loc></url>
<url><loc>javascript:alert(1)</loc><lastmod>{recent}</lastmod></url>
<url><loc>{base}/s/q.html?a=1&amp;b=2</loc><lastmod>{recent}</lastmod></url>
</urlset>"""

NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{base}/n/summit.html</loc>
 <news:news><news:publication><news:name>News Outlet</news:name>
 <news:language>es</news:language></news:publication>
 <news:publication_date>{recent}</news:publication_date>
 <news:title>Summit &lt;script&gt;x()&lt;/script&gt;ends in accord</news:title>
 <news:keywords>Politics, Summit , ,Diplomacy</news:keywords></news:news></url>
<url><loc>{base}/n/archive.html</loc>
 <news:news><news:publication><news:name>News Outlet</news:name>
 <news:language>es</news:language></news:publication>
 <news:publication_date>{old}</news:publication_date>
 <news:title>An old one</news:title></news:news></url>
</urlset>"""

SITEMAP_INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{base}/sitemaps/old.xml</loc><lastmod>{old}</lastmod></sitemap>
<sitemap><loc>{base}/sitemaps/index.xml</loc><lastmod>{recent}</lastmod></sitemap>
<sitemap><loc>{base}/sitemaps/earlier.xml</loc><lastmod>{earlier}</lastmod></sitemap>
<sitemap><loc>{base}/sitemaps/latest.xml</loc><lastmod>{recent}</lastmod></sitemap>
</sitemapindex>"""

HOSTILE_RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Hostile</title><link>{base}/</link>
<item><title><![CDATA[<script>steal()</script>Cdata <em>title</em>]]></title>
<link>{base}/h/cdata.html</link>
<description><![CDATA[<p onclick="x()">Hi<script>steal()</script></p>]]></description></item>
<item><title>Script link</title><link>javascript:alert(1)</link></item>
<item><title>Data link</title><link>data:text/html;base64,PHNjcmlwdD4=</link></item>
<item><title>Mail link</title><link>mailto:desk@example.org</link></item>
<item><title>FTP link</title><link>ftp://files.example.org/a</link></item>
<item><title>Good link</title><link>{base}/h/good.html?gclid=1&amp;id=7</link></item>
</channel></rss>"""

# Not well-formed (a bare ampersand, an unclosed item at the end) yet readable.
SLIGHTLY_BROKEN_RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Q & A</title>
<item><title>Roads & bridges</title><link>{base}/r/roads.html</link></item>
<item><title>Rail</title><link>{base}/r/rail.html</link></item>
<item><title>Cut off"""

XXE_SITEMAP = b"""<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY secret SYSTEM "file:///etc/hostname">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{base}/x/&secret;</loc></url>
<url><loc>{base}/x/plain.html</loc></url>
</urlset>"""


def billion_laughs(root: str, body: str) -> bytes:
    """`<root>body</root>` under ten levels of ten-fold entities: &e10; would be 2*10^10 chars."""
    levels = ['<!ENTITY e0 "ha">'] + [
        f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 11)
    ]
    return (
        f'<?xml version="1.0"?><!DOCTYPE {root.split()[0]} [{"".join(levels)}]>'
        f"<{root}>{body}</{root.split()[0]}>"
    ).encode()


def render(feed: bytes, base: str, now: datetime | None = None) -> bytes:
    now = now or datetime.now(UTC)
    values = {
        "{base}": base,
        "{recent}": (now - timedelta(hours=1)).isoformat(timespec="seconds"),
        "{earlier}": (now - timedelta(hours=5)).isoformat(timespec="seconds"),
        "{old}": (now - timedelta(days=30)).isoformat(timespec="seconds"),
    }
    for key, value in values.items():
        feed = feed.replace(key.encode(), value.encode())
    return feed
