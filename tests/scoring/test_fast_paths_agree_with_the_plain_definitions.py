"""The province-sized ways of counting (integer ranks, positions, only the rows that matter) give
what the plain pandas definitions give, on random ledgers with co-written pieces, changing
authors, instructions and months, and on the empty ledger."""

from __future__ import annotations

import dataclasses
import random

import numpy as np
import pandas as pd
import pytest

from pipeline.core import labels as L
from pipeline.core.text import outlet_key
from pipeline.plan.rules import CoWritten, MultiLevel, RewardSplit
from pipeline.scoring import persons as PN
from pipeline.scoring import piece_worth as PW
from pipeline.scoring import pieces as PC
from pipeline.scoring import scoring as SC
from tests.scoring_helpers import make_plan, row, rows_frame

MONTHS = ("2024-12", "2025-01", "2025-02", "2025-03", "2025-04")
CODES = ("A01", "A02", "A03", "N01")
AUTHORS = ("张三", "李四、王五", "王五、张三", "", "赵六 、 李四")


def random_ledger(seed: int) -> pd.DataFrame:
    rng = random.Random(seed)
    records = []
    for _ in range(rng.randint(1, 60)):
        unit = rng.choice(CODES)
        others = [c for c in CODES if c != unit]
        records.append(
            row(
                unit,
                f"稿件{rng.randint(0, 8)}",
                rng.choice(MONTHS),
                authors=rng.choice(AUTHORS),
                instruction=rng.choice([L.NO_INSTRUCTION] * 4 + list(L.LEVELS)),
                co_units=rng.choice(["", "", "", rng.choice(others), "、".join(rng.sample(others, 2))]),
                level=rng.choice(["", "", *L.LEVELS]),
                outlet=rng.choice(["", "《甲》", "《乙》"]),
                # a later form may report an adoption dated before an earlier form's (补报)
                adopted=rng.choice([None, None, "2024-12-20", "2025-01-05", "2025-02-28"]),
            )
        )
    return rows_frame(records)


def plain_identify(rows: pd.DataFrame) -> list[str]:
    """Piece names by the definition: (unit, key) nodes joined when one names the other, named
    after the component's lowest node."""
    nodes = sorted(set(zip(rows[L.UNIT_CODE], rows[L.PIECE_KEY], strict=True)))
    group = {node: {node} for node in nodes}
    for unit, key, co_units in zip(rows[L.UNIT_CODE], rows[L.PIECE_KEY], rows[L.CO_UNITS], strict=True):
        for other in PC.list_items(co_units):
            if (other, key) in group and group[(other, key)] is not group[(unit, key)]:
                joined = group[(unit, key)] | group[(other, key)]
                for node in joined:
                    group[node] = joined
    return [f"{min(group[(u, k)])[0]}|{k}" for u, k in zip(rows[L.UNIT_CODE], rows[L.PIECE_KEY], strict=True)]


@pytest.mark.parametrize("seed", range(40))
def test_pieces_are_named_as_the_definition_says(seed):
    rows = random_ledger(seed)
    assert PC.identify_pieces(rows)[PC.PIECE].tolist() == plain_identify(rows)


@pytest.mark.parametrize("seed", range(40))
def test_each_units_latest_authors_by_ranks_are_those_of_the_plain_grouping(seed):
    pieces = PC.gather(random_ledger(seed), make_plan(), "2025-04")
    for until in ("2024-11", *MONTHS):
        fast = PN.latest_authors(pieces.rows, until, pieces.nodes)
        pd.testing.assert_frame_equal(fast, PN.latest_authors(pieces.rows, until), check_exact=True)


@pytest.mark.parametrize("seed", range(40))
def test_a_per_piece_figure_summed_per_unit_by_positions_is_the_groupby_sum(seed):
    pieces = PC.gather(random_ledger(seed), make_plan(), "2025-04")
    members = pieces.members
    rng = np.random.default_rng(seed)
    for values in (rng.integers(0, 3, len(pieces.table)), rng.random(len(pieces.table))):
        per_member = pd.Series(values, index=pieces.table.index).reindex(members[PC.PIECE]).to_numpy()
        expected = pd.Series(per_member).groupby(members[L.UNIT_CODE].to_numpy()).sum()
        found = pieces.by_member(values)
        assert found.index.tolist() == expected.index.tolist()
        np.testing.assert_allclose(found.to_numpy(), expected.to_numpy(), rtol=0, atol=1e-12)
        assert found.dtype.kind == expected.dtype.kind


