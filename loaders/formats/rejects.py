"""Rejected rows: written out as a CSV its author can fix and load again with the same options, and summed up
by reason for a person to read."""

from __future__ import annotations

import csv
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from citygraph.core.errors import OutputError
from citygraph.loaders.dataset.model import Rejected

#: Columns added after the row's own, which a reload with the same `columns` ignores.
EXTRA = ("rejected_at", "reason")


def write_rejects(path: Path, rejected: list[Rejected]) -> Path:
    """The rows' own columns (in the order first seen), then where and why; written whole or not at all."""
    columns = list(dict.fromkeys(k for r in rejected for k in r.values if k not in EXTRA))
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            out = csv.writer(f)
            out.writerow([*columns, *EXTRA])
            for r in rejected:
                out.writerow([*(r.values.get(c, "") for c in columns), r.where, r.reason])
        os.replace(tmp, path)
    except OSError as e:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write the rejected rows to {path}: {e.strerror}") from None
    return path


#: A value quoted in a reason ('Northern Cyprus', "x"): what differs between rows rejected for one reason.
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|\d+(?:\.\d+)?")


@dataclass(frozen=True)
class RejectGroup:
    """Rows rejected for one reason: how many, and the first of them as an example."""

    reason: str  # the reason with its values blanked
    count: int
    example: Rejected


def grouped(rejected: list[Rejected]) -> list[RejectGroup]:
    """Rejected rows grouped by reason (the values each names left out), the largest group first."""
    groups: dict[str, list[Rejected]] = {}
    for r in rejected:
        groups.setdefault(_QUOTED.sub("…", r.reason), []).append(r)
    found = [RejectGroup(reason, len(rows), rows[0]) for reason, rows in groups.items()]
    return sorted(found, key=lambda g: -g.count)


def skip_summary(rejected: list[Rejected], total: int) -> list[str]:
    """Lines a person reads about skipped rows: the share of the input, then each reason with a count and one
    example (``country not recognised: 166 rows, e.g. twins.csv:18257: …``)."""
    if not rejected:
        return []
    share = 100 * len(rejected) / total if total else 100.0
    lines = [f"skipped {len(rejected):,} of {total:,} rows or items ({share:.1f}%):"]
    for g in grouped(rejected):
        values = _QUOTED.findall(g.example.reason)
        lines.append(f"  {g.count:,} × {g.reason}; e.g. {g.example.where}" + (f" {values[0]}" if values else ""))
    return lines
