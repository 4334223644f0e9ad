"""The fast line counting of `printing` (`text_lines`, `lines_in_excel`, `lines_in_libreoffice`,
`_paragraph_lines`) gives exactly what the plain greedy wrapping it replaced gave, kept here as
the reference (`reference_text_lines` and the functions it calls), on random and real texts.

`python -m tests.test_printing_speed_equivalence` times both on title-like texts."""

from __future__ import annotations

import functools
import math
import random
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from pipeline.xlsx import printing, styles
from pipeline.xlsx.printing import _CLOSING, _OPENING, _wide, excel_em, excel_room, libre_em, libre_room

INPUTS = Path(__file__).resolve().parents[2] / "inputs"
SIZES = (11.0, 14.0, 9.0)


@functools.lru_cache(maxsize=1 << 12)  # as it was: LibreOffice's and Excel's lines cut the same
def reference_units(text: str, slash: bool) -> list[str]:
    """The text cut where a line may break, as `printing._units` did before it was sped up."""
    units: list[str] = []
    current = ""
    for ch in text:
        if current and ch not in _CLOSING and current[-1] not in _OPENING:
            last = current[-1]
            if _wide(ch) or _wide(last) or last in " -" or (slash and last == "/"):
                units.append(current)
                current = ""
        current += ch
    return [*units, current] if current else units


def reference_paragraph_lines(paragraph: str, room: float, measure: Callable[[str], float], *, slash: bool) -> int:
    """`printing._paragraph_lines` before it was sped up: every character measured by a call."""
    if sum(map(measure, paragraph)) <= room:
        return 1
    lines, used = 1, 0.0
    for unit in reference_units(paragraph, slash):
        width = sum(map(measure, unit.rstrip(" ")))
        if used + width <= room:
            used += width + (measure(" ") if unit.endswith(" ") else 0)
            continue
        if used > 0:
            lines, used = lines + 1, 0.0
        for ch in unit:
            if used + measure(ch) > room and used > 0:
                lines, used = lines + 1, 0.0
            used += measure(ch)
    return lines


def reference_lines_in_libreoffice(text: str, width: float, size: float = printing.BODY_SIZE) -> int:
    return reference_paragraph_lines(text, libre_room(width, size), libre_em, slash=True)


def reference_lines_in_excel(text: str, width: float, size: float = printing.BODY_SIZE) -> int:
    room = excel_room(width, size)
    lines = reference_paragraph_lines(text, room, excel_em, slash=True)
    return max(lines, reference_paragraph_lines(text, room, excel_em, slash=False)) if "/" in text else lines


def reference_text_lines(text: object, width: float, size: float = printing.BODY_SIZE) -> float:
    """`printing.text_lines` before it was sped up."""
    if text is None or text == "":
        return 1
    shown = str(text)
    if len(shown) <= min(excel_room(width, size), libre_room(width, size)) and "\n" not in shown:
        return printing.ONE_LINE if shown.isascii() else 1
    excel = sum(reference_lines_in_excel(part, width, size) for part in shown.split("\n"))
    libre = sum(
        lines * (printing.LATIN_LINE_FACTOR / printing.LINE_FACTOR if part.isascii() else 1)
        for part in shown.split("\n")
        for lines in [reference_lines_in_libreoffice(part, width, size)]
    )
    return round(max(libre, excel * printing.EXCEL_LINE_FACTOR / printing.LINE_FACTOR), 2)


CJK = "我局召开全县耕地保护和自然资源执法监管工作推进会暨百日攻坚专项行动部署议㐀䶵鿿一"
PIECES = [
    *CJK,
    *"“”（），。、《》：；！？…·",
    *"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    *"0123456789",
    " ",
    "  ",
    "/",
    "-",
    "\n",
    "%",
    "(",
    ")",
    ".",
    ",",
    "ｗ",  # wide, not an ideograph
    "𠀀",  # wide, outside the basic plane
    "é",  # narrow, not ASCII
    "http://gtj.linzhou.gov.cn/art/2025/3/11/art_1426_402772.html",
    "www.sfxrmt.cn/news/2025/11/26/",
    "Supercalifragilisticexpialidocious",
    "2025年",
    "第3期",
]


def _random_text(rng: random.Random) -> str:
    """Mostly CJK, like the titles, with everything else mixed in."""
    weights = [8 if piece in CJK else 1 for piece in PIECES]
    return "".join(rng.choices(PIECES, weights, k=rng.randint(1, 60)))


def _demo_texts() -> list[str]:
    texts = set()
    for path in sorted(INPUTS.glob("*/*.xlsx")):
        if path.name.startswith("~$"):
            continue
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            for row in book.get_sheet_by_name(name).to_python():
                texts.update(v for v in row if isinstance(v, str) and v)
    return sorted(texts)


def test_random_texts_have_exactly_the_lines_the_plain_greedy_wrapping_gives() -> None:
    rng = random.Random(20250311)
    for _ in range(4000):
        text = _random_text(rng)
        for size in SIZES:
            width = round(rng.uniform(3, 60), 1)
            assert printing.text_lines(text, width, size) == reference_text_lines(text, width, size), (text, width)
        for paragraph in text.split("\n"):
            width = round(rng.uniform(3, 60), 1)
            assert printing.lines_in_excel(paragraph, width) == reference_lines_in_excel(paragraph, width)
            assert printing.lines_in_libreoffice(paragraph, width) == reference_lines_in_libreoffice(paragraph, width)


