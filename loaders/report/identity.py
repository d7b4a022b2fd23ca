"""Identity follows provenance: a report citygraph already knows keeps the ids of what it states.

A document is known by its content hash (``sha256``), not its file name. When
a report's hash is that of a document in the bundled knowledge base, the
report takes that document's id, and its findings are the base's reviewed
facts that cite it (:func:`reviewed`): the base is an analyst's reading of
the same lines, so the raw reports loaded after the bundled base add nothing,
and what the parser finds on lines the base never cites is added beside it.
While parsing, each fact found on lines the base cites for a fact of the same
section takes that fact's id. Elsewhere ids come from what cannot change
between reports: a pilot's from its partners, a fact's from its document and
first line.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from citygraph.loaders.dataset.model import Dataset, Document, SourceRef
from citygraph.model.vocabulary import slugify

#: Sections whose facts cite lines, and so can be recognised by them.
SECTIONS = ("pilots", "cooperations", "agreements", "events")


def content_hash(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pilot_id(europe: list[str], partners: list[str]) -> str:
    """A pilot's id from its partners: the same pairing in any report is the same pilot."""
    return f"pilot-{slugify('-'.join(europe))}--{slugify('-'.join(partners))}"


@dataclass
class KnownDocument:
    """A document the bundled base records, and the lines each of its facts cites there."""

    document: Document
    spans: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)
    used: set[tuple[str, str]] = field(default_factory=set)
    base: Dataset = field(default_factory=Dataset)

    def same_lines(self, section: str, start: int, end: int) -> str | None:
        """The id of the fact of ``section`` on these lines (starting on the same line first), once per report."""
        spans = self.spans.get(section, [])
        candidates = [i for a, _, i in spans if a == start] + [i for a, b, i in spans if not (b < start or a > end)]
        found = next((i for i in candidates if (section, i) not in self.used), None)
        if found:
            self.used.add((section, found))
        return found


def known_document(sha256: str, base: Dataset) -> KnownDocument | None:
    """The document of ``base`` with this content hash, with the spans of the facts that cite it."""
    document = next((d for d in base.documents if d.sha256 == sha256), None)
    if document is None:
        return None
    known = KnownDocument(document, base=base)
    for section in SECTIONS:
        for item in getattr(base, section):
            for ref in item.sources:
                if ref.document == document.id:
                    known.spans.setdefault(section, []).append((ref.line_start, ref.line_end, item.id))
    return known


#: Sections of the base taken whole for a known document (the facts, and what cites it among the rest).
REVIEWED = (*SECTIONS, "programmes", "people", "places", "organisations")


def reviewed(found: Dataset, known: KnownDocument) -> Dataset:
    """A known document's findings: the base's facts that cite it (citing it alone), and the parser's
    findings on lines none of them cites; the documents and places ``found`` has are kept."""
    doc = known.document.id
    out = Dataset(documents=found.documents)
    lines: set[int] = set()
    for section in REVIEWED:
        for item in getattr(known.base, section):
            refs = [r for r in item.sources if r.document == doc]
            if refs:
                getattr(out, section).append(item.model_copy(update={"sources": refs}, deep=True))
                lines.update(_numbers(refs))
    ids = {item.id for section in REVIEWED for item in getattr(out, section)}
    for section in SECTIONS:
        getattr(out, section).extend(
            item for item in getattr(found, section) if item.id not in ids and not _on(lines, item.sources))
    out.places.extend(p for p in found.places if p.id not in ids)
    out.organisations.extend(o for o in found.organisations if o.id not in ids and not _on(lines, o.sources))
    return out


def _numbers(refs: list[SourceRef]) -> set[int]:
    """Every line number the sources cite."""
    return {n for r in refs for n in range(r.line_start, r.line_end + 1)}


def _on(lines: set[int], refs: list[SourceRef]) -> bool:
    """Whether the sources cite any of ``lines``."""
    return not lines.isdisjoint(_numbers(refs))
