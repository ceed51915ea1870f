from __future__ import annotations

import pytest

from newsdesk.writing.eligibility import dateline_length, judge, refers_back


@pytest.mark.parametrize(
    "sentence",
    [
        "The Karsk Dam burst early on Tuesday, flooding the town of Orlen.",
        '"We lost everything in twenty minutes," said Mara Ilves, a local baker.',
        "\u201cWe will rebuild the bridge,\u201d the regional governor told reporters.",
        "Prime Minister Tomas Reyl said he had ordered an independent inquiry.",
        'The minister described the attack as "barbaric" in a short statement.',
        "وقال وزير النقل كريم العطار إن الحكومة ستصرف الأجور المتأخرة خلال أسبوع.",
        "أعلنت نقابة عمال الميناء إضرابا مفتوحا عن العمل احتجاجا على تأخر الأجور.",
    ],
)
def test_standalone_sentences_are_usable(sentence: str) -> None:
    assert judge(sentence).usable, judge(sentence).reason


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("They were taken to schools and sports halls on higher ground.", "earlier sentence"),
        ("However, officials said the water level had started to fall.", "earlier sentence"),
        ("It was the worst disaster to hit the province in decades.", "earlier sentence"),
        ("Meanwhile, volunteers from across the country travelled to Orlen.", "earlier sentence"),
        ("The move comes two weeks before the national budget is due.", "earlier sentence"),
        ("But the army said the rescue operation would continue overnight.", "earlier sentence"),
        ("وأضاف أن النقابة لن تتراجع قبل صرف كامل المستحقات.", "earlier sentence"),
        ("من جهته، قال العمال إنهم مستعدون لمواصلة الإضراب حتى النهاية.", "earlier sentence"),
        ('"The water came so fast and took everything," he said.', "named speaker"),
        ('"The water came so fast and took everything away from us."', "named speaker"),
        ("In a statement on Tuesday, she said the dam had been inspected.", "pronoun"),
        ('We will never retreat from this city," the general said.', "multi-sentence quote"),
        ("Is the country ready for the next flood in the valley?", "question"),
        ("هل ينجح الإضراب في تحقيق مطالب العمال؟", "question"),
        ("Photo: Rescuers search a flooded street in Orlen on Tuesday.", "caption"),
        ("Reporting by Jaan Tamm; editing by Ruth Ode and Ana Lind.", "byline"),
        ("By Lena Hart", "final punctuation"),
        ("Read more: the full list of closed roads in the province.", "boilerplate"),
        ("Rescue teams arrived.", "too short"),
        ("FLOODWATERS SWEEP THROUGH THE TOWN OF ORLEN AS THE DAM GIVES WAY.", "capitals"),
        ("Officials evacuated " + "the town and " * 40 + "the valley.", "too long"),
    ],
)
def test_sentences_that_cannot_stand_alone_are_rejected(sentence: str, reason: str) -> None:
    verdict = judge(sentence)
    assert not verdict.usable
    assert verdict.reason is not None and reason in verdict.reason


@pytest.mark.parametrize(
    ("sentence", "rest"),
    [
        ("ORLEN, Velmora (Harbor Wire) - The dam burst.", "The dam burst."),
        ("BEL\u00c9M, Brazil \u2014 Brazil created a park.", "Brazil created a park."),
        ("LONDON, Dec 6 (Reuters) - Shares fell sharply.", "Shares fell sharply."),
        ("Beirut (Reuters) - Rebels took the town.", "Rebels took the town."),
        ("دمشق (رويترز) - قال مسؤولون إن المعارك توقفت.", "قال مسؤولون إن المعارك توقفت."),
        (
            "Vladimir Putin - who spoke first - left early.",
            "Vladimir Putin - who spoke first - left early.",
        ),
        ("Officials: the toll rose again.", "Officials: the toll rose again."),
    ],
)
def test_datelines_are_cut_off_the_front(sentence: str, rest: str) -> None:
    assert sentence[dateline_length(sentence) :] == rest


def test_dateline_only_sentence_is_not_usable() -> None:
    assert not judge("BEIRUT (Reuters) -").usable


def test_here_after_a_cut_dateline_is_rejected() -> None:
    verdict = judge("DOHA, Qatar \u2014 The two armies signed a ceasefire here on Wednesday.")
    assert verdict.start_shift > 0
    assert not verdict.usable


@pytest.mark.parametrize(
    "sentence",
    [
        "The government also recognised two Indigenous territories on its borders.",
        "Another storm is expected to reach the coast on Friday.",
        "A second decree recognised two territories on the border.",
        "وقالت الوزارة إنها ستفتتح أيضاً محطة ثانية في الجنوب.",
    ],
)
def test_sentences_that_lean_on_earlier_context_cannot_open(sentence: str) -> None:
    assert refers_back(sentence)


def test_a_self_contained_sentence_can_open() -> None:
    assert not refers_back("Brazil created a 2.4 million-hectare national park in Pará on Monday.")
