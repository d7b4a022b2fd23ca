"""Tables and text as people save them: a file's text, a CSV's rows with their line numbers."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from citygraph.errors import InputError

#: Largest structured file read whole into memory.
MAX_BYTES = 256 * 1024 * 1024


def read_text(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """A file's text as UTF-8, or an InputError naming the file and line."""
    try:
        size = path.stat().st_size
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror}", str(path)) from None
    if size > max_bytes:
        raise InputError(f"is {size / 2**20:.0f} MiB; the limit for one file is {max_bytes / 2**20:.0f} MiB "
                         "(split it into several files)", str(path))
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        raise InputError(f"is not UTF-8 (byte 0x{data[e.start]:02x} at byte {e.start}); save it as UTF-8",
                         f"{path}:{line}") from None
    if not text.strip():
        raise InputError("the file is empty", str(path))
    return text


def csv_rows(path: Path, text: str) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames or not any(f and f.strip() for f in reader.fieldnames):
        raise InputError("the CSV has no header row", f"{path}:1")
    try:
        for row in reader:
            if None in row:
                raise InputError(
                    f"row has {len(reader.fieldnames) + len(row[None])} fields, the header has "
                    f"{len(reader.fieldnames)}",
                    f"{path}:{reader.line_num}",
                )
            yield reader.line_num, {k.strip(): (v or "").strip() for k, v in row.items() if k}
    except csv.Error as e:
        raise InputError(f"malformed CSV: {e}", f"{path}:{reader.line_num}") from None
