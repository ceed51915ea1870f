"""Teaser and paywalled pages: what we hold of them is not the whole article.

Firm signals, each enough: ``article:content_tier`` locked, a paywall box that asks for a
subscription, an article that stops on a "subscribe to continue reading" line, a JSON-LD
paywalled part (``hasPart`` with ``isAccessibleForFree`` false) missing from the page. Declared
ones (``isAccessibleForFree`` false, a metered tier) only count when the page served little
text: metered sites serve a first visit the whole article. A site-wide "Subscribe" link, a
"paywall-login" widget or a newsletter box is none of these, so a free article is not marked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree
from lxml import html as lxml_html

# Tiers that lock the text; "metered" only counts reads, and a first visit gets it all.
LOCKED_TIERS = frozenset({"locked", "premium", "subscriber", "subscribers", "paid"})
METERED_TIERS = frozenset({"metered"})
# A paywalled part that is in the page with this many words was served to us in full.
DELIVERED_WORDS = 150
# A page that only declares a paywall (metered, isAccessibleForFree false) is partial when what
# it served is this short: metered sites serve a first visit the whole article.
DECLARED_MAX_WORDS = 250
# A paywall's prompt box is a few lines; more text in it is the article.
PROMPT_BOX_MAX_WORDS = 120
# A teaser is short; a long article that ends on a promotion line is complete.
TEASER_MAX_WORDS = 500
_TAIL_CHARS = 400

_CONTAINER = re.compile(
    r"pay-?wall|reg-?wall|registration-?wall"
    r"|subscri(?:ber|bers|ption)s?-?(?:only|wall|gate|required|prompt|offer)"
    r"|premium-?(?:lock|gate|wall|only|barrier)|(?:article|content|story)-?(?:locked|gate|truncated)"
    r"|locked-?(?:content|article|story)|meter(?:ed)?-?(?:wall|gate|barrier)",
    re.IGNORECASE,
)
# Every class and id value in the body: plain strings first, cheap to scan (element proxies
# or XPath contains() cost far more); with their elements only when one looks like a paywall.
_NAMES = etree.XPath("//body//@class | //body//@id", smart_strings=False)
_NAMES_ON_ELEMENTS = etree.XPath("//body//@class | //body//@id")
_CONTAINER_HINT = re.compile("wall|subscri|premium|lock|gate|truncat|meter")


def _is_container_name(name: str) -> bool:
    lowered = name.lower()
    return bool(_CONTAINER_HINT.search(lowered) and _CONTAINER.search(lowered))


# A paywall box asks for a subscription; a "paywall-login" widget in every page's header that
# only says "Log in" does not make the page partial.
_SUBSCRIPTION = re.compile(r"subscri|اشترك|اشتراك|المشتركين", re.IGNORECASE)
_PROMPT = re.compile(
    "|".join(
        [
            # English
            r"subscribe\s+(?:now\s+|today\s+)?(?:to|and)\s+(?:continue|keep)\s+reading",
            r"(?:to\s+)?(?:continue|keep)\s+reading,?\s+(?:please\s+)?(?:subscribe|sign\s+in|log\s+in"
            r"|register|become\s+an?\s+(?:subscriber|member))",
            r"subscribe\s+(?:now\s+|today\s+)?to\s+(?:read|unlock|access|see)\s+(?:the\s+)?"
            r"(?:full|rest|whole|entire|complete|this)\b",
            r"subscribe\s+(?:now\s+|today\s+)?to\s+read\s+more",
            r"read\s+(?:the\s+)?(?:full|rest\s+of\s+the|whole)\s+(?:article|story)\s+"
            r"(?:by\s+subscribing|with\s+a\s+subscription)",
            r"(?:the\s+rest\s+of\s+)?this\s+(?:article|story|content|piece|report)\s+is\s+(?:only\s+)?"
            r"(?:available|reserved|exclusive)\s+(?:only\s+)?(?:to|for)\s+(?:our\s+)?"
            r"(?:paying\s+)?(?:subscribers|members|premium)",
            r"\b(?:for|to)\s+(?:paying\s+)?subscribers\s+only",
            r"you(?:'ve|\s+have)\s+(?:reached|used)\s+(?:your|all\s+(?:of\s+)?your)\s+(?:free\s+)?"
            r"(?:article|story|monthly|free)",
            r"already\s+a\s+subscriber\?\s*(?:log|sign)\s+in",
            r"unlock\s+(?:this|the\s+full)\s+(?:article|story)",
            r"(?:register|sign\s+up)\s+(?:for\s+free\s+|now\s+)?to\s+(?:continue|keep)\s+reading",
            # Arabic
            r"اشترك\s+(?:الآن\s+)?(?:ل|في\s+)?(?:متابعة|مواصلة|إكمال|اكمال|استكمال)\s+القراءة",
            r"(?:لمتابعة|لمواصلة|لإكمال|لاكمال|لاستكمال)\s+القراءة[،,]?\s+(?:يرجى\s+|الرجاء\s+)?"
            r"(?:الاشتراك|اشترك|تسجيل\s+الدخول|سجل\s+الدخول)",
            r"(?:هذا|هذه)\s+(?:المحتوى|المقال|المقالة|الخبر|القصة)\s+(?:متاح|متاحة|مخصص|مخصصة|حصري|حصرية)?"
            r"\s*(?:فقط\s+)?للمشتركين",
            r"للمشتركين\s+فقط",
            r"اشترك\s+(?:الآن\s+)?لقراءة\s+(?:المقال|المقالة|الخبر|القصة)",
        ]
    ),
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PaywallSignal:
    """What in the markup points to a paywall; ``firm`` when it says the text was cut."""

    reason: str
    firm: bool


def is_partial(signal: PaywallSignal | None, text: str) -> bool:
    """Whether the report's text is a teaser: by a firm signal, a declared paywall that served
    only a little text, or a short text that stops on a subscription prompt."""
    if signal is not None and (signal.firm or len(text.split()) <= DECLARED_MAX_WORDS):
        return True
    return is_teaser_text(text)


def markup_signal(
    tree: lxml_html.HtmlElement,
    root: etree._Element,
    props: dict[str, str],
    ld_items: Iterable[dict[str, object]],
) -> PaywallSignal | None:
    """What in the page's markup says it is partial, strongest first; None when nothing does.

    ``root`` is the element that holds the article.
    """
    tier = props.get("article:content_tier", "").strip().lower()
    if tier in LOCKED_TIERS:
        return PaywallSignal(f"article:content_tier {tier}", firm=True)
    if any(_is_container_name(name) for name in _NAMES(tree)):
        for value in _NAMES_ON_ELEMENTS(tree):
            node = value.getparent()
            if _is_container_name(value) and _is_prompt_box(node.text_content()):
                names = f"{node.get('class') or ''} {node.get('id') or ''}"
                return PaywallSignal(f"paywall box {names.strip()[:60]!r}", firm=True)
    if root.tag not in {"body", "html"} and is_teaser_text(root.text_content()):
        return PaywallSignal("the article ends on a subscription prompt", firm=True)
    declared: list[PaywallSignal] = []
    for item in ld_items:
        signal = _ld_signal(tree, item)
        if signal is not None:
            declared.append(signal)
    if tier in METERED_TIERS:
        declared.append(PaywallSignal(f"article:content_tier {tier}", firm=False))
    return max(declared, key=lambda d: d.firm, default=None)


def _is_prompt_box(text: str) -> bool:
    """A short box that asks for a subscription: a long one is the paywalled article itself,
    served in full under a "paywall" class."""
    words = len(text.split())
    if words > PROMPT_BOX_MAX_WORDS:
        return False
    return bool(_PROMPT.search(text)) or (bool(_SUBSCRIPTION.search(text)) and words >= 4)


def _free(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
        return value.strip().lower() == "true"
    return None


def _ld_signal(tree: lxml_html.HtmlElement, item: dict[str, object]) -> PaywallSignal | None:
    parts = item.get("hasPart")
    part_list = parts if isinstance(parts, list) else [parts] if isinstance(parts, dict) else []
    locked = [
        p for p in part_list if isinstance(p, dict) and _free(p.get("isAccessibleForFree")) is False
    ]
    if _free(item.get("isAccessibleForFree")) is not False and not locked:
        return None
    selectors = [str(p.get("cssSelector", "")).strip() for p in locked]
    selectors = [selector for selector in selectors if selector]
    if not selectors:
        return PaywallSignal("JSON-LD isAccessibleForFree false", firm=False)
    if all(_delivered(tree, selector) is True for selector in selectors):
        # Metered pages declare the paywalled part yet serve it to a first visit in full.
        return None
    if any(_delivered(tree, selector) is False for selector in selectors):
        return PaywallSignal("JSON-LD paywalled part cut short", firm=True)
    return PaywallSignal("JSON-LD isAccessibleForFree false", firm=False)


def _delivered(tree: lxml_html.HtmlElement, selector: str) -> bool | None:
    """Whether a ".class" or "#id" selector's elements hold a full text (True) or a cut one
    (False); None when the page has no such element (the text may be elsewhere: some sites
    declare a selector their markup never uses) or the selector is beyond these two forms."""
    if re.fullmatch(r"\.[\w-]+", selector):
        nodes = tree.xpath(
            "//*[contains(concat(' ', normalize-space(@class), ' '), $name)]",
            name=f" {selector[1:]} ",
        )
    elif re.fullmatch(r"#[\w-]+", selector):
        nodes = tree.xpath("//*[@id=$name]", name=selector[1:])
    else:
        return None
    if not nodes:
        return None
    return sum(len(node.text_content().split()) for node in nodes) >= DELIVERED_WORDS


def is_teaser_text(text: str) -> bool:
    """A short text that stops on a subscription prompt."""
    return len(text.split()) <= TEASER_MAX_WORDS and bool(_PROMPT.search(text[-_TAIL_CHARS:]))


def strip_prompt(text: str) -> tuple[str, bool]:
    """The text without trailing subscription-prompt lines, and whether there were any."""
    lines = text.rstrip().split("\n")
    found = False
    while lines and _is_prompt_line(lines[-1]):
        lines.pop()
        found = True
    return "\n".join(lines).rstrip(), found


def _is_prompt_line(line: str) -> bool:
    """A short line that opens with the prompt ("Subscribe to continue reading.", "Already a
    subscriber? Sign in."); a paragraph that quotes such words further in is reporting."""
    match = _PROMPT.search(line)
    return match is not None and match.start() <= 25 and len(line.split()) <= 30
