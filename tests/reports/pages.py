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


# A wire story and the same event told by another outlet in its own words (same facts, one
# shared quote): the first is copied with light edits, the second must stay independent.
WIRE = [
    "A container crane collapsed at the port of Aldera on Thursday afternoon, injuring three "
    "dock workers and halting operations at the busiest terminal on the northern coast, port "
    "officials said.",
    "The 60-metre crane toppled onto an empty berth shortly after 3 p.m. during a routine lift, "
    "according to a statement from the Aldera Port Authority. Two of the injured workers were "
    "taken to hospital with broken bones and the third was treated at the scene.",
    '"We were lucky that no ship was alongside and that the shift change had just emptied the '
    'quay," said Tomas Verhoek, the authority\'s head of operations. "It could have been far '
    'worse."',
    "Investigators from the national transport safety board arrived in the evening and sealed "
    "off the terminal. A spokeswoman for the board said it was too early to say whether strong "
    "winds, a mechanical fault or human error had caused the collapse.",
    "The terminal handles about 40 percent of the container traffic through Aldera, and "
    "shipping agents said at least six vessels due on Friday would be diverted to the "
    "neighbouring port of Santel, about 90 kilometres to the east.",
    "The dock workers' union called for an immediate inspection of the port's eleven other "
    "cranes, four of which were installed in the same year as the one that fell. Union "
    "secretary Lise Armand said members had raised concerns about maintenance schedules twice "
    "this year.",
    "The crane's manufacturer said in an email that it was sending a team of engineers to "
    "Aldera and would cooperate fully with the inquiry.",
    "The port authority said it expected to reopen the terminal within a week once the "
    "wreckage had been cleared and the remaining cranes checked.",
]
OWN_WORDS = [
    "Three dockers were hurt when a giant container crane came down at Aldera's main terminal "
    "on Thursday, forcing the port to stop work and send incoming ships elsewhere.",
    "Witnesses said the crane buckled at its base and fell across an empty berth at around "
    "three o'clock. Paramedics took two men to Aldera General Hospital with fractures; a third "
    "was treated on the quay.",
    "Tomas Verhoek, who runs operations for the port authority, told reporters that no ship was "
    'moored at the berth and that workers had just changed shifts. "It could have been far '
    'worse," he said.',
    "The national transport safety board has opened an inquiry. Its officials closed the "
    "terminal on Thursday evening and would not speculate on the cause, though forecasters had "
    "recorded gusts of up to 70 kilometres an hour on the coast that afternoon.",
    "Shipping agents expect half a dozen container ships to be rerouted to Santel, the next "
    "port along the coast. The closed terminal normally moves around two fifths of Aldera's "
    "containers.",
    "Union leaders want all of the port's remaining cranes inspected before work resumes. Lise "
    "Armand, the union's secretary, said dockers had complained about maintenance twice since "
    "January.",
    "The authority hopes to reopen the terminal within a week.",
]


def wire_copy(paragraphs: list[str]) -> list[str]:
    """How a subscriber republishes a wire story: a dateline, its house style, a cut ending."""
    edited = [p.replace(" percent", " per cent") for p in paragraphs[:-1]]
    edited[0] = "ALDERA (Coastline Wire) - " + edited[0]
    return edited


def article_page(
    *,
    title: str = "Eastvale reopens Mill Street bridge after flood repairs",
    canonical: str = "",
    image: str = "",
    section: str = "World",
    lang: str = "en",
    paragraphs: list[str] | None = None,
    head: str = "",
    after_body: str = "",
) -> bytes:
    """An article page; ``head`` and ``after_body`` add markup a test is about."""
    body = "".join(f"<p>{p}</p>" for p in (paragraphs or PARAGRAPHS)) + after_body
    canonical_tag = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    section_tag = f'<meta property="article:section" content="{section}">' if section else ""
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
{section_tag}
<meta name="author" content="Ida Brenner">{head}</head><body>
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
