"""The year's counts (year_counts.py) take exactly the year's months: nothing of the previous
December or earlier, everything of the last December; 稿件数 and 采用数 per person, 采用条次 by
level per unit, the county's totals by category, level and month, and the adoptions a 第一作者
is paid for. Values worked out by hand in the comments."""

from __future__ import annotations

from pipeline.core import labels as L
from pipeline.core import output_labels as OL
from pipeline.plan.rules import RewardSplit
from pipeline.scoring import assessment as A
from pipeline.scoring import scoring as S
from pipeline.scoring import year_counts as C
from tests.scoring_helpers import all_returned, make_plan, row, rows_frame

YEAR = [f"2025-{m:02d}" for m in range(1, 13)]

# A01 张三: 旧 sent and adopted 县级 in June 2024, 冬 in December 2024; 腊 sent and adopted 市级 (X)
#           in December 2024, adopted again 县级 (Y) in January 2025: only the January adoption is
#           the year's, and as a 条次 only: the piece was adopted (once) in 2024.
# A02 李四: 元 sent in January as 政务信息, listed in March as 调研文章 adopted 省级 by Z and W.
# A03 赵六: 空 sent in June, never adopted; 末 sent and adopted 国家级 in December 2025.
RECORDS = [
    row("A01", "旧", "2024-06", level="县级"),
    row("A01", "冬", "2024-12", level="县级"),
    row("A01", "腊", "2024-12", level="市级", outlet="X"),
    row("A01", "腊", "2025-01", sent="2024-12-02", level="县级", outlet="Y"),
    row("A02", "元", "2025-01", authors="李四"),
    row("A02", "元", "2025-03", sent="2025-01-02", level="省级", outlet="Z", authors="李四", category="调研文章"),
    row("A02", "元", "2025-03", sent="2025-01-02", level="省级", outlet="W", authors="李四", category="调研文章"),
    row("A03", "空", "2025-06", authors="赵六"),
    row("A03", "末", "2025-12", level="国家级", authors="赵六"),
]


def assess(records, plan=None):
    return A.assess_year(rows_frame(records), all_returned(YEAR), YEAR, plan or make_plan(), {})


def test_the_years_totals_count_the_years_months_only_each_piece_once():
    # Sent in 2025: 元, 空, 末 (腊 and 旧 were sent in 2024): 3. First adopted in 2025: 元 (March,
    # twice), 末 (December): 2 pieces (腊 was adopted in 2024; its January adoption is a 条次
    # only); 条次: 腊 1 + 元 2 + 末 1 = 4; 2 pieces at 省级 or above.
    totals = assess(RECORDS).totals
    assert (totals.sent, totals.adopted, totals.adoptions, totals.provincial) == (3, 2, 4, 2)
    # By category: a piece counts under its first row's category (元: 政务信息), an adoption
    # under its own row's (元's two: 调研文章).
    by_category = totals.by_category.set_index(L.CATEGORY)
    assert by_category.to_dict("index") == {
        "政务信息": {OL.YEAR_SENT: 3, OL.YEAR_ADOPTED: 2, OL.YEAR_ADOPTIONS: 2},
        "新闻宣传": {OL.YEAR_SENT: 0, OL.YEAR_ADOPTED: 0, OL.YEAR_ADOPTIONS: 0},
        "调研文章": {OL.YEAR_SENT: 0, OL.YEAR_ADOPTED: 0, OL.YEAR_ADOPTIONS: 2},
        "党建信息": {OL.YEAR_SENT: 0, OL.YEAR_ADOPTED: 0, OL.YEAR_ADOPTIONS: 0},
    }
    # By level: 元 is one piece adopted at 省级 by two outlets; 腊's 市级 was December 2024's,
    # its first 县级 adoption January 2025's (a piece counts at each level once).
    assert totals.by_level.values.tolist() == [
        ["国家级", 1, 1],
        ["省级", 1, 2],
        ["市级", 0, 0],
        ["县级", 1, 1],
    ]
    # By month: January 元 sent, 腊 adopted again (a 条次, not a piece adopted); March 元 adopted twice at 省级; June 空 sent;
    # December 末 sent and adopted at 国家级.
    by_month = totals.by_month
    assert list(by_month.columns) == [L.MONTH, OL.YEAR_SENT, OL.YEAR_ADOPTED, OL.YEAR_ADOPTIONS, OL.PROVINCIAL]
    assert by_month[L.MONTH].tolist() == [f"{m}月" for m in range(1, 13)]
    busy = {r[0]: r[1:] for r in by_month.values.tolist() if any(r[1:])}
    assert busy == {"1月": [1, 0, 1, 0], "3月": [0, 1, 2, 1], "6月": [1, 0, 0, 0], "12月": [1, 1, 1, 1]}
    for frame in (totals.by_category, totals.by_level, by_month):
        assert all(frame[c].dtype.kind == "i" for c in frame.columns[1:])


