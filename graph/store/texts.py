"""The texts of the reports a load read, kept by content hash, so that a cited line can be shown beside its fact.

The graph holds facts and where they are cited (``pilots-2016:24``: a
document and its lines); the document's ``Source`` node holds the file's
SHA-256. The lines themselves stay on the analyst's machine, in one folder
for every graph (:func:`citygraph.core.config.texts_dir`): one JSON file per
document, named by its hash, holding each block the reader gave the parser
as ``[line, locator, text]``, e-mail addresses and phone numbers already
blanked by the loader. Keeping them out of the graph keeps it lean and keeps
whole report texts out of a shared database; a colleague on the same Neo4j
sees the locators, and the lines once they load the report themselves.

A text is written before the graph is, atomically, and never changes: the
same hash is the same bytes, so a second load of a report rewrites nothing.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from citygraph.core.config import texts_dir

#: A SHA-256 in hex, the only name a text file may have.
SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Line:
    line: int  # the number sources cite
    locator: str  # where a person finds it: ``12``, ``p2:14``, ``table 1 row 3``
    text: str


@dataclass
class DocumentText:
    """One report's blocks, as the loader read them."""

    sha256: str
    file: str
    lines: list[Line] = field(default_factory=list)


class Texts:
    """The folder of kept texts; ``root`` defaults to ``CITYGRAPH_TEXTS`` or the user's data directory."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root or texts_dir()

    def path(self, sha256: str) -> Path:
        if not SHA256.match(sha256):
            raise ValueError(f"not a SHA-256: {sha256!r}")
        return self.root / f"{sha256}.json"

    def put(self, text: DocumentText) -> None:
        """Keep ``text`` (once: a text already kept is the same text)."""
        target = self.path(text.sha256)
        if target.exists():
            return
        self.root.mkdir(parents=True, exist_ok=True)
        body = {"sha256": text.sha256, "file": text.file, "lines": [[x.line, x.locator, x.text] for x in text.lines]}
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".text-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(body, out, ensure_ascii=False)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, sha256: str) -> DocumentText | None:
        """The kept text of ``sha256``, or None where this machine never loaded it (or the file is damaged)."""
        try:
            body = json.loads(self.path(sha256).read_text(encoding="utf-8"))
            lines = [Line(int(n), str(where), str(text)) for n, where, text in body["lines"]]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return DocumentText(sha256, str(body.get("file", "")), lines)

    def lines(self, sha256: str, start: int, end: int) -> list[Line] | None:
        """The kept lines ``start``..``end`` of a document, or None where its text is not kept."""
        text = self.get(sha256)
        if text is None:
            return None
        return [x for x in text.lines if start <= x.line <= end]
