"""The faults an office's machine and clerks cause, injected one by one into a processed county:
each ends in a Chinese sentence and a documented exit code, and leaves every output folder either
complete or as it was, nothing lost and nothing stale."""

from __future__ import annotations

import os

from pipeline.files import workspace
from tests.files.clerk import as_a_clerk


def test_a_month_folder_made_read_only_leaves_no_old_folder_behind(tmp_path, monkeypatch):
    target = tmp_path / "2025-03"
    (target / "回执").mkdir(parents=True)
    (target / "回执" / "GS01-办公室.xlsx").write_bytes(b"old")
    os.chmod(target / "回执", 0o555)
    os.chmod(target, 0o555)
    as_a_clerk(monkeypatch)
    with workspace.fresh_folder(target) as fresh:
        (fresh / "汇总台账.xlsx").write_bytes(b"new")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["2025-03"]
    assert [path.name for path in target.iterdir()] == ["汇总台账.xlsx"]


def test_a_replaced_folder_keeps_the_files_the_office_put_in_it(tmp_path):
    target = tmp_path / "2025-Q1"
    target.mkdir()
    (target / "季度通报.docx").write_bytes(b"ours, replaced")
    (target / "签发稿（局长改）.docx").write_bytes(b"the office's")
    (target / "附件").mkdir()
    (target / "附件" / "照片.jpg").write_bytes(b"the office's too")
    with workspace.fresh_folder(target, ours=lambda name: name.startswith("季度通报.")) as fresh:
        (fresh / "季度通报.docx").write_bytes(b"new")
    assert {p.relative_to(target).as_posix(): p.read_bytes() for p in target.rglob("*") if p.is_file()} == {
        "季度通报.docx": b"new",
        "签发稿（局长改）.docx": b"the office's",
        "附件/照片.jpg": b"the office's too",
    }
