"""Teaser and paywalled pages are stored, marked partial; free pages saying "subscribe" are not."""

from __future__ import annotations

import json

import pytest
from lxml import html as lxml_html

from newsdesk.reports.extract import extract_link
from newsdesk.reports.fetch import fetch_link
from newsdesk.reports.metadata import read_metadata
from newsdesk.reports.models import Link, Report
from newsdesk.reports.paywall import is_partial, is_teaser_text, strip_prompt
from newsdesk.sources.models import Source
from newsdesk.stories.cluster import cluster_report
from tests.httpfixture import FixtureServer, Route
from tests.reports.pages import PARAGRAPHS, WIRE, article_page

TEASER = PARAGRAPHS[:2]


def partial(
    head: str = "", paragraphs: list[str] = TEASER, tail: str = "", footer: str = ""
) -> bool:
    """Whether a page with this article is partial, as extraction decides it."""
    body = "<article>" + "".join(f"<p>{p}</p>" for p in paragraphs) + tail + "</article>"
    page = (
        f"<html lang='en'><head><title>Crane</title>{head}</head><body>"
        "<header><a href='/subscribe'>Subscribe</a> <a href='/login'>Sign in</a>"
        "<div class='paywall-header-wrap'><a class='paywall-login-link'>Login</a> Log Out</div>"
        f"</header>{body}<footer>{footer}</footer></body></html>"
    )
    meta = read_metadata(lxml_html.document_fromstring(page), "https://o.example/a")
    return is_partial(meta.paywall, "\n".join(paragraphs))


def ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


LOCKED_PART = "<div class='locked-part'><p>Only a few words here.</p></div>"
FREE = ld({"@type": "NewsArticle", "isAccessibleForFree": True})
DECLARED = ld({"@type": "NewsArticle", "isAccessibleForFree": False})
METERED = '<meta property="article:content_tier" content="Metered">'


@pytest.mark.parametrize(
    "head",
    [
        '<meta property="article:content_tier" content="locked">',
        # The paywalled part the page declares is missing or cut short.
        ld(
            {
                "@type": "NewsArticle",
                "isAccessibleForFree": "False",
                "hasPart": {
                    "@type": "WebPageElement",
                    "isAccessibleForFree": "False",
                    "cssSelector": ".locked-part",
                },
            }
        ),
        ld(
            {
                "@graph": [
                    {
                        "@type": "NewsArticle",
                        "hasPart": [{"isAccessibleForFree": False, "cssSelector": ".locked-part"}],
                    }
                ]
            }
        ),
    ],
)
def test_firm_paywall_declarations_mark_even_a_long_text(head: str) -> None:
    assert partial(head, WIRE * 2, LOCKED_PART)


@pytest.mark.parametrize(
    "head",
    [
        DECLARED,
        METERED,
        ld({"@graph": [{"@type": "Article", "isAccessibleForFree": "false"}]}),
        # A selector the markup never uses: the text may well be elsewhere in the page.
        ld(
            {
                "@type": "NewsArticle",
                "hasPart": {"isAccessibleForFree": False, "cssSelector": "#rest"},
            }
        ),
    ],
)
def test_a_declared_paywall_marks_a_short_text_only(head: str) -> None:
    assert partial(head, TEASER)
    # Metered sites serve the first visit in full: a whole article is not partial.
    assert not partial(head, WIRE * 2)


def test_a_declared_paywalled_part_served_in_full_is_not_partial() -> None:
    head = ld(
        {
            "@type": "NewsArticle",
            "isAccessibleForFree": False,
            "hasPart": {"isAccessibleForFree": False, "cssSelector": ".locked-part"},
        }
    )
    body = "".join(f"<p>{p}</p>" for p in WIRE * 2)
    assert not partial(head, TEASER, f"<div class='story-body locked-part'>{body}</div>")


@pytest.mark.parametrize(
    "tail",
    [
        "<div class='paywall-overlay'><p>Subscribe to keep reading.</p>"
        "<a href='/login'>Log in</a></div>",
        "<div id='regwall'><h3>Register for free to continue reading</h3></div>",
        "<div class='subscriber-only-gate'><p>اشترك لقراءة المقال كاملا</p></div>",
        "<div class='c-paywall'><p>Get a subscription for full access.</p></div>",
        "<p>Subscribe now to continue reading.</p>",
        "<p>Already a subscriber? Sign in.</p>",
        "<p>This article is only available to subscribers.</p>",
        "<p>لمتابعة القراءة، يرجى الاشتراك</p>",
        "<p>هذا المحتوى متاح للمشتركين فقط</p>",
    ],
)
def test_paywall_boxes_and_prompts_that_end_a_teaser(tail: str) -> None:
    assert partial(tail=tail)


@pytest.mark.parametrize(
    ("head", "paragraphs", "tail", "footer"),
    [
        ('<meta property="article:content_tier" content="free">', TEASER, "", ""),
        (FREE, TEASER, "", ""),
        ("", TEASER, "<div id='paywall'></div><div class='paywall-slot'> </div>", ""),
        ("", TEASER, "", "Subscribe to our newsletter. Already a subscriber? Sign in."),
        ("", TEASER, "", "<div class='newsletter'><button>Subscribe</button></div>"),
        # A long article that ends on a promotion is complete.
        ("", WIRE * 2, "<p>Subscribe to read more stories like this.</p>", ""),
    ],
)
def test_free_pages_are_not_partial(
    head: str, paragraphs: list[str], tail: str, footer: str
) -> None:
    assert not partial(head, paragraphs, tail, footer)


def test_teaser_text_and_prompt_stripping() -> None:
    teaser = "\n".join([*TEASER, "Subscribe to continue reading.", "Already a subscriber? Log in"])
    assert is_teaser_text(teaser)
    assert strip_prompt(teaser) == ("\n".join(TEASER), True)
    full = "\n".join([*WIRE, *WIRE])
    assert not is_teaser_text(full + "\nSubscribe to read more stories like this.")
    assert strip_prompt(full) == (full, False)
    # A paragraph that merely quotes such words is reporting, and stays.
    quoting = full + (
        "\nThe union said its members had received letters that told them to subscribe to "
        "continue reading the new safety manual, which they found absurd for a rulebook."
    )
    assert strip_prompt(quoting) == (quoting, False)


@pytest.mark.django_db
def test_a_teaser_is_stored_marked_partial_and_still_clusters(web: FixtureServer) -> None:
    source = Source.objects.create(name="Paper", slug="paper")
    prompt = "<div class='paywall'><p>Subscribe to continue reading.</p></div>"
    web.routes["/teaser.html"] = Route(article_page(paragraphs=PARAGRAPHS[:3], after_body=prompt))
    web.routes["/free.html"] = Route(
        article_page(title="Mill Street bridge open again", paragraphs=WIRE)
    )
    for path in ("/teaser.html", "/free.html"):
        link = Link.objects.create(url=web.url(path), source=source)
        fetch_link(link.pk)
        extract_link(link.pk)
    teaser = Report.objects.get(url=web.url("/teaser.html"))
    free = Report.objects.get(url=web.url("/free.html"))
    assert teaser.partial and not free.partial
    assert "Subscribe" not in teaser.text and PARAGRAPHS[0] in teaser.text
    assert cluster_report(teaser.pk) is not None