@pytest.mark.parametrize("measure", [excel_em, libre_em])
def test_rooms_on_the_edge_of_a_characters_width_give_the_same_lines(measure: Callable[[str], float]) -> None:
    """Whole and half ems (where a run of ideographs just fits) and rooms under one em."""
    rng = random.Random(7)
    rooms = [0.5, 0.64, 0.99, 1.0, 1.5, 2.0, 2.32, 3.0, 7.5, 8.0, 12.0, 12.5, 16.0, 20.0, 31.5, 32.0]
    for _ in range(1500):
        paragraph = _random_text(rng).replace("\n", "")
        for room in rooms:
            for slash in (True, False):
                expected = reference_paragraph_lines(paragraph, room, measure, slash=slash)
                assert printing._paragraph_lines(paragraph, room, measure, slash=slash) == expected, (paragraph, room)


def test_the_demo_countys_texts_have_exactly_the_lines_the_plain_greedy_wrapping_gives() -> None:
    texts = _demo_texts()
    assert len(texts) > 1000
    widths = [w / 2 for w in range(6, 100, 3)]
    for text in texts:
        for width in widths:
            assert printing.text_lines(text, width) == reference_text_lines(text, width), (text, width)
        assert printing.text_lines(text, 26.3, 14.0) == reference_text_lines(text, 26.3, 14.0)


def test_the_ideographs_counted_as_runs_are_one_em_wide_and_no_punctuation() -> None:
    """The premise of `printing._RUN`, in this Python's Unicode tables."""
    ideographs = [chr(c) for c in [*range(0x3400, 0x4DC0), *range(0x4E00, 0xA000)]]
    assert all(unicodedata.east_asian_width(ch) in "WF" for ch in ideographs)
    assert all(excel_em(ch) == libre_em(ch) == 1.0 for ch in ideographs)
    assert not set(ideographs) & (_OPENING | _CLOSING)
    assert printing._RUN.fullmatch("".join(ideographs))


def reference_ideograph_lines(count: int, room: float, lines: int, used: float) -> tuple[int, float]:
    """`count` units one em wide added one by one, as `reference_paragraph_lines` adds them."""
    for _ in range(count):
        if used + 1.0 <= room:
            used += 1.0
            continue
        if used > 0:
            lines, used = lines + 1, 0.0
        used += 1.0
    return lines, used


def test_a_run_of_ideographs_after_an_inexact_width_is_added_one_by_one() -> None:
    """Rooms just at, under and over the sums an em at a time, from widths that are no multiple of
    half an em (where adding an em may round); the width used after the run is the same too."""
    rng = random.Random(11)
    for _ in range(3000):
        used = rng.choice([0.0, 0.5, 3.0, rng.uniform(0, 40), sum(rng.choices([0.64, 0.32, 0.28, 0.97], k=9))])
        count = rng.randint(1, 40)
        sums = [used]
        for _ in range(count):
            sums.append(sums[-1] + 1.0)
        edge = rng.choice(sums)
        for room in (edge, math.nextafter(edge, 0), math.nextafter(edge, 99), rng.uniform(0.5, 45)):
            expected = reference_ideograph_lines(count, room, 1, used)
            assert printing._ideograph_lines(count, room, 1, used) == expected, (count, room, used)


def _title_like(count: int) -> list[str]:
    rng = random.Random(5)
    texts = _demo_texts()
    return [f"{rng.choice(texts)}（第{n}篇）" if n % 3 else f"{rng.choice(texts)}{n}" for n in range(count)]


def _time(count: int, widths: list[float], text_lines: Callable[[str, float], float], titles: list[str]) -> float:
    printing._text_lines.cache_clear()
    printing._layout.cache_clear()
    printing._units.cache_clear()
    reference_units.cache_clear()
    start = time.process_time()  # the processor's time: the machine may be busy with other work
    for width in widths:
        for title in titles[:count]:
            text_lines(title, width)
    return time.process_time() - start


if __name__ == "__main__":
    titles = _title_like(50_000)
    for width in (12.0, 20.0, 26.5, 40.0):  # each text once, as a table's cells
        old = min(_time(50_000, [width], reference_text_lines, titles) for _ in range(3))
        new = min(_time(50_000, [width], printing.text_lines, titles) for _ in range(3))
        print(f"50000 texts at width {width}: plain {old:.2f} s, fast {new:.2f} s, {old / new:.2f} times as fast")
    widths = [12 + k / 2 for k in range(30)]  # a table's sampled texts as its widths are balanced
    old = min(_time(800, widths, reference_text_lines, titles) for _ in range(3))
    new = min(_time(800, widths, printing.text_lines, titles) for _ in range(3))
    print(f"800 texts at 30 widths: plain {old:.2f} s, fast {new:.2f} s, {old / new:.2f} times as fast")


def test_the_widest_of_a_columns_texts_is_the_largest_print_width_of_any() -> None:
    rng = random.Random(3)
    for _ in range(300):
        texts = [_random_text(rng) for _ in range(rng.randint(0, 40))]
        assert styles._widest(texts) == max(map(printing.print_width, texts), default=0)


def test_a_numbers_shown_width_does_not_depend_on_its_digits() -> None:
    for shown in ("1", "12.5%", "2025-12-31", "1,234.50", "-0.25"):
        alike = shown.translate(str.maketrans("0123456789", "9876543210"))
        assert printing.shown_width(shown) == printing.shown_width(alike) == printing._shown_width.__wrapped__(alike)
