"""The circular's ranking table as LibreOffice prints it: a completion rate of three digits, normal
late in a year, stays on one line in its column."""

from __future__ import annotations

from pipeline.documents import documents
from tests import tools
from tests.documents.test_circular import Q1, _context


def test_the_ranking_holds_a_completion_rate_of_three_digits_on_one_line(tmp_path):
    tools.require(tools.SOFFICE)
    context = _context(Q1)
    rates = [("225.0%", "999.9%"), ("333.3%", "260.0%"), ("100.0%", "888.8%")]
    for row, (submit, adopt) in zip(context["ranking"], rates, strict=True):
        row.update(submit_rate=submit, adopt_year_rate=adopt)
    # converted as a run converts it, with its stand-ins for the circular's fonts (`fonts`)
    rendered = documents.render("通报", context, tmp_path, "季度通报")
    assert rendered.pdf is not None, rendered.note
    words = [word[4] for _, _, page in tools.pdf_words(rendered.pdf) for word in page]
    # a rate broken over two lines would be two words, "225.0" and "%"
    for rate in ("225.0%", "999.9%", "333.3%", "260.0%", "888.8%"):
        assert rate in words
    assert "%" not in words
