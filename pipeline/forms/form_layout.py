"""The columns of a year's form: today's table, or, when the plan describes a scheme
(docs/schemes.md), today's table with the scheme's extra columns and the plan's own names.

A plan without a scheme gets `forms.DEFAULT_LAYOUT` unchanged (its forms stay byte for byte what
they were). With a scheme, the columns `Scheme.form_columns()` names come after 领导批示 (they
describe the adoption, as 采用载体 and 采用级别 do), and the dropdowns list the plan's own
稿件类别, 采用级别 and 批示级别, its 采用形式, its 约稿编号 and its outlet catalogue. The header
block above the table spans the first eleven columns, which the extra columns leave in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from pipeline.core import labels as L
from pipeline.core import scheme_labels as S
from pipeline.plan.scheme_model import Scheme

# Dropdowns a unit may type past (a warning, not a refusal): an outlet typed freely is matched
# to the catalogue, and a 计分加成 cell may list several modifiers.
OPEN_LISTS = (L.OUTLET, S.F_MODIFIERS)

SCHEME_WIDTHS = {S.F_USE_FORM: 8, S.F_MODIFIERS: 10, S.F_COMMISSION: 10, S.F_EXTERNAL: 7}


@dataclass(frozen=True)
class FormLayout:
    """The form's table: its columns in order, the dropdown of each enumerated column, how to
    fill each column (the guide's lines and the input prompts) and each column's width."""

    columns: tuple[str, ...]
    enumerations: dict[str, tuple[str, ...]]
    rules: dict[str, str]
    widths: dict[str, float]
    open_lists: tuple[str, ...] = ()

    @cached_property
    def column(self) -> dict[str, int]:
        """Each label's 1-based column."""
        return {label: index for index, label in enumerate(self.columns, start=1)}

    @property
    def last_column(self) -> int:
        return len(self.columns)


def one_of(values: tuple[str, ...]) -> str:
    return "、".join(values)


def scheme_layout(default: FormLayout, scheme: Scheme) -> FormLayout:
    """`default` with the scheme's columns after 领导批示 and the plan's own names in the lists."""
    extra = scheme.form_columns()
    at = default.columns.index(L.INSTRUCTION) + 1
    columns = (*default.columns[:at], *extra, *default.columns[at:])
    vocab = scheme.vocabulary
    instructions = (L.NO_INSTRUCTION, *vocab.instructions)
    outlets = tuple(dict.fromkeys(o.name for o in scheme.outlets))
    enumerations = {
        L.CATEGORY: vocab.categories,
        L.STATUS: L.STATUSES,
        L.LEVEL: vocab.levels,
        L.INSTRUCTION: instructions,
        L.SECRECY: L.YES_NO,
    }
    listed = {
        L.OUTLET: outlets,
        S.F_USE_FORM: scheme.use_forms,
        S.F_MODIFIERS: tuple(scheme.modifiers),
        S.F_COMMISSION: tuple(scheme.commissions),
    }
    enumerations |= {label: values for label, values in listed.items() if values and label in columns}
    rules = default.rules | {
        L.CATEGORY: f"必填，从下拉列表选择：{one_of(vocab.categories)}。",
        L.LEVEL: f"{L.ADOPTED}时必填，从下拉列表选择：{one_of(vocab.levels)}。同一稿件被几个载体采用的，每个载体填一行。",
        L.INSTRUCTION: f"从下拉列表选择：{one_of(instructions)}；不填视为“{L.NO_INSTRUCTION}”。",
        **({L.OUTLET: _outlet_rule(outlets, closed=scheme.rules.closed_outlets)} if outlets else {}),
        **{label: _scheme_rule(label, scheme) for label in extra},
    }
    widths = default.widths | {label: SCHEME_WIDTHS[label] for label in extra}
    return FormLayout(columns, enumerations, rules, widths, tuple(c for c in OPEN_LISTS if c in enumerations))


def _outlet_rule(outlets: tuple[str, ...], *, closed: bool) -> str:
    shown = one_of(outlets[:6]) + ("等" if len(outlets) > 6 else "")
    rule = f"{L.ADOPTED}时必填，从下拉列表选择局办公室登记的载体（{shown}）"
    if closed:
        return rule + "；目录以外的载体不计分。"
    return rule + "；目录中没有的载体可直接填写全称，按采用级别计分。"


def _scheme_rule(label: str, scheme: Scheme) -> str:
    """How to fill one of the scheme's columns, in the unit's words."""
    if label == S.F_USE_FORM:
        return (
            f"{L.ADOPTED}时填写，从下拉列表选择：{one_of(scheme.use_forms)}。同一载体按不同采用形式计分的，"
            "必须填写；不区分形式的载体可不填。"
        )
    if label == S.F_MODIFIERS:
        return (
            f"{L.ADOPTED}且符合加成条件时填写，从下拉列表选择：{one_of(tuple(scheme.modifiers))}；"
            f"有几项的用“{L.LIST_SEPARATOR}”分隔。不符合的不填。"
        )
    if label == S.F_COMMISSION:
        return (
            f"报送的是局办公室下达的约稿时填写约稿编号（见约稿通知），从下拉列表选择：{one_of(tuple(scheme.commissions))}；"
            "以后月份填报该稿件的采用情况时仍填同一编号。不是约稿的不填。"
        )
    outlets = one_of(tuple(dict.fromkeys(o.name for o in scheme.outlets if o.external)))
    return f"采用载体为{outlets}时必填：上级单位对该稿件给出的分值（阿拉伯数字）。其他载体不填。"
