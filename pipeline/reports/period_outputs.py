"""What a period writes after its months: the quarter's (or a month's) circular and the year's
results, from the ledger alone.

`flow` calls these after a month was processed (`start_quarterly_circular`, `write_year`) and from the
commands that re-render without processing (`run.py circular`, `run.py yearend`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline import ledger
from pipeline.core import labels as L
from pipeline.core.errors import YearIncomplete
from pipeline.core.months import chinese_date, month_key, months_of
from pipeline.documents import circular, circular_workbook, documents, pdf, year_circular
from pipeline.files import parallel, workspace
from pipeline.plan.plan import Plan
from pipeline.reports import issued as issued_records
from pipeline.reports import yearbook
from pipeline.scoring import assessment, kept_totals, periods, scoring
from pipeline.xlsx import big_table


@dataclass
class YearResult:
    """What the year end produced, for the summary `run.py` prints."""

    year: int
    bureau: str
    results: assessment.YearEnd
    outputs: Path
    files: list[Path]
    note: str = ""  # why the circular has no PDF, in Chinese ("" when it has one)


def unprocessed_months(store: ledger.Ledger, year: int) -> list[str]:
    """The months of `year` the ledger has no run of."""
    processed = set(store.processed_months(year=year))
    return [m for m in months_of(year) if m not in processed]


def refuse_year(year: int, months: list[str]) -> None:
    raise YearIncomplete(year=year, count=len(months), months="、".join(months))


def write_year(
    plan: Plan,
    store: ledger.Ledger,
    outputs: Path,
    *,
    number: int | None = None,
    issued: dt.date | None = None,
    scored: scoring.Scores | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> YearResult:
    """Assesses the plan's year from the ledger and writes `<outputs>/YYYY/` atomically.

    Args:
        plan: the year's plan.
        store: the ledger.
        outputs: the outputs folder.
        number: n of the year circular's 发文字号 (default: left blank for the office).
        issued: the year circular's date (default: `periods.year_known_by`).
        scored: December's scores, just made: their rows and pieces are reused instead of read
            and gathered again (ignored unless they are December's).
        meanwhile: the caller's work to do while LibreOffice makes the circular's PDF, after the
            workbook is written (it must not write into the year's folder, which is replaced).
    """
    year = plan.year
    if scored is not None and scored.month == month_key(year, 12):
        history, scores = scored.pieces.rows, scored
    else:
        history = store.year_rows(year, month_key(year, 12), without=scoring.UNREAD_COLUMNS)
        scores = None
    processed = store.processed_months(year=year)
    heads = year_heads(plan, store)
    results = assessment.assess_year(history, store.returns(year=year), processed, plan, heads, scored=scores)
    target = outputs / str(year)
    with workspace.fresh_folder(target, ours=_year_file) as folder:
        known = periods.year_known_by(year, store.returns(year=year), plan.rules.deadline_day)
        # the circular first: LibreOffice makes its PDF while the workbook is written
        pending = year_circular.start_year_circular(results, folder, issued or known, number)
        try:
            pdf.start_waiting()
            workbook = yearbook.write_yearbook(results, folder / yearbook.ASSESSMENT_FILE)
            if meanwhile is not None:
                meanwhile()
        except BaseException:
            pending.abandon()
            raise
        rendered = pending.finish()
        written = [workbook, *(p for p in (rendered.docx, rendered.html, rendered.pdf) if p is not None)]
    files = [target / p.name for p in written]
    return YearResult(year, plan.bureau_name(), results, target, files, rendered.note)


def year_heads(plan: Plan, store: ledger.Ledger) -> dict[str, str]:
    """Each unit's 单位负责人: its latest accepted form's, else the roster's."""
    processed = store.processed_months(year=plan.year)
    forms = assessment.latest_heads((month, record) for month in processed for record in store.files(month))
    return {**plan.roster_heads(), **forms}


def units_without_head(plan: Plan, store: ledger.Ledger) -> list[str]:
    """The assessed units with no 单位负责人 on record (roster or forms), by code: the year's
    results name the head of a unit that loses 评优资格, so the office is asked in time."""
    heads = year_heads(plan, store)
    return [code for code in sorted(plan.assessed) if code not in heads]


def _rendered(name: str, stem: str) -> bool:
    """Whether a file of a period's folder is one of the circular's renders (anything else there
    is the office's, and stays)."""
    return name.startswith(f"{stem}.") and name.rsplit(".", 1)[-1] in ("docx", "html", "pdf", "xlsx")


def _year_file(name: str) -> bool:
    return name == yearbook.ASSESSMENT_FILE or _rendered(name, year_circular.STEM)


def start_quarterly_circular(
    store: ledger.Ledger,
    plan: Plan,
    outputs: Path,
    month: str,
    say: Callable[..., None],
    *,
    scored: scoring.Scores | None = None,
) -> PendingCircular:
    """After a quarter's last month, the quarter's circular, started: its Word and web files
    written into a fresh folder while LibreOffice makes the PDF, so that the caller writes the
    next month's forms meanwhile and then calls `finish()` (or `abandon()` when it fails first).
    Nothing for other months; a quarter whose earlier months were never processed gets a note
    instead of a partial circular. `scored`: the month's scores, just made: their rows
    (`Ledger.year_rows`) and pieces are reused instead of read and counted again."""
    quarter = periods.quarter_ending(month)
    if quarter is None:
        return PendingCircular()
    missing = [m for m in quarter.months if m not in set(store.processed_months(year=quarter.year))]
    if missing:
        return PendingCircular(note=f"{quarter.name}的通报未生成：{'、'.join(missing)} 尚未处理。")
    say(f"生成{quarter.name}通报")
    target = Path(outputs) / quarter.folder
    context, note, decided, figures, sheets = _circular_context(
        store, plan, quarter, Path(outputs), number=None, issued=None, scored=scored
    )
    return _start_quarter(context, target, decided, figures, note, sheets)


def _start_quarter(
    context: dict,
    target: Path,
    decided: issued_records.Decision,
    figures: dict,
    note: str = "",
    sheets: list[big_table.Table] = (),
) -> PendingCircular:
    """A quarter's circular rendered into a fresh folder beside `target` (with the office's
    issued files carried over when `decided` keeps them), its PDF under way; `note` is said in
    the summary beside the note on the PDF; `sheets`, the workbook beside a large body's
    circular (`circular_workbook`)."""
    if not decided.render:
        return PendingCircular(note=_joined(note, decided.note))
    folder_kept = contextlib.ExitStack()
    stem = decided.stem.removesuffix(issued_records.CORRECTED)
    folder = folder_kept.enter_context(workspace.fresh_folder(target, ours=lambda name: _rendered(name, stem)))
    workbook = None
    try:
        for kept in decided.keep:
            shutil.copy2(kept, folder / kept.name)
        workbook = _start_workbook(folder / f"{decided.stem}.xlsx", sheets)
        pending = documents.start_render(circular.KIND, context, folder, decided.stem)
        issued_records.write_record(folder, decided.stem, figures, decided.changes)
    except BaseException:
        if workbook is not None:
            workbook.abandon()
        folder_kept.__exit__(*sys.exc_info())
        raise
    corrects = decided.stem.endswith(issued_records.CORRECTED)
    return PendingCircular(
        pending, folder_kept, target, extra_note=_joined(note, decided.note), corrects=corrects, workbook=workbook
    )


def _start_workbook(path: Path, sheets: list[big_table.Table]) -> parallel.Background | None:
    """The workbook beside a large body's circular: written in a second process when it is big
    (a province's quarter lists 140,000 adoptions, seconds of XML) while the run goes on with
    the year's results; else here and now. None when written (or when there is none)."""
    if not sheets:
        return None
    if parallel.can_fork() and sum(len(sheet.frame) for sheet in sheets) >= parallel.PARALLEL_FROM:
        return parallel.Background(big_table.save_tables, (path, sheets))
    big_table.save_tables(path, sheets)
    return None


def _joined(*notes: str) -> str:
    return "\n  ".join(n for n in notes if n)


@dataclass
class PendingCircular:
    """A quarter's circular whose PDF is being made, in a fresh folder swapped in by `finish`."""

    render: documents.PendingRender | None = None
    folder_kept: contextlib.ExitStack | None = None
    target: Path | None = None
    note: str = ""
    extra_note: str = ""
    # a correction of an issued circular: the next period's circular reads its record, so it is
    # swapped in before the run goes on
    corrects: bool = False
    # the workbook beside it, still being written (`_start_workbook`)
    workbook: parallel.Background | None = None

    @property
    def waits(self) -> bool:
        """Whether it can wait for the end of the run (its PDF made with the others)."""
        return self.render is not None and not self.corrects

    def finish(self) -> tuple[list[Path], str]:
        """Waits for the PDF, swaps the quarter's folder in; the files written (at their final
        place) and the note saying why there is no PDF or no circular."""
        rendered = self.rendered()
        return (
            ([], _joined(self.note, self.extra_note)) if rendered is None else (written_files(rendered), rendered.note)
        )

    def rendered(self) -> documents.Rendered | None:
        """`finish`, as the files rendered (at their final place); None when there is no circular."""
        if self.render is None:
            return None
        try:
            rendered = self.render.finish()
            if self.workbook is not None:
                workbook, self.workbook = self.workbook, None
                workbook.result()
        except BaseException:
            if self.workbook is not None:
                self.workbook.abandon()
            self.folder_kept.__exit__(*sys.exc_info())
            raise
        self.folder_kept.close()
        return _moved(rendered, self.target, self.extra_note)

    def abandon(self) -> None:
        """Stops the PDF and removes the fresh folder; the quarter's folder stays as it was."""
        if self.workbook is not None:
            self.workbook.abandon()
            self.workbook = None
        if self.render is not None:
            self.render.abandon()
            self.folder_kept.__exit__(RuntimeError, RuntimeError("abandoned"), None)


def write_circular(
    store: ledger.Ledger,
    plan: Plan,
    outputs: Path,
    period: periods.Period,
    *,
    number: int | None = None,
    issued: dt.date | None = None,
) -> documents.Rendered:
    """Writes a period's circular from the ledger alone: a quarter's into its own folder
    (<outputs>/2025-Q1/, swapped in whole), a month's into the month's folder beside its other
    files (<outputs>/2025-05/月度通报.*, each file replaced; a PDF left from an earlier render
    is removed when none could be made this time).

    Args:
        store: the ledger.
        plan: the period's year's plan.
        outputs: the outputs folder.
        period: the quarter or month.
        number: n of the 发文字号 (default: the quarter's or month's number).
        issued: the circular's date (default: `periods.known_by`).

    Returns:
        The files written, with their final paths, and the note saying why there is no PDF.

    Raises:
        PeriodNotProcessed: some month of the period was never processed.
    """
    context, note, decided, figures, sheets = _circular_context(
        store, plan, period, Path(outputs), number=number, issued=issued
    )
    target = Path(outputs) / period.folder
    if period.is_quarter:
        pending = _start_quarter(context, target, decided, figures, note, sheets)
        rendered = pending.rendered()
        if rendered is not None:
            return rendered
        return _existing(target, period.stem, pending.note)
    if not decided.render:
        return _existing(target, period.stem, _joined(note, decided.note))
    rendered = _render_beside(context, target, decided.stem, keep=decided.keep, sheets=sheets)
    issued_records.write_record(target, decided.stem, figures, decided.changes)
    return _moved(rendered, target, _joined(note, decided.note))


def _existing(target: Path, stem: str, note: str) -> documents.Rendered:
    """The office's circular, kept as it is."""
    made = target / f"{stem}.pdf"
    return documents.Rendered(target / f"{stem}.docx", target / f"{stem}.html", made if made.exists() else None, note)


def circular_figures(figures: periods.Figures) -> dict:
    """What a circular states that a correction compares: the bureau's totals and every unit's
    figures of the period."""
    totals = figures.totals
    stated = {"全局": {"sent": totals.sent, "adopted": totals.adopted, "adoptions": totals.adoptions}}
    for code, mine in figures.period_units.iterrows():
        stated[str(figures.units.loc[code, L.UNIT_NAME])] = {
            "sent": int(mine[periods.SENT]),
            "adopted": int(mine[periods.ADOPTED]),
            "adoptions": int(mine[periods.ADOPTIONS]),
            "points": round(float(mine[periods.POINTS]), 2),
        }
    return stated


def _circular_context(
    store: ledger.Ledger,
    plan: Plan,
    period: periods.Period,
    outputs: Path,
    *,
    number: int | None,
    issued: dt.date | None,
    scored: scoring.Scores | None = None,
) -> tuple[dict, str, issued_records.Decision, dict, list[big_table.Table]]:
    """The circular's context from the ledger (the period's figures through scoring's functions),
    what the summary must say about its dates, how to write it without replacing an issued one
    (`issued_records.plan_render`), the figures it states and the sheets of the workbook beside
    it (none unless the circular sums units by group). Dated `issued`, by default the day
    everything it states was known (`periods.known_by`); it notes a correction of the previous
    period's circular."""
    if scored is not None and scored.month == period.until:
        rows, scores = scored.pieces.rows, scored
    else:
        rows, scores = store.year_rows(period.year, period.until, without=scoring.UNREAD_COLUMNS), None
    returns = store.returns(year=period.year)
    figures = periods.figures(
        rows,
        returns,
        store.processed_months(),
        plan,
        period,
        scored=scores,
        keep=kept_totals.keeper(store, plan),
        earlier=lambda other: store.year_rows(other.year, other.until, without=scoring.UNREAD_COLUMNS),
    )
    known = periods.known_by(period, returns, plan.rules.deadline_day)
    day = issued or known
    notes = [circular.calendar_note(plan, day)]
    if day < known:
        notes.append(
            f"注意：成文日期{chinese_date(day)}早于通报所用报送表的最晚收到日期{chinese_date(known)}，"
            "请核对成文日期（不指定 --date 时默认为后者）。"
        )
    stated = circular_figures(figures)
    decided = issued_records.plan_render(outputs / period.folder, period.stem, period.name, stated)
    context = circular.context(figures, plan, number=number, issued=day, workbook=f"{decided.stem}.xlsx")
    previous = figures.period.previous()
    corrected = issued_records.previous_correction(outputs / previous.folder, previous.stem)
    if corrected:
        context["overview"].append(
            f"{previous.name}通报印发后，部分数字经核实已更正（{corrected}），以更正后的通报为准。"
        )
    return context, _joined(*notes), decided, stated, circular_workbook.tables(figures, plan)


def _render_beside(
    context: dict, target: Path, stem: str, *, keep: list[Path] = (), sheets: list[big_table.Table] = ()
) -> documents.Rendered:
    """Renders into a fresh sibling folder (with the workbook of `sheets`, if any), then moves
    each file into `target`, removing files of the same stem that this render did not produce
    (`keep`: the office's, left alone)."""
    target.mkdir(parents=True, exist_ok=True)
    fresh = Path(
        tempfile.mkdtemp(prefix=f".{target.name}-{stem}-new-", dir=target.parent)
    )  # a leftover workspace removes
    try:
        if sheets:
            big_table.save_tables(fresh / f"{stem}.xlsx", sheets)
        rendered = documents.render(circular.KIND, context, fresh, stem)
        made = {path.name for path in fresh.iterdir()}
        for old in target.glob(f"{stem}.*"):
            if old.name not in made and old.is_file() and old not in keep:
                old.unlink()
        for name in sorted(made):
            os.replace(fresh / name, target / name)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
    return rendered


def _moved(rendered: documents.Rendered, target: Path, note: str = "") -> documents.Rendered:
    """The same files, at their place in `target`, with `note` added to the render's note, and
    the workbook written beside them, if any."""
    workbook = target / f"{rendered.docx.stem}.xlsx"
    return documents.Rendered(
        docx=target / rendered.docx.name,
        html=target / rendered.html.name,
        pdf=target / rendered.pdf.name if rendered.pdf else None,
        note="\n  ".join(n for n in (rendered.note, note) if n),
        workbook=workbook if workbook.is_file() else None,
    )


def written_files(rendered: documents.Rendered) -> list[Path]:
    return [path for path in (rendered.docx, rendered.html, rendered.pdf, rendered.workbook) if path is not None]
