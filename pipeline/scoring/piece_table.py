"""The piece table: which piece each row belongs to (co-written pieces joined across units), and
one row per piece with when it was first sent and reported, its first unit, reporting units and
units. Points 1 to 3 of the counting definitions in `pipeline.scoring.scoring`'s docstring."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from pipeline.core import distinct
from pipeline.core import labels as L
from pipeline.scoring.piece_columns import (
    FIRST_UNIT,
    LATE,
    PIECE,
    REPORTERS,
    SENT,
    SENT_IN,
    UNITS,
    list_items,
    month_of,
)


def identify_pieces(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows with the PIECE each belongs to.

    Rows of one unit with one 稿件键 are one piece; rows of several units with the same 稿件键 are
    one piece when the units are linked by naming each other in 合作单位. A piece is named after
    its lowest unit code, so the name does not depend on the order of the rows.

    Args:
        rows: accepted rows (labels.py's rows frame).

    Returns:
        A copy of `rows` with a PIECE column.
    """
    if rows.empty:
        return rows.assign(**{PIECE: []})
    names, node_of_row = _node_pieces(rows)
    return rows.assign(**{PIECE: names[node_of_row]})


def identified(rows: pd.DataFrame) -> tuple[pd.DataFrame, tuple[np.ndarray, np.ndarray, tuple] | None]:
    """`identify_pieces`, and each row's piece as `distinct.sorted_codes` numbers the rows'
    PIECE column, worked out from the (unit, key) nodes rather than from the rows (a province's
    year: a million rows, half a million nodes)."""
    if rows.empty:
        return rows.assign(**{PIECE: []}), None
    units = pd.factorize(rows[L.UNIT_CODE], sort=True)  # numbered once for both steps
    names, node_of_row = _node_pieces(rows, units)
    node_codes, pieces = distinct.sorted_codes(names, len(names))
    return rows.assign(**{PIECE: names[node_of_row]}), (node_codes[node_of_row], pieces, units)


