"""Provenance for entities: a place, organisation or person cites the lines of the facts that name it.

Reports name their parties inside facts (a pilot's heading, a bullet, an
agreement's sentence); each such party cites those lines too, so
``query provenance -p id=keele-university`` answers where the reports name
Keele University. Only the documents given (the reports of a load) are cited
this way: a list of pairs already cites each row on its cooperation, and a
second citation per place would double its rows for no new answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from citygraph.loaders.dataset.compact import Items
from citygraph.loaders.dataset.model import Dataset, SourceRef

#: Sections holding entities that facts name.
ENTITY_SECTIONS = ("places", "organisations", "people")


def cite_named(dataset: Dataset, documents: Iterable[str] | None = None) -> None:
    """Give each entity of ``dataset`` the sources of the facts that name it (of ``documents`` only; None: of
    every document), beside the sources it has."""
    wanted = None if documents is None else set(documents)
    if wanted is not None and not wanted:
        return  # no report among the inputs: nothing to cite
    named: dict[str, dict[str, SourceRef]] = {}

    def cite(ids: Iterable[str], sources: list[SourceRef]) -> None:
        for ref in sources:
            if wanted is None or ref.document in wanted:
                for entity in ids:
                    named.setdefault(entity, {})[ref.id] = ref

    for pilot in dataset.pilots:
        cite(pilot.europe + pilot.partner, pilot.sources)
    for involved, sources in dataset.cooperations.select("involves.id", "sources"):
        cite(involved, sources)
    for agreement in dataset.agreements:
        cite(agreement.signed_by, agreement.sources)
    if not named:
        return
    for section in ENTITY_SECTIONS:
        entities: Items[Any] = getattr(dataset, section)
        entities.rewrite(_cited(entity, named) for entity in entities)


def _cited(entity: Any, named: dict[str, dict[str, SourceRef]]) -> Any:
    if entity.id in named:
        entity.sources = list({r.id: r for r in [*entity.sources, *named[entity.id].values()]}.values())
    return entity
