"""Rejected rows written out as a CSV its author can fix and load again with the same options."""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

from citygraph.core.errors import OutputError
from citygraph.loaders.dataset.model import Rejected

#: Columns added after the row's own, which a reload with the same --columns ignores.
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