def _node_pieces(
    rows: pd.DataFrame, numbered: tuple[np.ndarray, pd.Index] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Each (unit, key) node's PIECE, and each row's node (`identify_pieces`; `rows` not empty).
    `numbered`: the rows' unit codes numbered, when known (a unit code is never missing there)."""
    # Each (unit, key) a node, numbered once: a province's year is a million rows, most of them
    # pieces carried from month to month, and only rows naming 合作单位 link nodes.
    if numbered is None or (numbered[0] < 0).any():
        numbered = pd.factorize(rows[L.UNIT_CODE].to_numpy(dtype=object), use_na_sentinel=False)
    unit_codes, units = numbered[0], np.asarray(numbered[1], dtype=object)
    # the keys are numbered through a dict: they are held with the rows until the end of the run
    key_codes, keys = distinct.codes(rows[L.PIECE_KEY].to_numpy(dtype=object), len(rows))
    width = max(len(units), 1)
    node_of_row, pairs = pd.factorize(key_codes.astype(np.int64) * width + unit_codes)
    node_units, node_keys = units[pairs % width], keys[pairs // width]
    co_units = rows[L.CO_UNITS].to_numpy(dtype=object)
    linking = [i for i in np.flatnonzero(co_units != "") if isinstance(co_units[i], str)]
    linked_keys = {key_codes[i] for i in linking}
    node_ids = {(node_units[n], node_keys[n]): n for n in np.flatnonzero(np.isin(pairs // width, list(linked_keys)))}
    parent: dict[tuple[str, str], tuple[str, str]] = {node: node for node in node_ids}

    def root(node: tuple[str, str]) -> tuple[str, str]:
        while parent[node] != node:
            node = parent[node]
        return node

    for i in linking:
        unit, key = units[unit_codes[i]], keys[key_codes[i]]
        for other in list_items(co_units[i]):
            if (other, key) in parent:
                low, high = sorted((root((unit, key)), root((other, key))))
                parent[high] = low  # the lowest node stays the root: a stable name
    # One name object per (unit, key), however many months list it.
    names = np.array([f"{unit}|{key}" for unit, key in zip(node_units, node_keys, strict=True)], dtype=object)
    for node, n in node_ids.items():
        top = root(node)
        if top != node:
            names[n] = f"{top[0]}|{node[1]}"
    return names, node_of_row


def piece_table(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per piece: when it was first sent and first reported, its first unit, reporting
    units and units.

    Args:
        rows: rows with PIECE (see `identify_pieces`).

    Returns:
        A frame indexed by PIECE with SENT (earliest 报送日期), SENT_IN (the 月份 of the first form
        listing the piece, where its 报送 counts), LATE (补报: SENT falls in an earlier month than
        SENT_IN), FIRST_UNIT, REPORTERS (tuple, first unit first, then by earliest 报送日期 and
        code) and UNITS (tuple of codes, sorted).
    """
    return piece_table_and_nodes(rows)[0]


def piece_table_and_nodes(rows: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """`piece_table`, and each row's rank of its (piece, unit) pair, as `Pieces.nodes` gives
    it (grouping by the pairs makes them: the pieces need not work them out again)."""
    table, nodes, _ = table_nodes_places(rows)
    return table, nodes


def table_nodes_places(
    rows: pd.DataFrame, coded: tuple[np.ndarray, np.ndarray, tuple] | None = None
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """`piece_table_and_nodes`, and each row's piece's position in the table. `coded`: the rows'
    PIECE numbered as `distinct.sorted_codes` numbers it, and their 单位代码 as
    `pd.factorize(sort=True)` does, when known (`identified`)."""
    # Grouped by integer ranks, not by names: a province's year is a million rows.
    months, month_names = pd.factorize(rows[L.MONTH], sort=True)
    month_starts = pd.to_datetime(pd.Series(month_names) + "-01")
    sent = rows[L.SENT_DATE].fillna(pd.Series(month_starts.to_numpy()[months], index=rows.index))
    # the pieces' names numbered through a dict, as the keys are (`identify_pieces`)
    if coded is None:
        coded = (
            *distinct.sorted_codes(rows[PIECE].to_numpy(dtype=object), len(rows)),
            pd.factorize(rows[L.UNIT_CODE], sort=True),
        )
    piece_codes, names, (unit_codes, unit_names) = coded
    index = pd.Index(names, dtype=rows[PIECE].dtype)
    pairs = piece_codes.astype(np.int64) * max(len(unit_names), 1) + unit_codes
    nodes, node_pairs = pd.factorize(pairs, sort=True)
    node_sent = pd.Series(sent.to_numpy()).groupby(nodes).min()  # by node rank: (piece, unit) order
    node_piece, node_unit = node_pairs // max(len(unit_names), 1), node_pairs % max(len(unit_names), 1)
    # each piece's units by earliest 报送日期, then code (node_unit ranks follow the codes' order)
    order = np.lexsort((node_unit, node_sent.to_numpy().astype("int64"), node_piece))
    pieces, codes = node_piece[order], unit_names.to_numpy()[node_unit[order]]
    starts = np.flatnonzero(np.r_[True, pieces[1:] != pieces[:-1]]) if len(pieces) else np.array([], dtype=int)
    bounds = np.r_[starts, len(pieces)]
    # one tuple object per distinct list of codes: half a million pieces, most of one unit each
    shared: dict[tuple[str, ...], tuple[str, ...]] = {}
    listed_codes = codes.tolist()  # sliced as a list: half a million numpy slices cost more
    reporters = [
        shared.setdefault(listed, listed)
        for listed in (tuple(listed_codes[a:b]) for a, b in itertools.pairwise(bounds.tolist()))
    ]
    co_units: dict[str, set[str]] = {}
    named = rows[rows[L.CO_UNITS] != ""]
    for piece, listed in zip(named[PIECE], named[L.CO_UNITS], strict=True):
        co_units.setdefault(piece, set()).update(list_items(listed))
    index = index.rename(PIECE)
    first_sent = pd.Series(node_sent.to_numpy()[order][starts], index=index, name=SENT)
    lowest = pd.Series(months).groupby(piece_codes).min().to_numpy()  # months ranks: sorted
    reported = pd.Series(month_names.to_numpy()[lowest], index=index, name=L.MONTH, dtype=rows[L.MONTH].dtype)
    units = [
        shared.setdefault(listed, listed)
        for listed in (
            tuple(sorted(set(reporting) | co_units[p]))
            if p in co_units
            else reporting
            if len(reporting) == 1
            else tuple(sorted(reporting))
            for p, reporting in zip(index.to_numpy(dtype=object), reporters, strict=True)
        )
    ]
    table = pd.DataFrame(
        {
            SENT: first_sent,
            SENT_IN: reported,
            LATE: month_of(first_sent) < reported,
            FIRST_UNIT: pd.Series([r[0] for r in reporters], index=index, dtype=object),
            REPORTERS: pd.Series(reporters, index=index, dtype=object),
            UNITS: pd.Series(units, index=index, dtype=object),
        },
        index=index,
    )
    return table, nodes, piece_codes
