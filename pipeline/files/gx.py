"""Runs Great Expectations suites stored as JSON in `expectations/` over a pandas frame.

One ephemeral context per process, progress bars and logging off. Each expectation's `meta`
names a problem code from the catalogue (`meta.code`) and may carry its own Chinese message
(`meta.message`); its `severity` (critical / warning) becomes 错误 / 警告. Failing rows come back
by the frame's row-id column, so every failure maps back to a file and an Excel row.
"""

from __future__ import annotations

import json
import logging
import os
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import count
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.core import labels as L
from pipeline.core.errors import PipelineError

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

EXPECTATIONS_DIR = Path(__file__).resolve().parents[2] / "expectations"

_names = count(1)


class ExpectationsInvalid(PipelineError):
    """检查规则文件 {path} 有误（{reason}）。请改正该文件，或从版本库恢复原文件。"""

    exit_code = 7


@dataclass(frozen=True)
class Failure:
    """The rows of a frame that failed one expectation."""

    code: str
    severity: str
    message: str | None
    column: str
    row_ids: list[Any]
    values: list[Any]
    kwargs: dict[str, Any] = field(default_factory=dict)


def load_suites(path: Path) -> list[dict[str, Any]]:
    """Reads a suite file: one suite object, or {"suites": [...]} for several (one per sheet)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ExpectationsInvalid(path=path, reason=str(exc)) from exc
    suites = data["suites"] if isinstance(data, dict) and "suites" in data else [data]
    for suite in suites:
        for exp in suite.get("expectations", []):
            if "code" not in exp.get("meta", {}):
                raise ExpectationsInvalid(path=path, reason=f"规则 {exp.get('type')} 缺少 meta.code")
    return suites


def validate(
    frame: pd.DataFrame,
    suite: dict[str, Any],
    *,
    id_column: str,
    parameters: dict[str, Any] | None = None,
    source: Path | str = "",
) -> list[Failure]:
    """Validates `frame` against one suite in a single pass.

    Args:
        frame: the rows to check; must hold `id_column`.
        suite: a suite as stored in JSON (name, expectations).
        id_column: the column that identifies each row in the failures.
        parameters: values for `{"$PARAMETER": name}` placeholders.
        source: the suite's file, named in errors.

    Returns:
        One Failure per failed expectation, in suite order. Expectations whose column is not in
        the frame are skipped: missing columns are reported by the caller, once.
    """
    from great_expectations.core.expectation_suite import ExpectationSuite

    expectations = [e for e in suite.get("expectations", []) if _columns_present(e, frame)]
    if frame.empty or not expectations:
        return []
    # Only the columns the expectations read: GX takes the whole frame for every expectation's
    # domain, a second of a province's month for columns no rule reads.
    read = [_columns(e) for e in expectations]
    if all(read):
        frame = frame[[id_column, *dict.fromkeys(c for columns in read for c in columns if c != id_column)]]
    context = _context()
    name = f"{suite.get('name', 'suite')}-{next(_names)}"
    # GX logs and drops an expectation it cannot build instead of raising: count what it kept.
    try:
        gx_suite = context.suites.add(ExpectationSuite(name=name, expectations=expectations))
    except Exception as exc:  # GX raises many types for a malformed suite
        raise ExpectationsInvalid(path=source, reason=str(exc)) from exc
    if len(gx_suite.expectations) != len(expectations):
        kept = {e.expectation_type for e in gx_suite.expectations}
        dropped = sorted({e.get("type", "?") for e in expectations} - kept) or ["参数有误的规则"]
        context.suites.delete(name)
        raise ExpectationsInvalid(path=source, reason=f"无法识别的规则：{'、'.join(dropped)}")
    asset = context.data_sources.add_pandas(name).add_dataframe_asset("rows")
    batch = asset.add_batch_definition_whole_dataframe("all").get_batch(batch_parameters={"dataframe": frame})
    # The batch's own validate: a validation definition's run also serialises the whole result
    # (every failing row id) into the context's store, a third of the time at a province's size.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = batch.validate(
            gx_suite,
            expectation_parameters=parameters or {},
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": [id_column]},
        )
    failures = [_failure(r, id_column, parameters or {}, source) for r in result.results if not r.success]
    context.suites.delete(name)
    context.data_sources.delete(name)
    return failures


@lru_cache(maxsize=1)
def _context():
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


def _columns_present(expectation: dict[str, Any], frame: pd.DataFrame) -> bool:
    return all(c in frame.columns for c in _named_columns(expectation))


def _columns(expectation: dict[str, Any]) -> list[str] | None:
    """The columns an expectation reads; None when they cannot be told (a rule on the whole
    table, a row condition written as text)."""
    condition = expectation.get("kwargs", {}).get("row_condition")
    if condition is not None and not (isinstance(condition, dict) and isinstance(condition.get("column"), dict)):
        return None
    return _named_columns(expectation) or None


def _named_columns(expectation: dict[str, Any]) -> list[str]:
    kwargs = expectation.get("kwargs", {})
    needed = [kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs]
    needed += kwargs.get("column_list", [])
    condition = kwargs.get("row_condition")
    if isinstance(condition, dict) and isinstance(condition.get("column"), dict):
        needed.append(condition["column"].get("name"))
    return needed


def _failure(result: Any, id_column: str, parameters: dict[str, Any], source: Path | str) -> Failure:
    config = result.expectation_config
    info = result.exception_info or {}
    if info.get("raised_exception"):
        raise ExpectationsInvalid(path=source, reason=f"{config.type}: {info.get('exception_message')}")
    column = config.kwargs.get("column", "") or ""
    unexpected = result.result.get("unexpected_index_list") or []
    kwargs = {k: _resolve(v, parameters) for k, v in config.to_json_dict().get("kwargs", {}).items()}
    severity = L.WARNING if str(config.severity.value) == "warning" else L.ERROR
    return Failure(
        code=config.meta["code"],
        severity=severity,
        message=config.meta.get("message"),
        column=column,
        row_ids=[item[id_column] for item in unexpected],
        values=[item.get(column) for item in unexpected],
        kwargs=kwargs,
    )


def _resolve(value: Any, parameters: dict[str, Any]) -> Any:
    if isinstance(value, dict) and "$PARAMETER" in value:
        return parameters.get(value["$PARAMETER"])
    return value
