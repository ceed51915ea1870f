"""The faithfulness gate on single sentences: names, numbers, quotations and who said them."""

from __future__ import annotations

from newsdesk.writing.gate import check

PASSAGES = [
    "\u201cThe next six hours are the most dangerous,\u201d said Liza Manalo, a senior "
    "forecaster at the bureau.",
    "Rosario Dumlao, the governor of Cagayan, said evacuation centres were close to capacity "
    "and 48 flights had been cancelled.",
]


def test_restatement_of_the_passages_passes() -> None:
    assert check("Governor Rosario Dumlao said 48 flights had been cancelled.", PASSAGES).supported
    assert check(
        '"The next six hours are the most dangerous," said Liza Manalo.', PASSAGES
    ).supported


def test_invented_name_number_and_quote_fail() -> None:
    verdict = check("Rosario Dumlao said 84 flights to Manila had been cancelled.", PASSAGES)
    assert any("manila" in p for p in verdict.problems)
    assert any("84" in p for p in verdict.problems)
    verdict = check('"The next hours are dangerous," said Liza Manalo.', PASSAGES)
    assert any("quotation" in p for p in verdict.problems)


def test_a_quote_credited_to_someone_else_fails() -> None:
    verdict = check('"The next six hours are the most dangerous," said Rosario Dumlao.', PASSAGES)
    assert not verdict.supported
    assert any("credited" in p and "dumlao" in p for p in verdict.problems)


def test_no_passage_supports_nothing() -> None:
    assert check("Rosario Dumlao spoke.", []).problems == ("cites no passage",)
