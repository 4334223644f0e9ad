"""Issued circulars are records: a run never silently replaces a circular the office has numbered,
dated or edited.

Beside each circular it writes, a run leaves a hidden record (`.<stem>.json`): the sha256 of the
.docx as written and the figures it states. The next render of the same period compares the .docx
on disk with the record: unchanged, it is the run's own and is replaced; changed (or with no record:
written before records were kept), the office has worked on it, so it is kept as it is and the new
one is written beside it as `<stem>（更正）`, with the figures that changed said in the run's
summary and in the next period's circular.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.files import atomic

CORRECTED = "（更正）"
FIGURE_WORDS = {
    "sent": ("报送", "篇"),
    "adopted": ("采用", "篇"),
    "adoptions": ("采用", "条次"),
    "points": ("得分", "分"),
}


def record_path(folder: Path, stem: str) -> Path:
    return folder / f".{stem}.json"


def is_record(name: str) -> bool:
    """Whether a file name is a circular's record (hidden on purpose: not work left behind)."""
    return (name.startswith(".") and name.endswith("通报.json")) or name.endswith(f"通报{CORRECTED}.json")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_record(folder: Path, stem: str, figures: dict, changes: str = "") -> None:
    """Records what the run wrote as <folder>/<stem>.docx: its hash and figures (and, for a
    correction, the changes it makes to the issued one)."""
    record = {"sha256": _digest(folder / f"{stem}.docx"), "figures": figures, "changes": changes}
    atomic.write_text(record_path(folder, stem), json.dumps(record, ensure_ascii=False, indent=1))


def read_record(folder: Path, stem: str) -> dict | None:
    try:
        return json.loads(record_path(folder, stem).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


@dataclass(frozen=True)
class Decision:
    """What to write for a period's circular.

    Attributes:
        stem: the name to write under (the period's own, or its 更正 name).
        keep: the office's files to carry over unchanged (a quarter's folder is replaced whole).
        render: False when the office's circular stands and nothing it states has changed.
        note: what the run's summary says.
        changes: the issued figures that changed ("" when none or unknown).
    """

    stem: str
    keep: list[Path] = field(default_factory=list)
    render: bool = True
    note: str = ""
    changes: str = ""


def plan_render(target: Path, stem: str, name: str, figures: dict) -> Decision:
    """Decides how to write `name`'s circular into `target` without replacing an issued one.

    Args:
        target: the period's folder.
        stem: the circular's file stem (季度通报, 月度通报).
        name: the period's name for the summary (2025年第一季度).
        figures: `circular_figures` of the new circular.
    """
    old = target / f"{stem}.docx"
    if not old.exists():
        return Decision(stem)
    record = read_record(target, stem)
    if record is not None and record.get("sha256") == _digest(old):
        changes = describe_changes(record.get("figures", {}), figures)
        note = f"{name}通报的数字有变动，已重新生成（原件未经办公室编辑）：{changes}。" if changes else ""
        return Decision(stem, note=note, changes=changes)
    keep = [p for p in target.iterdir() if p.is_file() and (p.stem == stem or p.name == record_path(target, stem).name)]
    if record is None:
        changes = ""
        said = "原件没有生成记录，无法比较数字，请人工核对"
    else:
        changes = describe_changes(record.get("figures", {}), figures)
        if not changes:
            return Decision(stem, keep, render=False, note=f"{name}通报已由办公室编辑，数字没有变动，保留原件。")
        said = f"与原件相比：{changes}"
    corrected = f"{stem}{CORRECTED}"
    note = (
        f"{name}通报已由办公室编号、填写日期或修改，未覆盖；更正后的通报另存为 {corrected}.docx，{said}。"
        "请核对后按更正件印发。"
    )
    return Decision(corrected, keep, note=note, changes=changes)


def describe_changes(before: dict, after: dict) -> str:
    """The figures that differ, in the summary's words: 全局报送140→141篇（+1）；办公室得分19→21分（+2）."""
    parts = []
    for owner in dict.fromkeys([*before, *after]):
        old, new = before.get(owner, {}), after.get(owner, {})
        for key, (word, unit) in FIGURE_WORDS.items():
            a, b = old.get(key, 0), new.get(key, 0)
            if abs(a - b) > 1e-9:
                parts.append(
                    f"{owner}{word}{_number(a)}→{_number(b)}{unit}（{'+' if b > a else '−'}{_number(abs(b - a))}）"
                )
    return "；".join(parts)


def _number(value: float) -> str:
    text = f"{round(float(value), 2):.2f}".rstrip("0").rstrip(".")
    return text or "0"


def previous_correction(folder: Path, stem: str) -> str:
    """The changes a correction of the circular in `folder` made, for the next circular to note;
    "" when it was not corrected."""
    record = read_record(folder, f"{stem}{CORRECTED}")
    return (record or {}).get("changes", "")
