"""The review queue: what the report parser read, item by item beside its source lines.

``serve REPORT`` (any report container) extracts it as ``citygraph extract``
does; ``serve EXTRACT.yaml`` opens an extraction already written. Each item
(items marked ``review`` first) can be accepted, edited (name, kind, place,
channel, status, dates, parties) or rejected; each line the parser did not
read can be made a cooperation by hand. Saving writes the canonical YAML
(checked as a load would check it, nothing written to the graph); loading
saves, keeps the report's text, and loads the file with ``replace``.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from citygraph.core.errors import InputError
from citygraph.model.countries import country_code
from citygraph.model.vocabulary import slugify
from citygraph.store import Store
from citygraph.store.texts import DocumentText, Texts

ORDER = ("documents", "programmes", "places", "organisations", "people", "pilots", "cooperations", "agreements",
         "events")
#: What an analyst may change on an item of each section.
EDITABLE: dict[str, tuple[str, ...]] = {
    "places": ("name", "kind", "country"), "organisations": ("name", "kind", "located_in"),
    "people": ("name", "role"), "pilots": ("name", "europe", "partner"),
    "cooperations": ("title", "channel", "status", "date", "involves"),
    "agreements": ("title", "status", "date", "signed_by"), "events": ("name", "kind", "date", "date_end", "about"),
}
#: Fields that hold ids of other items (edited as comma-separated ids).
LISTS = ("europe", "partner", "involves", "signed_by", "about")
#: A new town as an analyst names it: ``Graz (Austria)``.
QUALIFIED = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<country>[^()]+)\)$")
#: ``# not read: FILE:LOCATOR: TEXT`` in an extraction's header (neither file nor locator holds ``": "``).
NOT_READ = "# not read: "


@dataclass
class Review:
    source: Path  # the report or extraction opened
    out: Path  # where the reviewed YAML is saved
    data: dict[str, list[dict[str, Any]]]
    not_read: list[dict[str, Any]] = field(default_factory=list)  # {key, where, line, text, document}
    texts: dict[str, DocumentText] = field(default_factory=dict)  # by sha256
    status: dict[str, str] = field(default_factory=dict)  # item key -> accepted | edited | rejected | added
    flagged: set[str] = field(default_factory=set)  # the items the parser marked ``review`` (shown first)

    def items(self) -> list[tuple[str, str, dict[str, Any]]]:
        return [(f"{section}/{item['id']}", section, item) for section in ORDER for item in self.data.get(section, [])]

    def find(self, key: str) -> tuple[str, dict[str, Any]]:
        for k, section, item in self.items():
            if k == key:
                return section, item
        raise InputError(f"no item {key!r} in this review")


def open_review(path: Path, out: Path | None, extract: Callable[[list[Path]], Any], texts: Texts) -> Review:
    """The queue for a report (extracted now) or an extraction YAML; ``out`` defaults to the YAML itself, or
    ``REPORT.yaml`` beside the report."""
    unread: list[tuple[str, str, int | None]] = []  # (where, text, line)
    if path.suffix.lower() in (".yaml", ".yml"):
        text = path.read_text(encoding="utf-8")
        kept: list[DocumentText] = []
    else:
        extraction = extract([path])
        text, kept = extraction.text, extraction.texts
        unread = [(u.where, u.text.removeprefix("not read: "), u.line) for u in extraction.unresolved if u.not_read]
    data = yaml.safe_load(text) or {}
    if not isinstance(data, dict):
        raise InputError("an extraction holds sections (documents, places, …)", str(path))
    review = Review(path, out or (path if path.suffix.lower() in (".yaml", ".yml") else path.with_suffix(".yaml")),
                    {s: list(data.get(s) or []) for s in ORDER})
    review.texts = {t.sha256: t for t in kept}
    review.flagged = {key for key, _, item in review.items() if item.get("review")}
    for doc in review.data["documents"]:
        sha = doc.get("sha256")
        if sha and sha not in review.texts and (stored := texts.get(sha)) is not None:
            review.texts[sha] = stored
    if not unread:
        unread = [(*line.removeprefix(NOT_READ).partition(": ")[::2], None) for line in text.splitlines()
                  if line.startswith(NOT_READ)]
    review.not_read = [_unread(review, n, *u) for n, u in enumerate(unread)]
    return review


def _unread(review: Review, n: int, where: str, text: str, line: int | None) -> dict[str, Any]:
    """A line not read, with the document it is in and its line number (from its locator, where the header of
    an extraction gives only that: ``report.pdf:p1:9``)."""
    documents = review.data["documents"]
    document = next((d for d in documents if d.get("file") and where.startswith(f"{d['file']}:")
                     or d.get("file") and f"/{d['file']}:" in where), documents[0] if len(documents) == 1 else None)
    if line is None and document is not None:
        kept = review.texts.get(document.get("sha256") or "")
        locator = where[where.find(f"{document['file']}:") + len(document["file"]) + 1:] if document.get("file") else ""
        line = next((x.line for x in kept.lines if x.locator == locator), None) if kept else None
        line = line if line is not None else int(locator) if locator.isdigit() else None
    return {"key": f"not-read/{n}", "where": where, "text": text, "line": line,
            "document": document["id"] if document and line is not None else None}


def lines_of(review: Review, sources: list[str]) -> list[dict[str, Any]]:
    """The cited lines of ``document:lines`` sources, from the texts this review holds."""
    shas = {d["id"]: d.get("sha256") for d in review.data["documents"]}
    out: list[dict[str, Any]] = []
    for source in sources:
        document, _, lines = str(source).rpartition(":")
        start, _, end = lines.partition("-")
        text = review.texts.get(shas.get(document) or "")
        if text is None or not start.isdigit():
            out.append({"source": source, "lines": [], "missing": "the report's text is not at hand"})
            continue
        last = int(end) if end.isdigit() else int(start)
        out.append({"source": source, "lines": [{"line": x.line, "locator": x.locator, "text": x.text}
                                                for x in text.lines if int(start) <= x.line <= last]})
    return out


def queue(review: Review) -> dict[str, Any]:
    """Every item (those marked ``review`` first), its editable fields, its note and its cited lines; then the
    lines not read."""
    items = []
    for key, section, item in review.items():
        if section in ("documents", "programmes"):
            continue
        items.append({"key": key, "section": section, "id": item["id"],
                      "name": item.get("name") or item.get("title") or item["id"], "review": item.get("review"),
                      "status": review.status.get(key, "pending"),
                      "fields": {f: _shown(item.get(f)) for f in EDITABLE.get(section, ())},
                      "lines": lines_of(review, item.get("sources") or [])})
    items.sort(key=lambda i: (i["key"] not in review.flagged, ORDER.index(i["section"])))  # stable as decided
    not_read = [dict(n, lines=lines_of(review, [f"{n['document']}:{n['line']}"]) if n["document"] else [])
                for n in review.not_read]
    return {"source": str(review.source), "out": str(review.out), "items": items, "not_read": not_read}


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(v["id"] if isinstance(v, dict) else str(v) for v in value)
    return "" if value is None else str(value)


def decide(review: Review, key: str, action: str, fields: dict[str, str] | None = None) -> None:
    """Accept, edit or reject one item."""
    section, item = review.find(key)
    if action == "reject":
        review.data[section].remove(item)
        _forget(review, item["id"])
    elif action in ("accept", "edit"):
        if action == "edit":
            _edit(section, item, fields or {})
        item.pop("review", None)
    else:
        raise InputError(f"an item is accepted, edited or rejected, not {action!r}")
    review.status[key] = {"accept": "accepted", "edit": "edited", "reject": "rejected"}[action]


def _edit(section: str, item: dict[str, Any], fields: dict[str, str]) -> None:
    allowed = EDITABLE.get(section, ())
    for name, value in fields.items():
        if name not in allowed:
            raise InputError(f"{name!r} is not a field an analyst edits on {section} (those are: "
                             f"{', '.join(allowed)})")
        text = str(value).strip()
        if name in LISTS:
            old = {v["id"]: v for v in item.get(name) or [] if isinstance(v, dict)}
            item[name] = [old.get(i, i) for i in (p.strip() for p in text.split(",")) if i]
        elif text:
            item[name] = text
        else:
            item.pop(name, None)


def _forget(review: Review, ident: str) -> None:
    """A rejected item's id leaves the lists of the items that named it."""
    for _, _, other in review.items():
        for name in LISTS:
            if isinstance(other.get(name), list):
                other[name] = [v for v in other[name] if (v["id"] if isinstance(v, dict) else v) != ident]


