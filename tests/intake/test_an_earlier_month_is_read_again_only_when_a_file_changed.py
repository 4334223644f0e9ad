"""The check for changed earlier months reads a file again only when the file changed: same
device, inode, size and times (ns) give the digest taken before; anything else is hashed."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from pipeline.intake import folder_hashes as FH


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def month(tmp_path: Path) -> Path:
    folder = tmp_path / "in" / "2025-02"
    (folder / "股室").mkdir(parents=True)
    (folder / "办公室.xlsx").write_bytes(b"office form")
    (folder / "股室" / "规划股.xlsx").write_bytes(b"planning form")
    return folder


def _unread(monkeypatch) -> list[Path]:
    read: list[Path] = []
    original = Path.read_bytes

    def counted(self: Path) -> bytes:
        read.append(self)
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", counted)
    return read


def test_the_first_look_hashes_every_file_by_its_path_as_intake_shows_it(month):
    hashes, seen = FH.folder_hashes(month)
    assert hashes == {"办公室.xlsx": _sha(b"office form"), "股室/规划股.xlsx": _sha(b"planning form")}
    assert {shown: state[5] for shown, state in seen.items()} == hashes


def test_files_unchanged_since_are_not_read_again(month, monkeypatch):
    first, seen = FH.folder_hashes(month)
    read = _unread(monkeypatch)
    again, seen_again = FH.folder_hashes(month, seen)
    assert again == first and seen_again == seen
    assert read == []


def test_a_file_rewritten_with_the_same_size_and_modification_time_is_hashed_again(month, monkeypatch):
    path = month / "办公室.xlsx"
    _, seen = FH.folder_hashes(month)
    stat = path.stat()
    path.write_bytes(b"OFFICE FORM")  # same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # a copy that kept the old time
    read = _unread(monkeypatch)
    hashes, _ = FH.folder_hashes(month, seen)
    assert hashes["办公室.xlsx"] == _sha(b"OFFICE FORM")
    assert read == [path]


def test_added_and_removed_files_are_seen(month):
    _, seen = FH.folder_hashes(month)
    (month / "股室" / "规划股.xlsx").unlink()
    (month / "新股室.xlsx").write_bytes(b"new")
    hashes, seen = FH.folder_hashes(month, seen)
    assert hashes == {"办公室.xlsx": _sha(b"office form"), "新股室.xlsx": _sha(b"new")}
    assert set(seen) == set(hashes)


def test_a_damaged_record_of_what_was_seen_only_costs_a_read(month):
    first, _ = FH.folder_hashes(month)
    damaged = {"办公室.xlsx": [0, 0, 0], "股室/规划股.xlsx": {"sha256": "0"}}
    assert FH.folder_hashes(month, damaged)[0] == first


def test_a_linked_folder_leading_outside_the_inputs_is_listed_without_a_digest(month, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.xlsx").write_bytes(b"x")
    (month / "外部").symlink_to(elsewhere, target_is_directory=True)
    hashes, seen = FH.folder_hashes(month)
    assert hashes["外部/"] == "" and "外部/" not in seen