@pytest.mark.parametrize("seed", range(40))
def test_a_pieces_instruction_bonus_is_its_highest_instruction_so_far_and_nothing_before_its_first_row(seed):
    plan = make_plan()
    # A bonus for 无 too: a piece listed without instruction gets it, a piece not yet listed not.
    plan = dataclasses.replace(plan, bonus={**plan.bonus, L.NO_INSTRUCTION: 1.5})
    pieces = PC.gather(random_ledger(seed), plan, "2025-04")
    ranks = pieces.rows[L.INSTRUCTION].map(PC.INSTRUCTION_RANKS).fillna(0).astype(int)
    for until in ("2024-11", *MONTHS):
        held = pieces.rows[L.MONTH] <= until
        top = ranks[held].groupby(pieces.rows.loc[held, PC.PIECE]).max()
        expected = [plan.bonus_of(L.INSTRUCTION_LEVELS[top[p]]) if p in top.index else 0.0 for p in pieces.table.index]
        assert PW.instruction_bonus(pieces, plan, until).tolist() == expected


def test_the_empty_ledger_has_no_pieces_no_authors_and_no_bonus():
    pieces = PC.gather(rows_frame([]), make_plan(), "2025-03")
    assert pieces.table.empty and pieces.rows.empty
    assert PN.latest_authors(pieces.rows, "2025-03", pieces.nodes).empty
    assert PW.instruction_bonus(pieces, make_plan(), "2025-03").empty
    assert pieces.by_member(np.zeros(0)).empty


@pytest.mark.parametrize("seed", range(10))
def test_rows_given_as_a_list_are_gathered_as_the_joined_frame_and_the_list_is_let_go(seed):
    rows = random_ledger(seed)
    parts = [rows[rows[L.MONTH] < "2025-03"], rows[rows[L.MONTH] >= "2025-03"]]
    from_list = PC.gather(parts, make_plan(), "2025-03")
    joined = PC.gather(rows, make_plan(), "2025-03")
    assert parts == []
    pd.testing.assert_frame_equal(from_list.rows, joined.rows, check_exact=True)
    pd.testing.assert_frame_equal(from_list.table, joined.table, check_exact=True)
    pd.testing.assert_frame_equal(from_list.adoptions, joined.adoptions, check_exact=True)


@pytest.mark.parametrize("seed", range(20))
def test_the_pieces_of_a_month_gathered_again_from_the_pieces_rows_are_those_of_the_ledgers_rows(seed):
    # the pieces' rows leave out the unit names and the scheme's form columns, and a circular's or
    # the page's earlier periods are gathered again from them
    rows = random_ledger(seed)
    held = PC.gather(rows, make_plan(), "2025-04")
    assert not set(PC.UNHELD_COLUMNS) & set(held.rows.columns)
    assert set(held.rows.columns) == set(rows.columns) - set(PC.UNHELD_COLUMNS) | {PC.PIECE}
    for until in MONTHS:
        again, plain = (
            PC.gather(held.rows.drop(columns=PC.PIECE), make_plan(), until),
            PC.gather(rows, make_plan(), until),
        )
        for part in ("rows", "table", "adoptions"):
            pd.testing.assert_frame_equal(getattr(again, part), getattr(plain, part), check_exact=True)


@pytest.mark.parametrize("seed", range(40))
def test_the_pieces_numbered_from_their_nodes_are_those_numbered_from_the_rows(seed):
    # `gather` numbers the pieces from the (unit, key) nodes; `piece_table_and_nodes` from the rows
    rows = random_ledger(seed)
    pieces = PC.gather(rows, make_plan(), "2025-04")
    table, nodes = PC.piece_table_and_nodes(PC.identify_pieces(PC.ordered_rows(rows, "2025-04")))
    pd.testing.assert_frame_equal(pieces.table.drop(columns=PC.FIRST_ADOPTED_IN), table, check_exact=True)
    assert pieces.nodes.tolist() == nodes.tolist()
    assert pieces.adoption_places.tolist() == table.index.get_indexer(pieces.adoptions[PC.PIECE]).tolist()


