"""``citygraph extract``: what the report parser found, as canonical YAML for an analyst to review and load.

The YAML holds everything ``load REPORT.txt`` would write: the document (with
its content hash), pilots, cooperations, agreements and events with their
source lines, and the places and organisations they name, taken from the
gazetteers. Where the parser guessed, the item carries a ``review`` note
(an organisation's kind and place, a town found in the world gazetteer, an
agreement whose parties were assumed, a name it could not resolve). The
analyst corrects the file and loads it; ``review`` notes are never stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from citygraph.core.errors import InputError
from citygraph.loaders.dataset.model import Cooperation, Dataset, Item, SourceRef, Unresolved
from citygraph.loaders.documents import CONTAINERS
from citygraph.loaders.options import ReadOptions
from citygraph.loaders.read import read_paths
from citygraph.store.texts import DocumentText

#: Sections in the order a reader meets them (every section of :data:`citygraph.loaders.dataset.model.SECTIONS`).
ORDER = ("documents", "programmes", "places", "organisations", "people", "pilots", "cooperations", "agreements",
         "events")


@dataclass
class Extraction:
    """The YAML text, and what it holds (for the command's summary)."""

    text: str
    counts: dict[str, int]
    to_review: int
    unresolved: list[Unresolved]
    texts: list[DocumentText] = field(default_factory=list)  # the reports' blocks, for their cited lines


def extract(paths: list[Path], options: ReadOptions | None = None) -> Extraction:
    """Parse reports (``.txt``, ``.md``, ``.html``, ``.docx``, ``.pdf``) into reviewable canonical YAML; an
    InputError names a file of another kind."""
    for path in paths:
        if path.suffix.lower() not in CONTAINERS:
            raise InputError("extract reads reports (.txt, .md, .html, .docx, .pdf); structured files are "
                             "canonical already", str(path))
    read = read_paths(paths, options)
    elsewhere = _note_unresolved(read.dataset, read.unresolved)
    items = {section: [_plain(item) for item in getattr(read.dataset, section)] for section in ORDER}
    to_review = sum(1 for section in ORDER for item in items[section] if "review" in item)
    header = [f"# The report parser's reading of {', '.join(str(p) for p in paths)}",
              "# Check the items marked `review` (and any other), correct them, then load this file:",
              "#   citygraph load THIS.yaml        (later corrections: citygraph load --replace THIS.yaml)",
              *[f"# not read: {u.where}: {u.text.removeprefix('not read: ')}" for u in elsewhere if u.not_read],
              *[f"# unresolved: {u.where}: {u.text}" for u in elsewhere if not u.not_read]]
    body = yaml.safe_dump({s: v for s, v in items.items() if v}, sort_keys=False, allow_unicode=True, width=110,
                          default_flow_style=None)
    return Extraction("\n".join(header) + "\n" + body, {s: len(v) for s, v in items.items() if v}, to_review,
                      read.unresolved, read.texts)


def _line_of(u: Unresolved) -> int | None:
    if u.line is not None:
        return u.line
    where = u.where.rpartition(":")[2]
    return int(where) if where.isdigit() else None


def _note_unresolved(dataset: Dataset, unresolved: list[Unresolved]) -> list[Unresolved]:
    """Each name the parser could not resolve, noted on the cooperation whose lines hold it; the others (a
    pairing not read, a name in a heading) are returned, for the file's header."""
    elsewhere: list[Unresolved] = []
    notes: dict[str, list[str]] = {}  # cooperation id -> its notes
    for u in unresolved:
        line = _line_of(u)
        coop = next((c for c in dataset.cooperations if line is not None and any(
            r.line_start <= line <= r.line_end for r in c.sources)), None)
        if coop is None or u.not_read:
            elsewhere.append(u)
            continue
        notes.setdefault(coop.id, []).append(
            f"unresolved name {u.text!r}: add it to a `gazetteer` file, or name a known id in involves")
    if notes:
        dataset.cooperations.rewrite(_reviewed(c, notes.get(c.id, [])) for c in dataset.cooperations)
    return elsewhere


def _reviewed(coop: Cooperation, notes: list[str]) -> Cooperation:
    if notes:
        coop.review = "; ".join([coop.review, *notes] if coop.review else notes)
    return coop


def _plain(item: Item) -> dict[str, Any]:
    """An item as canonical YAML writes it: no empty values, sources as ``document:lines``, review last."""
    out: dict[str, Any] = {}
    for key, value in item.model_dump(mode="json", exclude_none=True).items():
        if value in ([], {}, ""):
            continue
        if key == "sources":
            value = [SourceRef.model_validate(v).id for v in value]
        elif key == "involves":
            value = [v["id"] if v.get("role") == "partner" else v for v in value]
        out[key] = value
    if item.review:
        out["review"] = item.review
    return out

