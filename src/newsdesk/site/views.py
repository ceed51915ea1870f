"""The public website: home, article, section and place pages, all rendered on the server."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.views.decorators.http import require_safe

from newsdesk.publishing.models import Article, ArticleImage, ArticleRef, ArticleSentence
from newsdesk.publishing.redirects import redirect_target
from newsdesk.site import queries
from newsdesk.site.revisions import gate_summary, language_name, revision_entries
from newsdesk.sources.models import Source
from newsdesk.trends.trends import record_view, trending

LATEST_COUNT = 10
TRENDS_COUNT = 6
SECTION_HEADLINES = 4


@dataclass(frozen=True)
class BodySentence:
    text: str
    # Numbers of the refs this sentence comes from, as listed under "Refs:".
    refs: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class BodySection:
    heading: str
    paragraphs: list[list[BodySentence]]


def ref_numbers(refs: list[ArticleRef]) -> dict[int, int]:
    """Report id -> its footnote number: the ref's place in the Refs list, from 1."""
    return {ref.report_id: number for number, ref in enumerate(refs, start=1)}


def sentence_refs(sentence: ArticleSentence, numbers: dict[int, int]) -> list[int]:
    found = (numbers.get(source.report_id) for source in sentence.sources.all())
    return list(dict.fromkeys(number for number in found if number is not None))


def article_body(article: Article, numbers: dict[int, int]) -> list[BodySection]:
    """The article's sections, each as paragraphs of sentences with their footnotes."""
    body: list[BodySection] = []
    for section in article.sections.all():
        paragraphs: dict[int, list[BodySentence]] = {}
        for sentence in section.sentences.all():
            rendered = BodySentence(sentence.rendered, sentence_refs(sentence, numbers))
            paragraphs.setdefault(sentence.paragraph, []).append(rendered)
        body.append(BodySection(section.heading, [paragraphs[n] for n in sorted(paragraphs)]))
    return body


def outlets(refs: list[ArticleRef]) -> list[Source]:
    """The distinct outlets among the refs, in the order they first appear."""
    seen: dict[int, Source] = {}
    for ref in refs:
        seen.setdefault(ref.report.source_id, ref.report.source)
    return list(seen.values())


def first_image(article: Article | None) -> ArticleImage | None:
    if article is None:
        return None
    return next(iter(article.images.all()), None)


def without(articles: list[Article], article_id: int | None, limit: int) -> list[Article]:
    return [article for article in articles if article.pk != article_id][:limit]


def paginate(request: HttpRequest, articles: QuerySet[Article]) -> Page[Article]:
    # get_page() answers a malformed or out-of-range ?page= with the first or last page.
    paginator = Paginator(articles, settings.NEWSDESK_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    lead = queries.lead_story()
    context = {
        "lead": lead,
        "lead_image": first_image(lead),
        "latest": queries.latest(LATEST_COUNT, exclude=lead.pk if lead else None),
        "trends": trending(TRENDS_COUNT),
        "section_blocks": queries.section_heads(SECTION_HEADLINES),
    }
    return render(request, "site/home.html", context)


@require_safe
def article(request: HttpRequest, slug: str) -> HttpResponse:
    shown = queries.full_article(slug)
    if shown is None:
        # The article of a story merged into another: its readers go to the survivor's.
        target = redirect_target(slug)
        if target is None:
            raise Http404("No article at this address.")
        return HttpResponsePermanentRedirect(target)
    if request.method == "GET":
        record_view(shown.pk)
    refs = list(shown.refs.all())
    context = {
        "article": shown,
        "places": list(shown.places.all()),
        "images": list(shown.images.all()),
        "body": article_body(shown, ref_numbers(refs)),
        "refs": refs,
        "outlets": outlets(refs),
        "revisions": revision_entries(shown, refs),
        "gate": gate_summary(shown.live_revision),
        "language_name": language_name(shown.language),
        "translated_from": [
            language_name(code) for code in getattr(shown.live_revision, "translated_from", [])
        ],
        "trends": without(trending(TRENDS_COUNT + 1), shown.pk, TRENDS_COUNT),
        "latest": queries.latest(LATEST_COUNT, exclude=shown.pk),
    }
    return render(request, "site/article.html", context)


@require_safe
def section(request: HttpRequest, slug: str) -> HttpResponse:
    name = queries.section_named(slug)
    if name is None:
        raise Http404("No such section.")
    context = {
        "title": name,
        "current_section": name,
        "page": paginate(request, queries.in_section(name)),
        "trends": trending(TRENDS_COUNT),
    }
    return render(request, "site/list.html", context)


@require_safe
def place(request: HttpRequest, slug: str) -> HttpResponse:
    name = queries.place_name(slug)
    if name is None:
        raise Http404("No article is tagged with this place.")
    context = {
        "title": name,
        "page": paginate(request, queries.at_place(slug)),
        "trends": trending(TRENDS_COUNT),
    }
    return render(request, "site/list.html", context)