@pytest.mark.parametrize("seed", range(20))
def test_pieces_with_the_same_units_share_one_tuple_equal_to_the_plain_grouping(seed):
    rows = random_ledger(seed)
    table = PC.gather(rows, make_plan(), "2025-04").table
    held = PC.identify_pieces(PC.ordered_rows(rows, "2025-04"))
    sent = held[L.SENT_DATE].fillna(pd.to_datetime(held[L.MONTH] + "-01"))
    for piece, own in held.groupby(PC.PIECE):
        firsts = sent[own.index].groupby(own[L.UNIT_CODE]).min()
        reporters = tuple(firsts.sort_index().sort_values(kind="stable").index)
        named = {item for listed in own[L.CO_UNITS] for item in PC.list_items(listed)}
        assert table.loc[piece, PC.REPORTERS] == reporters
        assert table.loc[piece, PC.UNITS] == tuple(sorted(set(reporters) | named))
    shared = {}
    for listed in [*table[PC.REPORTERS], *table[PC.UNITS]]:
        assert shared.setdefault(listed, listed) is listed


def plain_recipients(table: pd.DataFrame, authors: pd.DataFrame) -> pd.DataFrame:
    """Reward order by the definition: the reporting units in the table's order, each unit's
    authors in their order on its row."""
    reporters = table[PC.REPORTERS].explode().rename(L.UNIT_CODE).rename_axis(PC.PIECE).reset_index()
    reporters = reporters.assign(_unit=reporters.groupby(PC.PIECE, sort=False).cumcount())
    ordered = authors.merge(reporters, on=[PC.PIECE, L.UNIT_CODE], how="inner")
    ordered = ordered.sort_values([PC.PIECE, "_unit", PN.POSITION], kind="stable")
    return ordered[[PC.PIECE, L.UNIT_CODE, PN.PERSON_NAME]].reset_index(drop=True)


@pytest.mark.parametrize("seed", range(40))
def test_reward_recipients_by_positions_are_those_of_the_plain_merge(seed):
    pieces = PC.gather(random_ledger(seed), make_plan(), "2025-04")
    for until in ("2024-11", *MONTHS):
        authors = PN.latest_authors(pieces.rows, until, pieces.nodes)
        expected = plain_recipients(pieces.table, authors)
        pd.testing.assert_frame_equal(PN.reward_recipients(pieces.table, authors), expected, check_exact=True)
        # a table in another order than its names' gives the same order
        shuffled = pieces.table.iloc[::-1]
        pd.testing.assert_frame_equal(PN.reward_recipients(shuffled, authors), expected, check_exact=True)


def plain_gathered(rows: pd.DataFrame, plan, until: str) -> tuple[pd.DataFrame, pd.Series]:
    """Adoptions and each piece's first adoption month by the definitions: the first listings
    sorted by names, the earliest month grouped by names."""
    held = PC.identify_pieces(PC.ordered_rows(rows, until))
    table = PC.piece_table(held)
    adoptions = PC.list_adoptions(held, plan)
    return adoptions, PC.earliest(adoptions[PC.ADOPTED_IN], adoptions[PC.PIECE]).reindex(table.index)


@pytest.mark.parametrize("seed", range(40))
def test_adoptions_ordered_by_positions_are_the_first_listings_sorted_by_names(seed):
    rows, plan = random_ledger(seed), make_plan()
    for until in ("2025-01", "2025-04"):
        pieces = PC.gather(rows, plan, until)
        adoptions, first_adopted = plain_gathered(rows, plan, until)
        pd.testing.assert_frame_equal(pieces.adoptions, adoptions, check_exact=True)
        pd.testing.assert_series_equal(
            pieces.table[PC.FIRST_ADOPTED_IN], first_adopted, check_exact=True, check_names=False
        )
        assert pieces.adoption_places.tolist() == pieces.table.index.get_indexer(adoptions[PC.PIECE]).tolist()