def test_a_units_adoptions_by_level_are_the_years_with_zeros_where_none():
    # A01: 腊's January 县级 (its December 2024 市级 is last year's). A02: 元's two 省级.
    # A03: 末's December 国家级; 空 adds nothing.
    units = assess(RECORDS).units.set_index(L.UNIT_CODE)
    levels = [C.level_label(level) for level in C.LEVELS_SHOWN]
    assert units.loc[["A01", "A02", "A03"], levels].values.tolist() == [[0, 0, 0, 1], [0, 2, 0, 0], [1, 0, 0, 0]]
    assert all(units[c].dtype.kind == "i" for c in levels)


def test_a_persons_pieces_and_adoptions_are_those_of_the_year():
    # 张三: sent nothing in 2025 (旧, 冬 and 腊 were 2024's, 冬 adopted then too), 腊 first adopted
    # in 2024: 0 and 0.
    # 李四: 元 sent and adopted: 1 and 1. 赵六: 空 and 末 sent, 末 adopted in December: 2 and 1.
    persons = assess(RECORDS).persons.set_index(S.PERSON_NAME)
    assert persons.loc[["张三", "李四", "赵六"], [OL.YEAR_PIECES, OL.YEAR_ADOPTED]].values.tolist() == [
        [0, 0],
        [1, 1],
        [2, 1],
    ]
    assert persons[OL.YEAR_PIECES].dtype.kind == persons[OL.YEAR_ADOPTED].dtype.kind == "i"


def test_under_first_author_a_person_is_paid_for_the_pieces_they_wrote_first_only():
    # 甲 (张三、李四) adopted 县级, 20 yuan to 张三; 乙 (李四、张三) adopted 市级, 40 yuan to 李四.
    records = [
        row("A01", "甲", "2025-03", level="县级", authors="张三、李四"),
        row("A01", "乙", "2025-04", level="市级", authors="李四、张三"),
    ]
    plan = make_plan(reward_split=RewardSplit.FIRST_AUTHOR)
    payout = assess(records, plan).payout.set_index(S.PERSON_NAME)
    levels = [C.level_label(level) for level in C.LEVELS_SHOWN]
    assert payout.loc[["张三", "李四"], [OL.PAYOUT_AMOUNT, *levels]].values.tolist() == [
        [20, 0, 0, 0, 1],
        [40, 0, 0, 1, 0],
    ]


def test_the_totals_of_several_periods_counted_together_are_each_periods_own():
    # periods_totals counts each distinct month once; each period must still be what the
    # pieces' own functions give it (a piece not adopted has no month of first adoption).
    from pipeline.scoring import pieces as PC
    from pipeline.scoring import scheme_month as SM

    plan = make_plan()
    pieces = SM.gather(rows_frame(RECORDS), plan, "2025-12")
    periods = [("2024-05", "2024-06"), ("2024-11", "2024-12"), ("2024-12", "2025-01"), ("2025-02", "2025-03")]
    periods += [("2024-12", "2025-12"), ("2023-12", "2025-12"), ("2025-12", "2026-01")]
    high = pieces.adoptions[pieces.adoptions[L.LEVEL].isin(C.PROVINCIAL_UP)]
    first_high = PC.earliest(high[PC.ADOPTED_IN], high[PC.PIECE])
    expected = [
        (
            len(PC.sent_pieces(pieces, after, until)),
            len(PC.adopted_pieces(pieces, after, until)),
            len(PC.reported_adoptions(pieces, after, until)),
            int(PC.in_period(first_high, after, until).sum()),
        )
        for after, until in periods
    ]
    assert pieces.table[PC.FIRST_ADOPTED_IN].isna().any()
    assert C.periods_totals(pieces, periods) == expected
    assert [C.county_totals(pieces, after, until) for after, until in periods] == expected
    assert expected[0] == (1, 1, 1, 0) and expected[4] == (3, 2, 4, 2)  # the year, as above