def add_from_line(review: Review, key: str, title: str, channel: str, parties: str) -> str:
    """A cooperation made by hand from a line the parser did not read; parties are ids or names of this
    review's places and organisations."""
    line = next((n for n in review.not_read if n["key"] == key), None)
    if line is None or not line["document"]:
        raise InputError(f"no line {key!r} not read in this review (or its document is not known)")
    source = f"{line['document']}:{line['line']}"
    ids = [_party(review, p.strip(), source) for p in parties.split(",") if p.strip()]
    if len(ids) < 2:
        raise InputError("a cooperation joins two parties or more: name them, separated by commas")
    ident = slugify(title) or f"cooperation-{line['line']}"
    taken = {item["id"] for item in review.data["cooperations"]}
    while ident in taken:
        ident += "-2"
    review.data["cooperations"].append({"id": ident, "title": title.strip(), "channel": channel.strip(),
                                        "involves": ids, "sources": [source]})
    review.not_read.remove(line)
    review.status[f"cooperations/{ident}"] = "added"
    return ident


def _party(review: Review, name: str, source: str) -> str:
    """The id of a place or organisation of this review by id, name or alias; ``Town (Country)`` adds a town."""
    folded = name.casefold()
    for section in ("places", "organisations"):
        for item in review.data[section]:
            names = [item["id"], item.get("name") or "", *(item.get("aliases") or [])]
            if folded in (n.casefold() for n in names):
                return str(item["id"])
    qualified = QUALIFIED.match(name)
    code = country_code(qualified["country"]) if qualified else None
    if qualified is None or code is None:
        raise InputError(f"{name!r} is no place or organisation of this review: name one of them, or a new town "
                         "as Town (Country)")
    ident = f"{slugify(qualified['name'])}-{code.lower()}"
    if all(p["id"] != ident for p in review.data["places"]):
        review.data["places"].append({"id": ident, "name": qualified["name"].strip(), "kind": "City",
                                      "country": code, "sources": [source]})
    return ident


def text_of(review: Review) -> str:
    header = f"# Reviewed in the citygraph workbench from {review.source.name}\n"
    body = {s: v for s, v in review.data.items() if v}
    return header + yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=110, default_flow_style=None)


def save(review: Review, check: Callable[[Path], None]) -> Path:
    """Write the reviewed YAML to ``review.out``, once ``check(path)`` (a load's read and checks, nothing
    written) passed on it."""
    text = text_of(review)
    review.out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=review.out.parent, prefix=".review-", suffix=".yaml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        check(Path(tmp))
        os.replace(tmp, review.out)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return review.out


def load(review: Review, store: Store, run: Callable[[Store, Path, list[DocumentText]], Any],
         check: Callable[[Path], None]) -> Any:
    """Save, then load the saved file with ``replace`` (``run`` is the loaders' load), keeping the texts."""
    path = save(review, check)
    return run(store, path, list(review.texts.values()))