def plain_values(pieces: PC.Pieces, plan, until: str) -> pd.DataFrame:
    """`piece_values` by the definition: the counting adoptions summed by piece names."""
    counted = PW.counting_adoptions(pieces.adoptions, plan.rules.multi_level, until)
    sums = counted.groupby(PC.PIECE, sort=False)[[PC.VALUE, PC.REWARD]].sum()
    index = pieces.table.index
    frame = pd.DataFrame(
        {
            PC.ADOPT: sums[PC.VALUE].reindex(index),
            PC.BONUS: PW.instruction_bonus(pieces, plan, until),
            PC.REWARD: sums[PC.REWARD].reindex(index),
        },
        index=index,
    )
    return frame.fillna(0.0).astype(float)


@pytest.mark.parametrize("rule", list(MultiLevel))
@pytest.mark.parametrize("seed", range(20))
def test_a_pieces_value_summed_by_positions_is_the_sum_by_names_to_the_last_bit(seed, rule):
    plan = make_plan(multi_level=rule)
    # values whose sums round: 0.1 + 0.2 is not 0.3 in binary, and the order of adding shows
    rng = np.random.default_rng(seed)
    points = plan.points.assign(**{c: rng.integers(1, 30, len(plan.points)) / 10 for c in plan.points.columns})
    plan = dataclasses.replace(plan, points=points)
    pieces = PC.gather(random_ledger(seed), plan, "2025-04")
    for until in ("2024-11", *MONTHS):
        pd.testing.assert_frame_equal(
            PW.piece_values(pieces, plan, until), plain_values(pieces, plan, until), check_exact=True
        )


@pytest.mark.parametrize("rule", list(CoWritten))
@pytest.mark.parametrize("seed", range(20))
def test_a_units_credit_by_positions_is_the_credit_by_names(seed, rule):
    pieces = PC.gather(random_ledger(seed), make_plan(), "2025-04")
    shares = PC.unit_shares(pieces.table, rule)
    pd.testing.assert_frame_equal(pieces.shares(rule), shares, check_exact=True)
    assert pieces.share_places(rule).tolist() == pieces.table.index.get_indexer(shares[PC.PIECE]).tolist()
    amounts = pd.Series(np.random.default_rng(seed).random(len(pieces.table)), index=pieces.table.index)
    pd.testing.assert_series_equal(pieces.credit(amounts, rule), PC.credit(amounts, shares), check_exact=True)
    # a figure of other pieces than the table's is credited by names
    some = amounts.iloc[::2]
    pd.testing.assert_series_equal(pieces.credit(some, rule), PC.credit(some, shares), check_exact=True)


def plain_person_points(points, shares: pd.DataFrame, authors: pd.DataFrame):
    """A person's points by the definition: the authors merged with their units' shares by name,
    a unit's share split among its authors of the piece."""
    counts = authors.groupby([PC.PIECE, L.UNIT_CODE], sort=False)[PN.PERSON_NAME].transform("size")
    merged = authors.assign(_n=counts).merge(shares, on=[PC.PIECE, L.UNIT_CODE], how="inner")
    values = points.reindex(merged[PC.PIECE].to_numpy()).fillna(0.0).to_numpy(dtype=float)
    share, count = merged[PC.SHARE].to_numpy(dtype=float), merged["_n"].to_numpy(dtype=float)
    if values.ndim == 2:
        share, count = share[:, None], count[:, None]
    amounts = values * share / count
    keys = [merged[L.UNIT_CODE], merged[PN.PERSON_NAME]]
    if isinstance(points, pd.DataFrame):
        return pd.DataFrame(amounts, columns=points.columns, index=merged.index).groupby(keys).sum()
    return pd.Series(amounts, index=merged.index, name=PN.AMOUNT).groupby(keys).sum()


