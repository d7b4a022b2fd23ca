"""Tables and text as people save them.

A table is a CSV (any of ``,`` ``;`` tab ``|`` between fields, UTF-8 with or
without a byte-order mark, or the encoding the user names) or a sheet of an
``.xlsx`` workbook. Either way it is a header and rows, each row with the
``file:line`` it came from, so that every message can name the place to fix.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import itertools
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, NamedTuple

from citygraph.core.errors import ConfigError, InputError

#: Largest structured file read whole into memory.
MAX_BYTES = 256 * 1024 * 1024
#: Field separators a CSV may use; the header line decides.
DELIMITERS = (",", ";", "\t", "|")
TABLE_SUFFIXES = (".csv", ".tsv", ".xlsx")


def check_path(path: Path) -> None:
    """An input path names a file that exists."""
    if not path.exists():
        raise InputError("no such file", str(path))
    if path.is_dir():
        raise InputError("is a folder; name the files to load", str(path))


def check_size(path: Path, max_bytes: int) -> None:
    """A regular file within ``max_bytes``: a FIFO, a device (a link to /dev/zero) or a folder is never read."""
    try:
        info = path.stat()
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror}", str(path)) from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError("is not a regular file (a pipe, a device or a folder); give a file", str(path))
    size = info.st_size
    if size > max_bytes:
        raise InputError(f"is {size / 2**20:.0f} MiB; the limit for one file is {max_bytes / 2**20:.0f} MiB "
                         "(split it into several files)", str(path))


def _codec(encoding: str | None) -> str:
    """The codec to decode with: UTF-8 (a byte-order mark dropped) unless the user names another."""
    if not encoding:
        return "utf-8-sig"
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise ConfigError(f"{encoding!r} is not an encoding Python knows (utf-8, cp1252, latin-1, "
                          "utf-16, gb18030, …)", option="encoding") from None
    return "utf-8-sig" if name == "utf-8" else name


def read_text(path: Path, max_bytes: int = MAX_BYTES, encoding: str | None = None) -> str:
    """A file's text (UTF-8 unless ``encoding`` names another), or an InputError naming the file and line."""
    check_size(path, max_bytes)
    codec = _codec(encoding)
    data = path.read_bytes()
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        hint = ("give its `encoding` (cp1252, latin-1, utf-16, …) or save it as UTF-8"
                if codec == "utf-8-sig" else f"it is not {encoding}: check `encoding`")
        raise InputError(f"cannot be read as {'UTF-8' if codec == 'utf-8-sig' else encoding} "
                         f"(byte 0x{data[e.start]:02x} at byte {e.start}); {hint}", f"{path}:{line}") from None
    if not text.strip():
        raise InputError("the file is empty", str(path))
    return text


class TableRow(NamedTuple):
    """One row: where it is (``file:line``), its cells by column, and what is wrong with its shape, if anything."""

    where: str
    values: dict[str, str]
    problem: str | None = None


@dataclass
class Table:
    """A header and its rows; ``rows`` is read once."""

    path: Path
    header: list[str]
    rows: Iterator[TableRow]
    file: IO[str] | None = None  # what ``rows`` reads, closed when they end (or here, when they are refused)
    header_line: int = 1  # below a title or notes, where the caller named the columns to look for

    def close(self) -> None:
        """Close the file before its rows are read to the end (reading them to the end closes it too)."""
        if self.file is not None:
            self.file.close()

    def require(self, columns: list[str], why: str) -> None:
        """An InputError at line 1 naming the first of ``columns`` the header lacks."""
        missing = [c for c in columns if c not in self.header]
        if missing:
            self.close()
            raise InputError(f"column{'s' if len(missing) > 1 else ''} {', '.join(map(repr, missing))} "
                             f"({why}) not in the header: {', '.join(self.header)}", f"{self.path}:{self.header_line}")


def _header(path: Path, names: list[Any]) -> list[str]:
    header = [str(n).strip() if n is not None else "" for n in names]
    if not any(header):
        raise InputError("the table has no header row", f"{path}:1")
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            raise InputError(f"the header names column {name!r} twice; rename one", f"{path}:1")
        seen.add(name)
    return header


