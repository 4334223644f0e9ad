"""ZIP archives (.xlsx packages) written from members compressed once per template.

`zipfile.ZipFile.writestr` compresses every member of every copy, although most members of a
month's thousands of forms or receipts (theme, styles, properties, relationships, and long
constant runs of the sheets) are the same in each. Here a template's constant member is
compressed once (`deflate`), and a constant run inside a changing member is compressed once as a
`Block`: deflate data that ends with a full flush (byte-aligned, no back-reference across it),
so that it can be spliced between the compressed changing parts of each copy (`deflate_parts`).

The archive holds exactly what `zipfile` writes for these members without ZIP64: local file
headers, deflated data, central directory, end record; names, dates, versions and attributes
as the template's. Larger archives are refused (`ArchiveTooLarge`).
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

DEFLATED = zipfile.ZIP_DEFLATED
LIMIT = 0xFFFFFFFF  # sizes and offsets at or above this need ZIP64
MAX_MEMBERS = 0xFFFF
_UTF8_NAME = 0x800  # general purpose flag: the name is UTF-8
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_FINAL_EMPTY_BLOCK = b"\x03\x00"  # a final fixed-Huffman block holding only end-of-block
_TOO_LARGE = "文件超过 4 GiB 或多于 65535 个部件，无法写成不带 ZIP64 的压缩包"


class ArchiveTooLarge(ValueError):
    """The package would need ZIP64 (4 GiB or more, or more than 65,535 members)."""


@dataclass(frozen=True)
class Entry:
    """A member's name and the header fields copied from the template's member."""

    name: str
    date_time: tuple[int, int, int, int, int, int]
    external_attr: int
    create_system: int = 3
    create_version: int = 20
    extract_version: int = 20

    @classmethod
    def of(cls, info: zipfile.ZipInfo) -> Entry:
        """The entry of a member read from the template (`ZipFile.infolist`)."""
        return cls(
            info.filename,
            info.date_time,
            info.external_attr or 0o600 << 16,  # as zipfile writes a member without attributes
            info.create_system,
            info.create_version,
            info.extract_version,
        )


@dataclass(frozen=True)
class Deflated:
    """A member's data as stored: raw deflate `data`, CRC-32 and size of the uncompressed bytes."""

    data: bytes
    crc: int
    size: int


@dataclass(frozen=True)
class Block:
    """A constant run of a member, compressed once: `data` ends with a full flush."""

    raw: bytes
    data: bytes


def deflate(data: bytes, level: int) -> Deflated:
    """`data` compressed as `zipfile` compresses a member at `level` (the same bytes)."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return Deflated(compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data))


def block(raw: bytes, level: int) -> Block:
    """`raw` compressed for splicing into members (`deflate_parts`)."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return Block(raw, compressor.compress(raw) + compressor.flush(zlib.Z_FULL_FLUSH))


def deflate_parts(parts: Sequence[bytes | Block], level: int) -> Deflated:
    """The member made of `parts` in order, compressing only its `bytes` parts.

    Each run of `bytes` parts is compressed by a compressor of its own ending with a full flush,
    so that the next `Block`'s data, compressed from an empty window, continues a valid stream.
    """
    chunks, crc, size = [], 0, 0
    compressor = None
    for part in parts:
        raw = part.raw if isinstance(part, Block) else part
        crc, size = zlib.crc32(raw, crc), size + len(raw)
        if isinstance(part, Block):
            if compressor is not None:
                chunks.append(compressor.flush(zlib.Z_FULL_FLUSH))
                compressor = None
            chunks.append(part.data)
        else:
            compressor = compressor or zlib.compressobj(level, zlib.DEFLATED, -15)
            chunks.append(compressor.compress(part))
    chunks.append(compressor.flush() if compressor is not None else _FINAL_EMPTY_BLOCK)
    return Deflated(b"".join(chunks), crc, size)


def archive(members: Iterable[tuple[Entry, Deflated]]) -> bytes:
    """The ZIP archive of `members` in order, as `zipfile` writes them to a seekable file.

    Raises:
        ArchiveTooLarge: when a size, an offset or the number of members needs ZIP64.
    """
    chunks: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for entry, stored in members:
        name, flags = _name_and_flags(entry.name)
        if stored.size >= LIMIT or len(stored.data) >= LIMIT or offset >= LIMIT:
            raise ArchiveTooLarge(f"{_TOO_LARGE}：{entry.name}")
        dos_time, dos_date = _dos_time(entry.date_time)
        fields = (flags, DEFLATED, dos_time, dos_date, stored.crc, len(stored.data), stored.size, len(name))
        chunks += [_LOCAL.pack(b"PK\x03\x04", entry.extract_version, 0, *fields, 0), name, stored.data]
        central += [
            _CENTRAL.pack(
                b"PK\x01\x02",
                entry.create_version,
                entry.create_system,
                entry.extract_version,
                0,
                *fields,
                0,  # extra field length
                0,  # comment length
                0,  # disk number
                0,  # internal attributes
                entry.external_attr,
                offset,
            ),
            name,
        ]
        offset += _LOCAL.size + len(name) + len(stored.data)
    directory = b"".join(central)
    count = len(central) // 2
    if count > MAX_MEMBERS or offset + len(directory) >= LIMIT:
        raise ArchiveTooLarge(f"{_TOO_LARGE}：{count} 个成员，{offset + len(directory)} 字节")
    end = _END.pack(b"PK\x05\x06", 0, 0, count, count, len(directory), offset, 0)
    return b"".join(chunks) + directory + end


def _name_and_flags(name: str) -> tuple[bytes, int]:
    try:
        return name.encode("ascii"), 0
    except UnicodeEncodeError:
        return name.encode("utf-8"), _UTF8_NAME


def _dos_time(date_time: tuple[int, ...]) -> tuple[int, int]:
    year, month, day, hour, minute, second = date_time
    return hour << 11 | minute << 5 | second // 2, (year - 1980) << 9 | month << 5 | day