def some_pieces(index: pd.Index, rng: np.random.Generator) -> pd.Index:
    """Most of the pieces, shuffled, with a piece no one wrote: points or amounts given for
    pieces in another order, some missing."""
    kept = index[rng.random(len(index)) < 0.8]
    return pd.Index([*kept[rng.permutation(len(kept))], "Z99|无人稿件"], name=PC.PIECE)


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize("rule", list(CoWritten))
def test_persons_points_joined_by_integers_are_those_of_the_plain_merge(seed, rule):
    pieces = PC.gather(random_ledger(seed), make_plan(co_written=rule), "2025-04")
    shares = PC.unit_shares(pieces.table, rule)
    rng = np.random.default_rng(seed)
    for until in ("2024-11", *MONTHS):
        authors = PN.latest_authors(pieces.rows, until, pieces.nodes)
        index = pieces.table.index
        points = pd.Series(rng.random(len(index)) * 10, index=index)
        got = PN.person_points(points, shares, authors)
        pd.testing.assert_series_equal(got, plain_person_points(points, shares, authors), check_exact=True)
        # several columns, in another order than the table's, missing pieces and with gaps
        other = some_pieces(index, rng)
        frame = pd.DataFrame({"月": rng.random(len(other)), "年": rng.random(len(other)) * 3}, index=other)
        frame = frame.mask(rng.random(frame.shape) < 0.1)
        got = PN.person_points(frame, shares, authors)
        pd.testing.assert_frame_equal(got, plain_person_points(frame, shares, authors), check_exact=True)


def plain_person_rewards(rewards: pd.DataFrame, recipients: pd.DataFrame, rule) -> pd.DataFrame:
    """A person's fen by the definition: each piece's recipients numbered by grouping on its name."""
    if rule is RewardSplit.FIRST_AUTHOR:
        recipients = recipients.drop_duplicates(PC.PIECE, keep="first")
    codes, _ = pd.factorize(recipients[PC.PIECE])
    position = pd.Series(codes).groupby(codes, sort=False).cumcount().to_numpy()
    count = np.bincount(codes)[codes] if len(codes) else codes
    amounts = rewards.reindex(recipients[PC.PIECE].to_numpy()).fillna(0.0).to_numpy(dtype=float)
    parts = PN.share_fen(np.round(amounts * 100).astype(np.int64), position[:, None], count[:, None])
    paid = pd.DataFrame(parts, index=recipients.index, columns=rewards.columns)
    return paid.groupby([recipients[L.UNIT_CODE], recipients[PN.PERSON_NAME]]).sum()


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize("rule", list(RewardSplit))
def test_persons_fen_numbered_by_positions_are_those_of_grouping_by_names(seed, rule):
    pieces = PC.gather(random_ledger(seed), make_plan(), "2025-04")
    rng = np.random.default_rng(seed)
    for until in ("2024-11", *MONTHS):
        authors = PN.latest_authors(pieces.rows, until, pieces.nodes)
        recipients = PN.reward_recipients(pieces.table, authors)
        other = some_pieces(pieces.table.index, rng)
        cents = rng.integers(0, 10_001, (len(other), 2)) / 100
        rewards = pd.DataFrame(cents, index=other, columns=["now", "start"]).mask(rng.random(cents.shape) < 0.1)
        got = PN.person_rewards(rewards, recipients, rule)
        pd.testing.assert_frame_equal(got, plain_person_rewards(rewards, recipients, rule), check_exact=True)
        # recipients not grouped piece by piece are numbered all the same
        shuffled = recipients.iloc[rng.permutation(len(recipients))]
        got = PN.person_rewards(rewards, shuffled, rule)
        pd.testing.assert_frame_equal(got, plain_person_rewards(rewards, shuffled, rule), check_exact=True)


