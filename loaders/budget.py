"""What reading input files costs in memory, checked before anything is read.

A load checks the whole dataset before it writes, holding each validated
item compact meanwhile (:mod:`citygraph.loaders.dataset.compact`), so its memory
still grows with the input, but slowly: measured by ``bench/readmem.py``
(200,000 rows each) at about 17 bytes per byte for a list of pairs (its
places are held as models, and every pair once), under the interpreter's own
start for canonical CSV tables (read row by row), and 30 for YAML, which is
parsed whole. A 10^6-link load of canonical tables peaked at 1.16 GiB in
Python, writing included, about 7 bytes per byte. The figures below round
those up. A load whose estimate exceeds the memory the machine has free is
refused before reading, naming the file that weighs most, so it never ends
in swapping or the kernel's out-of-memory killer.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

#: Bytes of memory per byte of input, by what the file is read as.
PER_BYTE = {"pairs": 24, "table": 8, "mapping": 40, "report": 64, "workbook": 24}
#: How each kind is named in messages.
KIND_NAMES = {"pairs": "list of pairs", "table": "CSV table", "mapping": "YAML or JSON file", "report": "report",
              "workbook": "workbook"}
#: What a load holds before its first file (interpreter, libraries, the world gazetteer for lists of pairs).
BASE = 512 * 2**20


def read_as(path: Path, pairs: bool) -> str:
    """How a file is read: ``pairs`` (with --columns), ``table``, ``mapping``, ``report`` or ``workbook``."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return "workbook"  # weighed by its sheets' XML unpacked (see _size), not by its compressed size
    if suffix in (".yaml", ".yml", ".json"):
        return "mapping"
    if suffix == ".txt":
        return "report"
    return "pairs" if pairs else "table"


def memory_needed(paths: Sequence[Path], pairs: bool) -> int:
    """Bytes a load of ``paths`` is expected to hold at its peak (an upper estimate)."""
    return BASE + sum(PER_BYTE[read_as(p, pairs)] * _size(p) for p in paths)


def over_budget(paths: Sequence[Path], pairs: bool, available: int) -> str | None:
    """Why a load of ``paths`` does not fit in ``available`` bytes, or None when it does."""
    needed = memory_needed(paths, pairs)
    if needed <= available or not paths:
        return None
    heaviest = max(paths, key=lambda p: PER_BYTE[read_as(p, pairs)] * _size(p))
    kind = read_as(heaviest, pairs)
    return (f"loading {len(paths)} file(s) needs about {needed / 2**30:.1f} GiB of memory (a {KIND_NAMES[kind]} takes "
            f"~{PER_BYTE[kind]} bytes per byte of input, and {heaviest.name} has {_size(heaviest) / 2**20:.0f} MiB); "
            f"{available / 2**30:.1f} GiB is free. Split the file, or free memory")


def _size(path: Path) -> int:
    """Bytes a file is read as: its size, or for a workbook the unpacked size of its sheets and shared strings,
    from the zip's directory: a 2.6 MB workbook can hold a 1 GB sheet. A list of pairs read from a workbook held
    15.8 bytes per unpacked byte (150,000 rows, 36 MiB unpacked from 2.7 MiB), rounded up to 24."""
    try:
        if path.suffix.lower() == ".xlsx" and path.is_file():
            return _unpacked(path)
        return path.stat().st_size if path.is_file() else 0
    except OSError:
        return 0


def _unpacked(path: Path) -> int:
    import zipfile

    try:
        with zipfile.ZipFile(path) as book:
            return sum(i.file_size for i in book.infolist()
                       if i.filename.startswith("xl/worksheets/") or i.filename == "xl/sharedStrings.xml")
    except (zipfile.BadZipFile, ValueError):
        return path.stat().st_size  # not a workbook: its reader says so
