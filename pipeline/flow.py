"""Wires the stages for one month: plan → intake → checks → ledger → scoring → reports → forms.

With `month_outputs` (the month's own folder), the only module besides the stages' own edges
that touches files: it decides where outputs go and makes the month's replacement atomic
(outputs are written into a fresh folder that replaces the old one only once everything
succeeded; the ledger replaces the month in one transaction).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline import ledger
from pipeline.checks import checks, cross_month, near_duplicates
from pipeline.core import labels as L
from pipeline.core import problems as P
from pipeline.core import records
from pipeline.core.errors import InputsMissing, PipelineError, PlanMissing
from pipeline.core.months import month_key, month_number, months_of, next_month, parse_month, previous_month
from pipeline.dashboard import page as dashboard
from pipeline.documents import documents, pdf
from pipeline.files import backup, faults, memory, parallel, workspace
from pipeline.forms import issue
from pipeline.intake import folder_hashes, intake
from pipeline.plan import fingerprint
from pipeline.plan.plan import Plan, load_plan
from pipeline.reports import month_outputs, period_outputs
from pipeline.reports.month_outputs import Progress
from pipeline.scoring import periods, scheme_month, scoring


class MonthFolderMissing(PipelineError):
    """找不到 {month} 的报送表目录 {path}。请新建该文件夹并放入各单位报送表；如本月确无报送，也请建一个空文件夹。"""

    exit_code = 5


class UnitRecoded(PipelineError):
    """单位名册中“{name}”的单位代码是 {code}，但台账中本年已有该单位以 {former} 报送的记录，{former} 已不在名册中。如是同一单位改了代码，请在单位名册中加一列“原单位代码”，在 {code} 这一行填 {former}（以前月份的记录随之归入 {code}）；如是两个不同的单位，请改用不同的单位名称。本次没有处理任何月份。"""

    exit_code = 4


@dataclass
class MonthResult:
    """What processing a month produced, for the summary `run.py` prints."""

    month: str
    bureau: str
    files: list[records.FileRecord]
    rows_read: int
    rows_accepted: int
    rows_rejected: int
    problems: list[P.Problem]
    returned: list[str]
    missing: list[tuple[str, str]]
    outputs: Path
    receipts: int
    forms: list[Path]
    forms_month: str
    caught_up: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    circular: list[Path] = field(default_factory=list)
    circular_note: str = ""
    # The circulars of the months caught up or refreshed in the same run: (month, files, note).
    other_circulars: list[tuple[str, list[Path], str]] = field(default_factory=list)
    year: period_outputs.YearResult | None = None  # the year's results, when all its months are processed
    year_pending: list[str] = field(default_factory=list)  # December: months still unprocessed
    # Assessed units with no 单位负责人 on record (roster or forms): the year's results name it.
    no_head: list[str] = field(default_factory=list)
    dashboard: Path | None = None  # the year's 看板.html, refreshed after every run of a month

    # Later months already in the ledger, processed again after this one (their figures count
    # on it); and those that could not be (their folder or their year's plan is gone).
    refreshed: list[str] = field(default_factory=list)
    not_refreshed: list[str] = field(default_factory=list)
    # The year of the forms written, when that year's plan does not exist yet (the forms then
    # follow this year's plan).
    plan_missing: int | None = None
    # What changed in the plan since earlier months were processed, and those months (processed
    # again under the new plan before this one).
    plan_changes: list[str] = field(default_factory=list)
    replanned: list[str] = field(default_factory=list)
    # The next month's forms being written in a process of their own (`issue.start_forms`).
    forms_job: parallel.Background | None = field(default=None, repr=False)
    # The quarter's circular, written but not swapped in: it waits for the run's one LibreOffice.
    circular_pending: period_outputs.PendingCircular | None = field(default=None, repr=False)
    # The month's scores, with the rows and pieces they were counted from, for its quarter's
    # circular, the year's page and results (released once written): a province's year is read
    # and counted once a run.
    scores: scoring.Scores | None = field(default=None, repr=False)


def _forget(result: MonthResult) -> None:
    result.scores = None


def run_month(inputs: Path, outputs: Path, month: str, *, progress: Progress | None = None) -> MonthResult:
    """Processes a month end to end, first catching up earlier months of the year whose folders
    were never processed or changed since, then bringing every later month already in the
    ledger up to date (each re-reads its own folder).

    Args:
        inputs: folder holding plan-YYYY.xlsx and the YYYY-MM folders of returned forms.
        outputs: folder for every generated file (created if needed).
        month: "YYYY-MM".
        progress: called with a short Chinese line before each stage, for a terminal, and with
            `done=`, `total=` counts during the stages that write a file per unit.

    Returns:
        The month's result; `caught_up` lists the earlier months processed first, `refreshed`
        the later months processed after.

    Raises:
        PipelineError: only for what stops the whole run (no plan, invalid plan, missing folder,
            another run on the same outputs).
    """
    year, _ = parse_month(month)
    inputs, outputs = Path(inputs), Path(outputs)
    if not inputs.is_dir():
        raise InputsMissing(path=inputs)
    say = progress or (lambda _line, **_counts: None)
    say(f"读取 {year} 年考核计划表")
    plan = load_plan(inputs, year)  # the plan first: with neither plan nor folder, name the plan
    folder = intake.month_folder(inputs, month)
    if not folder.is_dir():
        raise MonthFolderMissing(month=month, path=folder)
    # Every PDF of the run (the quarters' circulars, the year's) from one LibreOffice: the circulars
    # wait, unswapped, for the end of the run (`_finish_circulars`).
    with faults.said(inputs, outputs), workspace.outputs_session(outputs), pdf.one_libreoffice():
        plans = {year: plan}
        with ledger.Ledger(outputs / ledger.STORE_FILE) as store:
            store.start_generation()  # copied while the forms are read, kept before the first change
            _refuse_silent_recoding(store, plan)
            caught_up: list[str] = []
            done: list[MonthResult] = []  # the months processed, in order
            plan_changes, replanned = _plan_changes(store, plan, month)
            try:
                # One at a time, oldest first: catching a month up makes every later one due again.
                while stale := [m for m in stale_months(inputs, store, month, plan) if m not in caught_up]:
                    earlier = stale[0]
                    say(f"补处理 {earlier}（此前未处理、报送表或计划表有变动，或上次未处理完）")
                    done.append(
                        _process_month(
                            _plan_of(plans, inputs, earlier), inputs, outputs, earlier, store, ledger.CATCH_UP, say
                        )
                    )
                    _forget(done[-1])  # not the latest month: the next month's rows replace it
                    caught_up.append(earlier)
                result = _process_month(plans[year], inputs, outputs, month, store, ledger.REQUESTED, say)
                done.append(result)
                result.refreshed, result.not_refreshed = _refresh_later(plans, inputs, outputs, month, store, say, done)
                pending = period_outputs.unprocessed_months(store, year)
                page: list[str | None] = []  # 看板, made while LibreOffice makes the year circular's PDF
                if not pending:
                    say(f"生成 {year} 年终考核表")
                    december = result.scores if not result.refreshed else None
                    result.year = period_outputs.write_year(
                        plans[year],
                        store,
                        outputs,
                        scored=december,
                        meanwhile=lambda: page.append(dashboard.page_text(store, plans[year], scored=december)),
                    )
                elif month_number(month) == 12:
                    result.year_pending = pending
                _finish_circulars(done, store, result.timings, say)
            except BaseException:
                for each in done:
                    if each.circular_pending is not None:
                        each.circular_pending.abandon()
                raise
            result.other_circulars = [
                (d.month, d.circular, d.circular_note)
                for d in done
                if d is not result and (d.circular or d.circular_note)
            ]
            if page:  # nothing the page shows changed since: the circulars' PDFs only were finished
                result.dashboard = dashboard.save_page(outputs, plans[year], page[0])
            else:
                latest = result.scores if not result.refreshed else None
                result.dashboard = dashboard.write_page(store, plans[year], outputs, scored=latest)
            _forget(result)
            result.no_head = [
                f"{code} {plans[year].unit_name(code)}"
                for code in period_outputs.units_without_head(plans[year], store)
            ]
    result.caught_up = caught_up
    result.plan_changes, result.replanned = plan_changes, replanned
    result.plan_missing = issue.missing_plan_year(inputs, result.forms_month)
    return result


def run_year(
    inputs: Path,
    outputs: Path,
    year: int,
    *,
    progress: Progress | None = None,
    number: int | None = None,
    issued: dt.date | None = None,
) -> period_outputs.YearResult:
    """Re-renders the year's results (`<outputs>/YYYY/`) from the ledger alone.

    Args:
        inputs: folder holding plan-YYYY.xlsx.
        outputs: the folder holding the ledger; the year's folder is replaced atomically.
        year: the year.
        progress: called with a short Chinese line before each stage.
        number: n of the year circular's 发文字号 (default: left blank for the office to write in).
        issued: the year circular's date (default: when the year's forms were all in).

    Raises:
        YearIncomplete: a month of the year was never processed (the message names them).
        PipelineError: no plan, invalid plan, outputs not writable.
    """
    inputs, outputs = Path(inputs), Path(outputs)
    say = progress or (lambda _line, **_counts: None)
    store_path = outputs / ledger.STORE_FILE
    if not store_path.is_file():
        period_outputs.refuse_year(year, months_of(year))
    with faults.said(inputs, outputs), workspace.outputs_session(outputs), ledger.Ledger(store_path) as store:
        pending = period_outputs.unprocessed_months(store, year)
        if pending:
            period_outputs.refuse_year(year, pending)
        say(f"读取 {year} 年考核计划表")
        plan = load_plan(inputs, year)
        say(f"生成 {year} 年终考核表和年度通报")
        # December scored once, for the year's results and the page (a province's year is read
        # and gathered once, not once for each).
        # (the rows read are let go once sorted into the pieces: see `pieces.ordered_rows`)
        read = [store.year_rows(year, month_key(year, 12), without=scoring.UNREAD_COLUMNS)]
        pieces = scheme_month.gather(read, plan, f"{year}-12")
        december = scoring.score_month(
            pieces.rows, store.returns(year=year), store.processed_months(year=year), plan, f"{year}-12", pieces=pieces
        )
        del pieces  # December's scores hold them
        page: list[str | None] = []
        written = period_outputs.write_year(
            plan,
            store,
            outputs,
            number=number,
            issued=issued,
            scored=december,
            meanwhile=lambda: page.append(dashboard.page_text(store, plan, scored=december)),
        )
        # the year's folder was replaced: its page with it
        dashboard.save_page(outputs, plan, page[0])
        return written


def _refuse_silent_recoding(store: ledger.Ledger, plan: Plan) -> None:
    """A unit of this year's ledger gone from the roster while a unit of the same name is on it
    under another code, with no 原单位代码 saying so: its history would stay under the old code
    (the year's totals split in two, without a word). Asks instead of guessing."""
    formers = set(plan.units.get(L.P_FORMER_CODE, pd.Series(dtype=str)))
    by_name = {str(name): str(code) for code, name in plan.units[L.P_UNIT_NAME].items()}
    for former, name in store.units_seen(year=plan.year).items():
        code = by_name.get(name)
        if former not in plan.units.index and former not in formers and code is not None:
            raise UnitRecoded(name=name, code=code, former=former)


def _plan_changes(store: ledger.Ledger, plan: Plan, month: str) -> tuple[list[str], list[str]]:
    """What changed in the plan since the year's earlier months were processed (as phrases), and
    those months."""
    current = fingerprint.plan_hash(fingerprint.plan_lines(plan))
    year, _ = parse_month(month)
    used = {m: store.plan_of(m) for m in store.processed_months(year=year) if m < month}
    replanned = [m for m, used_hash in used.items() if used_hash not in (None, current)]
    if not replanned:
        return [], []
    return fingerprint.changes(store.plan_lines(used[replanned[0]]), fingerprint.plan_lines(plan)), replanned


def stale_months(inputs: Path, store: ledger.Ledger, month: str, plan: Plan | None = None) -> list[str]:
    """Earlier months of the year whose folder exists but was never processed, or whose files
    changed since (by sha256), or (given the year's `plan`) that were processed under another
    plan; and any earlier month whose outputs a killed run left unwritten."""
    current = fingerprint.plan_hash(fingerprint.plan_lines(plan)) if plan is not None else None
    year, mon = parse_month(month)
    processed = set(store.processed_months(year=year))
    pending = {m for m in store.pending_months() if m < month}
    stale = set()
    for m in range(1, mon):
        earlier = month_key(year, m)
        folder = intake.month_folder(inputs, earlier)
        if not folder.is_dir():
            continue
        if (
            earlier not in processed
            or store.file_hashes(earlier) != _folder_hashes(store, earlier, folder)
            or (current is not None and store.plan_of(earlier) not in (None, current))
        ):
            stale.add(earlier)
    return sorted(stale | {m for m in pending if intake.month_folder(inputs, m).is_dir()})


# The ledger's derived kind for what a month's files were when hashed (`folder_hashes.Seen`).
_FILES_SEEN = "输入文件指纹"


def _folder_hashes(store: ledger.Ledger, month: str, folder: Path) -> dict[str, str]:
    """`folder_hashes.folder_hashes` of a processed month's folder, what its files were when
    hashed kept in the ledger with the month (a re-run of the month drops it)."""
    key = os.path.realpath(folder)
    seen = store.derived(month, _FILES_SEEN, key)
    hashes, now = folder_hashes.folder_hashes(folder, seen)
    if now != seen:
        store.keep_derived(month, _FILES_SEEN, key, now)
    return hashes


def _finish_circulars(done: list[MonthResult], store: ledger.Ledger, timings: dict[str, float], say: Progress) -> None:
    """Swaps in the quarters' circulars the run wrote, in order, the first making every PDF still
    to make with one LibreOffice; each month's outputs are then all written."""
    waiting = [d for d in done if d.circular_pending is not None]
    if waiting:
        say("生成通报 PDF（LibreOffice）")
    with month_outputs.timed(timings, "pdf"):
        for each in waiting:
            each.circular, each.circular_note = each.circular_pending.finish()
            each.circular_pending = None
            store.outputs_written(each.month)


def _refresh_later(
    plans: dict[int, Plan],
    inputs: Path,
    outputs: Path,
    month: str,
    store: ledger.Ledger,
    say: Progress,
    done: list[MonthResult],
) -> tuple[list[str], list[str]]:
    """Processes again, in order, every month after `month` already in the ledger: their
    cumulative figures, deductions, earlier-claims checks and carried-over pieces count on it.
    Their results are added to `done`.

    Returns:
        The months refreshed, and those left as they were (folder or plan gone; still pending).
    """
    refreshed, skipped = [], []
    for later in store.later_months(month):
        try:
            plan = _plan_of(plans, inputs, later)
        except PlanMissing:
            plan = None
        if plan is None or not intake.month_folder(inputs, later).is_dir():
            skipped.append(later)
            continue
        say(f"更新 {later}（其累计数据依赖前面的月份）")
        done.append(_process_month(plan, inputs, outputs, later, store, ledger.REFRESH, say))
        _forget(done[-1])  # the page reads the ledger after a refresh
        refreshed.append(later)
    return refreshed, skipped


def _plan_of(plans: dict[int, Plan], inputs: Path, month: str) -> Plan:
    year, _ = parse_month(month)
    if year not in plans:
        plans[year] = load_plan(inputs, year)
    return plans[year]


def _process_month(
    plan: Plan, inputs: Path, outputs: Path, month: str, store: ledger.Ledger, reason: str, say: Progress
) -> MonthResult:
    """Processes one month, writes what depends on it, then marks its outputs as written (a
    month whose quarter's circular waits for the end of the run, once it is swapped in)."""
    result = _process(plan, inputs, outputs, month, store, reason, say)
    _write_dependents(result, plan, inputs, outputs, store, say)
    if result.circular_pending is None:
        store.outputs_written(month)
    return result


def _write_dependents(
    result: MonthResult, plan: Plan, inputs: Path, outputs: Path, store: ledger.Ledger, say: Progress
) -> None:
    """Writes what depends on the month's ledger data, after the month's own outputs: next
    month's forms and, after a quarter's last month, the quarter's circular (both recorded in
    `result` for the summary; the circular, written in a fresh folder, waits in `result` for the
    run's one LibreOffice unless it corrects an issued one). The one place for outputs that must
    follow a month whenever it is processed, caught up or refreshed; the year's results follow
    the whole run (`run_month`).
    """
    month = result.month
    try:
        with month_outputs.timed(result.timings, "circular"):
            circular = period_outputs.start_quarterly_circular(store, plan, outputs, month, say, scored=result.scores)
    except BaseException:
        if result.forms_job is not None:
            result.forms_job.abandon()
        raise
    try:
        with month_outputs.timed(result.timings, "forms"):
            say(f"生成 {result.forms_month} 报送表")
            if result.forms_job is not None:  # started once the ledger held the month
                result.forms, result.forms_job = result.forms_job.result(), None
            else:
                result.forms = issue.issue_month_forms(inputs, outputs, result.forms_month, plan=plan, progress=say)
    except BaseException:
        circular.abandon()
        raise
    if circular.waits:
        result.circular_pending = circular
        return
    with month_outputs.timed(result.timings, "circular"):
        result.circular, result.circular_note = circular.finish()


def _process(
    plan: Plan, inputs: Path, outputs: Path, month: str, store: ledger.Ledger, reason: str, say: Progress
) -> MonthResult:
    timings: dict[str, float] = {}
    started = dt.datetime.now()
    with month_outputs.timed(timings, "intake"):
        line = f"读取 {month} 报送表"
        say(line)
        found = intake.read_month(
            intake.month_folder(inputs, month), plan, month, tick=lambda done, total: say(line, done=done, total=total)
        )
    _not_blamed_for_removal(found, store.planned_units(), plan)
    with month_outputs.timed(timings, "checks"):
        say("逐行检查")
        # A big month's rows are checked by a second process while this one reads the earlier
        # rows: two seconds each at a province's autumn, neither needing the other.
        checking = checks.start_validation(found.rows, plan, month)
        try:
            # As scoring reads them (with the pieces the month lists); an adoption is claimed once
            # in any year: the years before that are read for it as the listed pieces' adoptions.
            year, _ = parse_month(month)
            earlier = store.year_rows(
                year, previous_month(month), without=scoring.UNREAD_COLUMNS, listed=found.rows[L.PIECE_KEY]
            )
            row_problems = checks.validate_rows(found.rows, plan, month) if checking is None else checking.result()
        except BaseException:
            if checking is not None:
                checking.abandon()
            raise
        problems = list(found.problems) + row_problems
        candidates = checks.accepted_form(checks.split_rows(found.rows, problems)[0], plan)
        older = store.adoptions(through=month_key(year - 2, 12), listed=found.rows[L.PIECE_KEY])
        claimed = [older, earlier[list(cross_month.CLAIM_COLUMNS)]]
        problems += cross_month.earlier_claims(candidates, pd.concat(claimed, ignore_index=True))
        claimed = older = None  # it holds columns of `earlier`, let go before scoring
        accepted, _ = checks.split_rows(candidates, problems)
        # the rows are sorted by month: the year's are the last ones, a slice rather than a copy
        first = int(earlier[L.MONTH].searchsorted(f"{month[:4]}-01"))
        problems += near_duplicates.near_duplicates(
            accepted, earlier.iloc[first:][list(near_duplicates.EARLIER_COLUMNS)]
        )
        _reconcile(found.files, found.rows, set(accepted[L.ROW_ID]))
    with month_outputs.timed(timings, "ledger"):
        say("写入台账")
        lines = fingerprint.plan_lines(plan)
        run = {
            "started": started,
            "reason": reason,
            "counts": _counts(found.files, problems),
            "plan": {"hash": fingerprint.plan_hash(lines), "lines": lines},
        }
        store.replace_month(month, accepted, problems, found.files, run)
    with month_outputs.timed(timings, "scoring"):
        # The checks' earlier months and this month as stored, as `Ledger.year_rows` has them:
        # not the whole ledger read twice.
        stored = store.rows(months=[month], without=scoring.UNREAD_COLUMNS)
        history, earlier, stored = ledger.history_of(pd.concat([earlier, stored], ignore_index=True), year), None, None
    with month_outputs.timed(timings, "forms.start"):
        # The forked process carries pieces over from the rows held here, not read again.
        held = issue.HeldRows(history, month_key(year, 1), month)
        forms_job, held = issue.start_forms(inputs, outputs, next_month(month), plan, held), None
    try:
        with month_outputs.timed(timings, "scoring"):
            say("计分与排名")
            # The pieces hold the rows again, sorted: what was read is let go before scoring goes
            # on (a province's year is a million rows, hundreds of megabytes a copy; the forms'
            # process, forked already, keeps its own).
            parts, history = [history], None
            pieces = scheme_month.gather(parts, plan, month)
            memory.give_back()  # the rows as read, let go once sorted into the pieces
            scores = scoring.score_month(
                pieces.rows, store.returns(year=year), store.processed_months(year=year), plan, month, pieces=pieces
            )
            pieces = None  # the scores hold them: what the circular, the page and the year read
        with month_outputs.timed(timings, "reports"):
            say("生成审核问题、回执和统计表")
            receipts = month_outputs.write_month_outputs(
                plan, month, found, accepted, problems, scores, outputs, timings, say
            )
    except BaseException:
        if forms_job is not None:
            forms_job.abandon()
        raise
    returned = sorted({f.unit_code for f in found.files if f.fate == records.ACCEPTED})
    missing = [(code, plan.unit_name(code)) for code in plan.units.index if code not in returned]
    return MonthResult(
        month=month,
        bureau=plan.bureau_name(),
        files=found.files,
        rows_read=sum(f.rows_read for f in found.files),
        rows_accepted=len(accepted),
        rows_rejected=sum(f.rows_rejected for f in found.files),
        problems=problems,
        returned=returned,
        missing=missing,
        outputs=outputs / month,
        receipts=receipts,
        forms=[],
        forms_month=next_month(month),
        timings=timings,
        forms_job=forms_job,
        scores=scores,
    )


def ledger_backups(outputs: Path) -> list[tuple[backup.Generation, list[str]]]:
    """The ledger's kept generations, newest first, each with the months it holds."""
    with faults.said(None, outputs):
        return [(generation, ledger.months_in(generation.path)) for generation in backup.generations(outputs)]


def restore_ledger(outputs: Path, number: int) -> tuple[backup.Generation, list[str]]:
    """Puts generation `number` back as the ledger (the current one is kept first) and marks
    every month it holds as due: the next run writes their outputs again from it.

    Returns:
        The generation restored and the months it holds.
    """
    outputs = Path(outputs)
    with faults.said(None, outputs), workspace.outputs_session(outputs):
        path = outputs / ledger.STORE_FILE
        generation = backup.restore(outputs, number, path, sound=path.exists() and ledger.is_sound(path))
        with ledger.Ledger(outputs / ledger.STORE_FILE) as store:
            store.all_outputs_due()
            return generation, store.processed_months()


def render_circular(
    inputs: Path, outputs: Path, period: periods.Period, *, number: int | None = None, issued: dt.date | None = None
) -> documents.Rendered:
    """Re-renders a period's circular from the ledger alone, without processing any month
    (`python run.py circular`).

    Raises:
        PeriodNotProcessed: the ledger is missing, or lacks some month of the period.
        PipelineError: the plan is missing or invalid; the outputs folder is not writable.
    """
    plan = load_plan(Path(inputs), period.year)
    store_path = Path(outputs) / ledger.STORE_FILE
    if not store_path.is_file():
        periods.require_processed(period, [])
    with faults.said(inputs, outputs), workspace.outputs_session(Path(outputs)), ledger.Ledger(store_path) as store:
        return period_outputs.write_circular(store, plan, Path(outputs), period, number=number, issued=issued)


def _not_blamed_for_removal(found: intake.Intake, planned: dict[str, str], plan: Plan) -> None:
    """A form of a unit that an earlier plan had and this one no longer has: said as the office's
    roster change, not as the unit's mistyped code."""
    removed = {code.upper(): (code, name) for code, name in planned.items() if code not in plan.units.index}
    for n, problem in enumerate(found.problems):
        hit = removed.get(str(problem.value).strip().upper()) if problem.code == "file-unit-unknown" else None
        if hit is None:
            continue
        said = P.make("file-unit-removed", value=hit[0], unit=hit[1]).located(source_file=problem.source_file)
        found.problems[n] = said
        for record in found.files:
            if record.path == problem.source_file and record.reason == problem.message:
                record.reason = said.message


def _reconcile(files: list[records.FileRecord], rows: pd.DataFrame, accepted_ids: set[int]) -> None:
    """Fills each accepted file's accepted/rejected row counts; other files reject all they read."""
    # One count per file from a single pass: a filter of the month's rows per file cost seconds.
    accepted = rows[L.ROW_ID].isin(accepted_ids)
    read = rows.groupby(L.SOURCE_FILE, sort=False).size().to_dict()
    kept = accepted.groupby(rows[L.SOURCE_FILE], sort=False).sum().to_dict()
    for record in files:
        if record.fate != records.ACCEPTED:
            record.rows_accepted, record.rows_rejected = 0, record.rows_read
            continue
        record.rows_accepted = int(kept.get(record.path, 0))
        record.rows_rejected = int(read.get(record.path, 0)) - record.rows_accepted


def _counts(files: list[records.FileRecord], problems: list[P.Problem]) -> dict:
    return {
        "files": len(files),
        "rows_read": sum(f.rows_read for f in files),
        "rows_accepted": sum(f.rows_accepted for f in files),
        "rows_rejected": sum(f.rows_rejected for f in files),
        "problems": len(problems),
    }