@pytest.mark.parametrize("seed", range(20))
def test_a_pairs_share_row_found_by_integers_is_the_one_the_names_find(seed):
    pieces = PC.gather(random_ledger(seed), make_plan(), "2025-04")
    shares = PC.unit_shares(pieces.table, CoWritten.SPLIT)
    rng = np.random.default_rng(seed)
    # the rows' own pairs, and pairs of pieces and units no share names
    pairs = pieces.rows[[PC.PIECE, L.UNIT_CODE]]
    strangers = pd.DataFrame({PC.PIECE: ["Z99|无人稿件", pairs[PC.PIECE].iloc[0]], L.UNIT_CODE: ["A01", "Z99"]})
    pairs = pd.concat([pairs, strangers], ignore_index=True).iloc[rng.permutation(len(pairs) + 2)]
    share_pieces, pair_pieces = PN.piece_codes(some_pieces(pieces.table.index, rng), shares[PC.PIECE], pairs[PC.PIECE])
    found = PN.pair_rows(share_pieces, shares[L.UNIT_CODE], pair_pieces, pairs[L.UNIT_CODE])
    named = shares.reset_index(drop=True).reset_index().set_index([PC.PIECE, L.UNIT_CODE])["index"]
    expected = named.reindex(pd.MultiIndex.from_frame(pairs)).fillna(-1).astype(int).to_numpy()
    assert found.tolist() == expected.tolist()


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("co_written", list(CoWritten))
@pytest.mark.parametrize("reward_split", list(RewardSplit))
def test_the_months_persons_by_table_positions_are_the_persons_points_and_rewards(seed, co_written, reward_split):
    plan = make_plan(co_written=co_written, reward_split=reward_split)
    pieces = PC.gather(random_ledger(seed), plan, "2025-04")
    rng = np.random.default_rng(seed)
    for until in ("2024-11", *MONTHS):
        authors = PN.latest_authors_of(pieces, until)
        for index in (pieces.table.index, some_pieces(pieces.table.index, rng)):
            points = pd.DataFrame({"月": rng.random(len(index)), "年": rng.random(len(index))}, index=index)
            rewards = pd.DataFrame({"now": rng.integers(0, 10_001, len(index)) / 100}, index=index)
            got_points, got_fen = PN.month_persons(pieces, until, points, rewards, plan.rules)
            expected = PN.person_points(points, PC.unit_shares(pieces.table, co_written), authors)
            pd.testing.assert_frame_equal(got_points, expected, check_exact=True)
            recipients = PN.reward_recipients(pieces.table, authors)
            pd.testing.assert_frame_equal(
                got_fen, PN.person_rewards(rewards, recipients, reward_split), check_exact=True
            )


def plain_new_adoption_carriers(rows: pd.DataFrame, pieces: PC.Pieces, month: str) -> pd.Series:
    """The rows listing an adoption first reported in `month`, by the names of every row's
    (piece, folded outlet)."""
    new = pieces.adoptions.loc[pieces.adoptions[PC.ADOPTED_IN] == month, [PC.PIECE, PC.OUTLET]]
    keys = pd.MultiIndex.from_arrays([rows[PC.PIECE], rows[L.OUTLET].map(outlet_key)])
    return pd.Series(PC.is_adoption(rows).to_numpy() & keys.isin(pd.MultiIndex.from_frame(new)), index=rows.index)


@pytest.mark.parametrize("seed", range(40))
def test_the_rows_carrying_a_new_adoption_joined_by_integers_are_those_the_names_find(seed):
    ledger = random_ledger(seed)
    rng = random.Random(seed)
    # one outlet written three ways, folded to one
    ledger[L.OUTLET] = [
        rng.choice(["甲", "＜甲＞", outlet]) if outlet == "《甲》" else outlet for outlet in ledger[L.OUTLET]
    ]
    pieces = PC.gather(ledger, make_plan(), "2025-04")
    for month in MONTHS:
        rows = pieces.rows[pieces.rows[L.MONTH] == month]
        expected = plain_new_adoption_carriers(rows, pieces, month)
        pd.testing.assert_series_equal(SC._find_new_adoptions(rows, pieces, month), expected, check_exact=True)


@pytest.mark.parametrize("seed", range(20))
def test_which_units_returned_a_form_each_month_is_the_crosstab_of_the_returns(seed):
    rng = random.Random(seed)
    units = pd.Index(rng.sample(CODES, rng.randint(1, len(CODES))), name=L.UNIT_CODE)
    months = sorted(rng.sample(MONTHS, rng.randint(0, len(MONTHS))))
    returns = pd.DataFrame(
        [(rng.choice([*CODES, "X99"]), rng.choice(MONTHS)) for _ in range(rng.randint(0, 12))],
        columns=[L.UNIT_CODE, L.MONTH],
    ).astype({L.MONTH: "string"})
    returned = returns[returns[L.MONTH].isin(months)]
    plain = (pd.crosstab(returned[L.UNIT_CODE], returned[L.MONTH]) > 0).reindex(
        index=units, columns=months, fill_value=False
    )
    found = SC._has_return(returns, units, months)
    assert found.to_numpy().tolist() == plain.to_numpy().tolist()
    assert found.index.equals(plain.index) and found.columns.tolist() == months