def sniff_delimiter(text: str) -> str:
    """The separator the header line uses most (outside quotes); ``,`` when it has none."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif ch in "\r\n" and not quoted:
            break
        elif ch in counts and not quoted:
            counts[ch] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


#: Characters read to find the header line's separator.
HEAD = 1 << 16


#: Rows a table may have above its header (a title, a source note, blank rows), found where the caller names
#: the columns it needs.
HEADER_SEARCH = 20


def _names_all(cells: Sequence[Any], names: Sequence[str]) -> bool:
    present = {str(c).strip() for c in cells if c is not None}
    return all(name in present for name in names)


def _csv_table(path: Path, encoding: str | None, header_with: Sequence[str] = ()) -> Table:
    """A CSV read lazily from its file: only the row being read is in memory, never the whole text. Its header
    is the first line, or the first of :data:`HEADER_SEARCH` lines that names every one of ``header_with``."""
    check_size(path, MAX_BYTES)
    f = path.open(encoding=_codec(encoding), newline="")
    try:
        head = f.read(HEAD)
        if not head.strip() and len(head) < HEAD:
            raise InputError("the file is empty", str(path))
        found = _header_below(f, head, header_with) if header_with else None
        if found is not None:
            reader, cells = found
        else:
            f.seek(0)
            reader = csv.reader(f, delimiter="\t" if path.suffix.lower() == ".tsv" else sniff_delimiter(head))
            try:
                cells = next(reader, [])
            except csv.Error as e:
                raise InputError(f"malformed CSV: {e}", f"{path}:1") from None
        header = _header(path, cells)
    except UnicodeDecodeError:
        f.close()
        read_text(path, encoding=encoding)  # names the byte and its line
        raise
    except BaseException:
        f.close()
        raise
    return Table(path, header, _csv_rows(path, reader, header, f, encoding), f, header_line=max(reader.line_num, 1))


def _header_below(f: IO[str], head: str, names: Sequence[str]) -> tuple[Any, list[str]] | None:
    """(a reader of ``f`` just past the header, the header's cells) where the first line does not name all of
    ``names`` and a later one of the first lines does (its separator sniffed from that line); else None."""
    lines = head.splitlines()[:HEADER_SEARCH]
    line = next((line for line in lines if all(name in line for name in names)), None)
    if line is None or line == lines[0]:
        return None
    f.seek(0)
    reader = csv.reader(f, delimiter=sniff_delimiter(line))
    try:
        for cells in itertools.islice(reader, HEADER_SEARCH):
            if _names_all(cells, names):
                return reader, cells
    except csv.Error:
        pass  # a title line a CSV reader cannot read: the file's first line is its header, as without names
    return None


def _csv_rows(path: Path, reader: Any, header: list[str], file: IO[str], encoding: str | None) -> Iterator[TableRow]:
    with file:
        while True:
            first = reader.line_num + 1  # a row with a line break in a quoted cell is where it begins
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as e:
                raise InputError(f"malformed CSV: {e}", f"{path}:{reader.line_num}") from None
            except UnicodeDecodeError:
                read_text(path, encoding=encoding)  # names the byte and its line
                raise
            if not any(c.strip() for c in cells):
                continue
            problem = None
            if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
                problem = f"row has {len(cells)} fields, the header has {len(header)}"
            values = {k: (cells[i].strip() if i < len(cells) else "") for i, k in enumerate(header) if k}
            yield TableRow(f"{path}:{first}", values, problem)


def _cell(value: Any) -> str:
    """A spreadsheet cell as the text its author sees: dates as ISO, whole numbers without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_table(path: Path, sheet: str | None, header_with: Sequence[str] = ()) -> Table:
    from openpyxl import load_workbook

    check_size(path, MAX_BYTES)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises zipfile, KeyError, ValueError … for a damaged file
        raise InputError(f"is not a readable .xlsx workbook ({type(e).__name__}: {e})", str(path)) from None
    if sheet is not None and sheet not in book.sheetnames:
        raise InputError(f"has no sheet {sheet!r}; its sheets are {', '.join(book.sheetnames)}", str(path))
    ws = book[sheet] if sheet is not None else book.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    ahead = list(itertools.islice(rows, HEADER_SEARCH))  # a title or notes may stand above the header
    named = next((i for i, cells in enumerate(ahead) if _names_all(cells, header_with)), 0) if header_with else 0
    stream = itertools.chain(ahead[named:], rows)
    merged = _merged_ranges(path, getattr(ws, "_worksheet_path", None))
    for number, cells in enumerate(stream, start=named + 1):
        if any(_cell(c) for c in cells):
            header = _header(path, list(cells))
            return Table(path, header, _xlsx_rows(path, _unmerged(stream, number + 1, merged), number, header),
                         header_line=number)
    raise InputError(f"sheet {ws.title!r} is empty", str(path))


#: A merged range in a sheet's XML.
MERGED = re.compile(r'<mergeCell\s+ref="([A-Z]{1,3}\d+:[A-Z]{1,3}\d+)"')


def _merged_ranges(path: Path, member: str | None) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges as (first column, first row, last column, last row), read from its XML (which
    openpyxl's read-only sheets do not keep), in one pass that holds a chunk at a time."""
    import zipfile

    from openpyxl.utils.cell import range_boundaries

    if member is None:
        return []
    refs: set[str] = set()
    tail = ""
    with zipfile.ZipFile(path) as book, book.open(member) as sheet:
        while chunk := sheet.read(1 << 20):
            text = tail + chunk.decode("utf-8", "replace")
            refs.update(MERGED.findall(text))
            tail = text[-64:]  # a tag cut between two chunks is whole in the next window
    return [tuple(range_boundaries(ref)) for ref in refs]


def _unmerged(rows: Iterator[tuple[Any, ...]], first: int,
              merged: list[tuple[int, int, int, int]]) -> Iterator[tuple[Any, ...]]:
    """``rows`` from row number ``first`` on, each cell a merged range covers below its first row given that
    range's value: a town merged over its partners' rows is the town of each."""
    if not merged:
        yield from rows
        return
    tops: dict[int, list[tuple[int, int, int]]] = {}
    for c1, r1, c2, r2 in merged:
        tops.setdefault(r1, []).append((c1, c2, r2))
    active: list[tuple[int, int, int, Any]] = []  # (first column, last column, last row, value)
    for number, cells in enumerate(rows, start=first):
        out = list(cells)
        active = [a for a in active if a[2] >= number]
        for c1, c2, _, value in active:
            out += [None] * (c2 - len(out))
            out[c1 - 1:c2] = [value] * (c2 - c1 + 1)
        active += [(c1, c2, r2, out[c1 - 1] if c1 <= len(out) else None) for c1, c2, r2 in tops.get(number, ())]
        yield tuple(out)


def _xlsx_rows(path: Path, rows: Iterator[tuple[Any, ...]], header_line: int, header: list[str]) -> Iterator[TableRow]:
    for number, cells in enumerate(rows, start=header_line + 1):
        texts = [_cell(c) for c in cells]
        if not any(texts):
            continue
        problem = None
        if len(texts) > len(header) and any(texts[len(header):]):
            problem = f"row has a value right of the last named column ({len(header)})"
        yield TableRow(f"{path}:{number}", {k: (texts[i] if i < len(texts) else "")
                                            for i, k in enumerate(header) if k}, problem)


def read_table(path: Path, *, encoding: str | None = None, sheet: str | None = None,
               header_with: Sequence[str] = ()) -> Table:
    """A CSV (delimiter sniffed) or an ``.xlsx`` sheet (the first, or ``sheet``) as a header and rows. The header
    is the first row, or, where the first does not name every one of ``header_with`` (a list's named columns),
    the first of the rows below a title or notes that does."""
    if path.suffix.lower() == ".xlsx":
        return _xlsx_table(path, sheet, header_with)
    if sheet is not None:
        raise InputError("`sheet` applies to .xlsx workbooks only", str(path))
    return _csv_table(path, encoding, header_with)
