"""Lists of pairs from elsewhere (twin towns, partnerships): one cooperation per pair of places.

Rows are read as their authors wrote them: country names in any common form,
a pair listed twice or from both sides (one cooperation citing every row that
states it), namesakes told apart by optional coordinates or GeoNames ids.
A row that cannot be read is rejected with its ``file:line`` and reason; the
others still load if the caller skips rejected rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product
from typing import Any

from pydantic import ValidationError

from citygraph.loaders.dataset.compact import Items
from citygraph.loaders.dataset.model import Cooperation, Dataset, Document, Place, ReadCounts, Rejected, SourceRef
from citygraph.loaders.formats.ends import PairEnds, RowProblem
from citygraph.loaders.formats.tabular import Table, TableRow
from citygraph.loaders.options import PAIR_KEYS
from citygraph.loaders.resolve.places import PlaceProblem, PlaceResolver, Resolved
from citygraph.model.vocabulary import Channel, slugify


def _validation_message(e: ValidationError) -> str:
    first = e.errors()[0]
    field_name = ".".join(str(p) for p in first["loc"])
    message = first["msg"].removeprefix("Value error, ")
    return f"{field_name}: {message}" if field_name else message


@dataclass
class PairsRead:
    """A pair list read: its places and cooperations, the rows it rejected, and what it counted."""

    dataset: Dataset
    rejected: list[Rejected] = field(default_factory=list)
    counts: ReadCounts = field(default_factory=ReadCounts)


class PairReader:
    """Reads one table of pairs row by row; places and cooperations by id, so repeated pairs merge."""

    def __init__(self, table: Table, columns: dict[str, str], channel: Channel, places: PlaceResolver) -> None:
        table.require([columns[k] for k in PAIR_KEYS if k in columns], "named in `columns`")
        self.table, self.columns, self.channel, self.resolver = table, columns, channel, places
        self.document = slugify(table.path.stem) or "pairs"
        self.places: dict[str, Place] = {}
        self.stated_places: set[tuple[Any, ...]] = set()  # (id, fields…) of each place defined so far
        self.ends = PairEnds(columns, places)
        self.placed: dict[int, Resolved] = {}  # the resolutions whose place a row has defined, by identity
        self.cooperations: Items[Cooperation] = Items(Cooperation)  # held compact, in the order first stated
        self.coop_ids: set[str] = set()
        self.restated: dict[str, list[tuple[SourceRef, str | None]]] = {}  # id -> (source, date) of later rows
        self.result = PairsRead(Dataset())

    def read(self) -> PairsRead:
        notes: list[Rejected] = []  # rejected rows of one cell, not followed by any other row yet
        for row in self.table.rows:
            self.result.counts.rows += 1
            self.result.rejected += notes
            notes = []
            try:
                self._row(row)
            except (RowProblem, PlaceProblem, ValidationError) as e:
                said = _validation_message(e) if isinstance(e, ValidationError) else str(e)
                rejected = Rejected(row.where, said, row.values)
                one_cell = sum(1 for v in row.values.values() if v) == 1
                (notes if one_cell else self.result.rejected).append(rejected)
        self.result.counts.notes = len(notes)  # a source or a note below the list, never a pair of places
        d = self.result.dataset
        d.places.extend(self.places.values())
        if self.restated:
            self.cooperations.rewrite_where("id", self.restated, self._with_restatements)
        d.cooperations.extend(self.cooperations)
        d.documents.append(Document(id=self.document, title=f"Pairs from {self.table.path.name}",
                                    file=self.table.path.name, where=str(self.table.path)))
        return self.result

    def _written(self, row: TableRow, side: str, name: str) -> str:
        """One end as the row writes it: the town, and its country where the list has one."""
        country = self.ends.cell(row, side + "_country")
        return f"{name} ({country})" if country else name

    def _row(self, row: TableRow) -> None:
        """The row's pairs (one, or each place of one side with each of the other where a cell names several),
        all checked before any is kept: a row is read whole or rejected whole."""
        if row.problem:
            raise RowProblem(row.problem)
        line = int(row.where.rsplit(":", 1)[1])
        source = SourceRef(document=self.document, line_start=line, line_end=line)
        checked = []
        for (name_a, a), (name_b, b) in product(*(self.ends.ends(row, side) for side in "ab")):
            if a.id == b.id:
                raise RowProblem(f"both ends are the same place: {self._written(row, 'a', name_a)!r} and "
                                 f"{self._written(row, 'b', name_b)!r} are both {a.id!r}")
            coop_id = f"{self.channel.value}-{'-'.join(sorted((a.id, b.id)))}"
            stated = self._cooperation(row, coop_id, [a, b], source, f"{name_a} – {name_b}")
            checked.append((coop_id, stated, [self._place(end, row.where) for end in (a, b)]))
        for coop_id, stated, places in checked:
            self._keep(coop_id, stated, places, source)

    def _keep(self, coop_id: str, stated: Cooperation, places: list[tuple[Resolved, Place | None]],
              source: SourceRef) -> None:
        for place in places:
            self._keep_place(place)
        if coop_id in self.coop_ids:
            self.result.counts.merged += 1
            self.restated.setdefault(coop_id, []).append((source, stated.date))
        else:
            self.coop_ids.add(coop_id)
            self.cooperations.append(stated)

    def _with_restatements(self, coop: Cooperation) -> Cooperation:
        """A pair stated again (listed twice, or from both sides): one cooperation citing every row, dated by
        the first row that gives a date."""
        for source, date in self.restated.get(coop.id, ()):
            coop.sources.append(source)
            coop.date = coop.date or date
        return coop

    def _place(self, end: Resolved, where: str) -> tuple[Resolved, Place | None]:
        """The place a row defines (validated), or None where the gazetteer or the graph has it, or where an
        earlier row defined the very same place (same id, same fields: it would add nothing, and validating
        it again cost a third of reading a list)."""
        if end.fields is None or id(end) in self.placed:
            return end, None
        stated = (end.id, *sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in end.fields.items()))
        if stated in self.stated_places:
            return end, None
        return end, Place.model_validate({**end.fields, "where": where})

    def _keep_place(self, resolved: tuple[Resolved, Place | None]) -> None:
        end, place = resolved
        if place is None:
            return
        assert end.fields is not None
        self.placed[id(end)] = end  # kept, so that its id names no other resolution
        self.stated_places.add((end.id, *sorted((k, tuple(v) if isinstance(v, list) else v)
                                                for k, v in end.fields.items())))
        known = self.places.setdefault(place.id, place)
        if known is place:  # cites no row of its own: the cooperations that involve it cite theirs
            self.result.counts.world += end.found_in == "world"
            self.result.counts.as_written += end.found_in == "as written"
            self.result.counts.without_country += end.without_country
            return
        spellings = [place.name, *place.aliases]
        known.aliases += [a for a in spellings if a != known.name and a not in known.aliases]

    def _cooperation(self, row: TableRow, coop_id: str, ends: list[Resolved], source: SourceRef,
                     names: str) -> Cooperation:
        sectors = [s.strip() for s in self.ends.cell(row, "sector").split(";") if s.strip()]
        return Cooperation.model_validate({
            "id": coop_id, "title": self.ends.cell(row, "title") or f"{names} {self.channel.value}",
            "channel": self.channel, "involves": [e.id for e in ends], "sources": [source],
            "date": self.ends.cell(row, "date") or None, "sectors": sectors, "where": row.where})


def read_pairs(table: Table, columns: dict[str, str], channel: Channel, places: PlaceResolver) -> PairsRead:
    """A table of place pairs (twin towns, partnerships) as cooperations of ``channel``."""
    return PairReader(table, columns, channel, places).read()
