"""The circular's tables as LibreOffice prints them: a completion rate of three digits, normal late
in a year, stays on one line in the ranking; a province's sums of six digits, and its groups'
labels, in its grouped 附件1."""

from __future__ import annotations

from pipeline.documents import documents
from pipeline.plan.rules import AnnexGrouping
from tests import tools
from tests.documents.test_circular import Q1, _context
from tests.documents.test_circular_groups import _plan


def _printed_words(context: dict, folder) -> list[str]:
    tools.require(tools.SOFFICE)
    # converted as a run converts it, with its stand-ins for the circular's fonts (`fonts`)
    rendered = documents.render("通报", context, folder, "季度通报")
    assert rendered.pdf is not None, rendered.note
    return [word[4] for _, _, page in tools.pdf_words(rendered.pdf) for word in page]


def test_the_ranking_holds_a_completion_rate_of_three_digits_on_one_line(tmp_path):
    context = _context(Q1)
    rates = [("225.0%", "999.9%"), ("333.3%", "260.0%"), ("100.0%", "888.8%")]
    for row, (submit, adopt) in zip(context["ranking"], rates, strict=True):
        row.update(submit_rate=submit, adopt_year_rate=adopt)
    words = _printed_words(context, tmp_path)
    # a rate broken over two lines would be two words, "225.0" and "%"
    for rate in ("225.0%", "999.9%", "333.3%", "260.0%", "888.8%"):
        assert rate in words
    assert "%" not in words


def test_a_grouped_annex_holds_a_provinces_sums_on_one_line(tmp_path):
    context = _context(Q1, plan=_plan(AnnexGrouping.CATEGORY))
    assert context["annex1_grouped"]
    total = context["annex1"][-1]
    total.update(sent="150004", sent_ytd="150004", adopted="95193", points="1105065", points_ytd="1448395.5")
    total.update(deductions="1322", submit_rate="208.2%", adopt_rate="999.9%")
    words = _printed_words(context, tmp_path)
    for number in ("150004", "95193", "1105065", "1448395.5", "1322", "208.2%", "999.9%"):
        assert number in words
    assert "%" not in words
    # a group's label on its two lines, not broken where the column filled (国土资源所（1个单 / 位）)
    assert "国土资源所" in words
