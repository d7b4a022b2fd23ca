"""Reading inputs: files by kind (reports, structured files, pair lists), or the bundled knowledge base.

Whatever the inputs refer to in the gazetteers (the bundled World Cities
entities, and a user's ``--gazetteer FILE``) comes along, with the places
those entities sit in; nothing else of the gazetteers enters the graph.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import psutil

from citygraph.core.errors import InputError
from citygraph.core.resources import resource_dir
from citygraph.loaders.budget import over_budget
from citygraph.loaders.dataset.model import Dataset, ReadCounts, Rejected, Unresolved
from citygraph.loaders.documents import CONTAINERS, MAX_REPORT_BYTES, TEXT_REPORTS
from citygraph.loaders.formats.pairs import read_pairs
from citygraph.loaders.formats.structured import read_canonical_csv, read_mapping_file
from citygraph.loaders.formats.tabular import MAX_BYTES, TABLE_SUFFIXES, check_path, check_size, read_table
from citygraph.loaders.gazetteers import ENTITY_SECTIONS, gazetteers
from citygraph.loaders.options import ReadOptions
from citygraph.loaders.plan import references
from citygraph.loaders.report.pairing import Party
from citygraph.loaders.report.parser import parse_report
from citygraph.loaders.resolve.citing import cite_named
from citygraph.loaders.resolve.places import PlaceResolver
from citygraph.loaders.resolve.world import name_key
from citygraph.loaders.resolve.worldindex import world
from citygraph.loaders.runtime.gcpause import without_cyclic_gc
from citygraph.model.vocabulary import bloc_of_country
from citygraph.store import Row
from citygraph.store.texts import DocumentText

#: An empty list is an error, so that one cut short is noticed.
NO_ROWS = "a list of pairs with a header and no rows: nothing to load"
BUNDLED_FILES = ("gazetteer.yaml", "world-cities.yaml")


@dataclass
class Loaded:
    dataset: Dataset
    unresolved: list[Unresolved] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    counts: ReadCounts = field(default_factory=ReadCounts)
    extracted: list[str] = field(default_factory=list)  # organisations reports named, kinds guessed
    texts: list[DocumentText] = field(default_factory=list)  # the reports' blocks, kept for their cited lines


@cache
def known_base() -> Dataset:
    """The bundled knowledge base, read once, only to recognise the reports it records (never changed)."""
    return bundled_dataset()


def bundled_dataset() -> Dataset:
    """The bundled gazetteer and knowledge base, each entity citing the facts that name it."""
    data = resource_dir("data")
    dataset = Dataset()
    for name in BUNDLED_FILES:
        dataset.extend(read_mapping_file(data / name))
    cite_named(dataset)
    return dataset


class _Reader:
    """Reads paths one by one into one :class:`Loaded`."""

    def __init__(self, options: ReadOptions, graph_places: Callable[[], Iterable[Row]]) -> None:
        self.options = options
        self.columns = options.pair_columns
        self.entities, self.gazetteer = gazetteers(options.gazetteer)
        self._graph_places = graph_places
        self._resolver: PlaceResolver | None = None
        self._graph_rows: list[Row] | None = None
        self._graph_names: dict[str, tuple[str, str]] | None = None
        self.loaded = Loaded(Dataset())
        self.reports: list[str] = []  # the documents of the reports read, whose facts' parties cite them

    @property
    def graph_rows(self) -> list[Row]:
        """The places already in the graph, read once per load, when first needed."""
        if self._graph_rows is None:
            self._graph_rows = list(self._graph_places())
        return self._graph_rows

    @property
    def resolver(self) -> PlaceResolver:
        if self._resolver is None:
            self._resolver = PlaceResolver(self.gazetteer, self.graph_rows, world())
        return self._resolver

    def graph_place(self, name: str) -> Party | None:
        """A place already in the graph called ``name`` (name or alias), read from the graph on first ask."""
        if self._graph_names is None:
            self._graph_names = {}
            for row in self.graph_rows:
                for alias in (row["name"], *(row.get("aliases") or [])):
                    self._graph_names.setdefault(name_key(alias), (row["id"], row["country"] or ""))
        found = self._graph_names.get(name_key(name))
        return Party(found[0], bloc_of_country(found[1])) if found else None

    def read(self, path: Path) -> None:
        check_path(path)
        suffix = path.suffix.lower()
        if self.columns and suffix not in TABLE_SUFFIXES:
            raise InputError("`columns` applies to tables only (.csv, .tsv, .xlsx)", str(path))
        if suffix in CONTAINERS:
            report = parse_report(path, self.gazetteer, known_base(), self.graph_place)
            self.loaded.dataset.extend(report.dataset)
            self.reports += [d.id for d in report.dataset.documents]
            self.loaded.unresolved.extend(report.unresolved)
            self.loaded.counts.extracted += len(report.extracted)
            self.loaded.extracted.extend(report.extracted)
            if report.text is not None:
                self.loaded.texts.append(report.text)
        elif suffix in (".yaml", ".yml", ".json"):
            self.loaded.dataset.extend(read_mapping_file(path, self.loaded.rejected))
        elif suffix in TABLE_SUFFIXES:
            self._table(path)
        else:
            raise InputError(f"unknown file type {suffix or '(none)'}: citygraph loads reports (.txt, .md, .html, "
                             ".docx, .pdf), .yaml, .json and .csv/.tsv/.xlsx tables", str(path))

    def _table(self, path: Path) -> None:
        o = self.options
        if self.columns is None:  # a canonical table: one section of a set, which may have nothing to say
            self.loaded.dataset.extend(read_canonical_csv(path, encoding=o.encoding, sheet=o.sheet,
                                                          rejected=self.loaded.rejected))
            return
        table = read_table(path, encoding=o.encoding, sheet=o.sheet, header_with=list(self.columns.values()))
        pairs = read_pairs(table, self.columns, o.channel, self.resolver)
        if not pairs.counts.rows:
            raise InputError(NO_ROWS, str(path))
        self.loaded.dataset.extend(pairs.dataset)
        self.loaded.rejected.extend(pairs.rejected)
        self.loaded.counts.add(pairs.counts)

    def finish(self) -> Loaded:
        bring_referenced(self.loaded.dataset, self.entities)
        cite_named(self.loaded.dataset, self.reports)
        self.loaded.counts.rejected = len(self.loaded.rejected)
        return self.loaded


@without_cyclic_gc
def read_paths(paths: list[Path], options: ReadOptions | None = None,
               graph_places: Callable[[], Iterable[Row]] = list,
               on_file: Callable[[Path], None] | None = None) -> Loaded:
    """Every path into one Dataset; ``graph_places()`` gives the places already in the graph (for names);
    ``on_file(path)`` is told before each file is read. A load the free memory cannot hold is refused first."""
    options = options or ReadOptions()
    for path in paths:  # each file's own limits first: they say more than the memory estimate
        check_path(path)
        check_size(path, MAX_REPORT_BYTES if path.suffix.lower() in TEXT_REPORTS else MAX_BYTES)
    problem = over_budget(paths, options.columns is not None, psutil.virtual_memory().available)
    if problem:
        raise InputError(problem)
    reader = _Reader(options, graph_places)
    for path in paths:
        if on_file:
            on_file(path)
        reader.read(path)
    return reader.finish()


def bring_referenced(dataset: Dataset, entities: Dataset) -> None:
    """Add the gazetteer entities ``dataset`` refers to, and the places and organisations they need."""
    entries = {e.id: (section, e) for section in ENTITY_SECTIONS for e in getattr(entities, section)}
    defined = {e for section in ("places", "organisations", "people", "pilots", "cooperations", "agreements",
                                 "events", "programmes") for e in getattr(dataset, section).column("id")}
    candidates = entries.keys() - defined  # a few hundred ids at most: the rest of the references need no entry
    wanted = list(dict.fromkeys(ref for ref, _, _ in references(dataset) if ref in candidates))  # first-named order
    while wanted:
        ref = wanted.pop()
        if ref in defined or ref not in entries:
            continue
        section, entry = entries[ref]
        getattr(dataset, section).append(entry.model_copy(deep=True))
        defined.add(ref)
        wanted += [r for r in (getattr(entry, "part_of", None), getattr(entry, "located_in", None),
                               getattr(entry, "organisation", None)) if r and r not in defined]
