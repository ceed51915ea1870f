"""Small feeds written for the tests, one per format."""

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


def render(feed: bytes, base: str) -> bytes:
    return feed.replace(b"{base}", base.encode())
