"""Pilots that stand alone: one read from a table row or from a sentence (:mod:`.layouts`), each with that
row or sentence as its one item; the same pairing read twice (a table and a sentence) is one pilot."""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

from citygraph.loaders.documents import Block
from citygraph.loaders.report.drafts import ItemBlock, PilotDraft, clip
from citygraph.loaders.report.layouts import RowPairing, row_pairing, sentence_pairs
from citygraph.loaders.report.leadins import BULLET, lead_subject, listed_place
from citygraph.loaders.report.pairing import Party
from citygraph.loaders.report.pairings import Pairings
from citygraph.model.vocabulary import Bloc


def row_pilot(pairings: Pairings, pilots: list[PilotDraft], programme: str, block: Block) -> None:
    """A table row: a pilot if its cells pair a European and a partner place; a row that names places of
    two blocs and pairs none is not read."""
    found = row_pairing(block.header, block.cells, pairings.places, pairings.hint)
    if found is None:
        if sentence_pairs(" ; ".join(block.cells), pairings.places)[1]:
            pairings.not_read(block.line, block.text)
        return
    cells = "; ".join(f"{h}: {c}" if h else c for h, c in zip(block.header or ("",) * len(block.cells),
                                                                block.cells, strict=False) if c)
    _add(pairings, pilots, programme, found.europe, found.partner, (block.line, block.line), cells, found)


def paragraph_pilots(pairings: Pairings, pilots: list[PilotDraft], programme: str,
                     paragraph: list[tuple[int, str]]) -> None:
    """A prose paragraph, read whole (a sentence may wrap over lines): each pair it states is a pilot, whose
    item is the sentence that states it, on that sentence's lines."""
    text = " ".join(t for _, t in paragraph)
    starts = list(accumulate((len(t) + 1 for _, t in paragraph[:-1]), initial=0))  # each line's offset in text
    pairs, two_blocs = sentence_pairs(text, pairings.places, pairings.hint)
    for pair in pairs:
        a, b = pair.span
        first, last = bisect_right(starts, a) - 1, bisect_right(starts, max(a, b - 1)) - 1
        lines = (paragraph[first][0], paragraph[last][0])
        _add(pairings, pilots, programme, [pair.europe], [pair.partner], lines, text[a:b].strip(), weak=pair.weak)
    if two_blocs and not pairs:
        pairings.not_read(paragraph[0][0], text)


class LeadIns:
    """Lead-ins and the lists under them (:mod:`.leadins`), read across a report's blocks: a web page's list
    items come as blocks of their own after the lead-in's paragraph."""

    def __init__(self, pairings: Pairings) -> None:
        self.pairings = pairings
        self.lead: Party | None = None  # the place of the lead-in whose list is being read

    def read(self, pilots: list[PilotDraft], programme: str, paragraph: list[tuple[int, str]]) -> list[tuple[int, str]]:
        """A pilot for each list item under a lead-in in ``paragraph`` (or under the one before it); the other
        lines, to be read as prose."""
        rest = []
        for number, text in paragraph:
            if self.lead is not None and BULLET.match(text):
                listed_pilot(self.pairings, pilots, programme, self.lead, number, text)
                continue
            self.lead = lead_subject(text, self.pairings.places, self.pairings.hint)
            if self.lead is None:
                rest.append((number, text))
        return rest


def listed_pilot(pairings: Pairings, pilots: list[PilotDraft], programme: str, lead: Party, line: int,
                 text: str) -> None:
    """A list item under a lead-in (:mod:`.leadins`): a pilot of the lead-in's place and the item's, if they are
    of two blocs; an item that names no place, or one of the lead-in's bloc, is not read."""
    found = listed_place(text, pairings.places, pairings.hint)
    if found is None or (found.party.bloc == Bloc.EUROPE) == (lead.bloc == Bloc.EUROPE):
        pairings.not_read(line, text)
        return
    europe, partner = (lead, found.party) if lead.bloc == Bloc.EUROPE else (found.party, lead)
    _add(pairings, pilots, programme, [europe], [partner], (line, line), text, date=found.year)


def _add(pairings: Pairings, pilots: list[PilotDraft], programme: str, europe: list[Party], partner: list[Party],
         lines: tuple[int, int], text: str, row: RowPairing | None = None, weak: bool = False,
         date: str | None = None) -> None:
    pairings.found(europe + partner)
    heading = " – ".join(", ".join(_name(pairings, p) for p in side) for side in (europe, partner))
    draft = PilotDraft((row.number if row and row.number else None) or len(pilots) + 1, lines[0], clip(heading),
                       list(dict.fromkeys(p.id for p in europe)), list(dict.fromkeys(p.id for p in partner)),
                       partner[0].bloc, programme=programme, weak=weak)
    if any(p.id == draft.id for p in pilots):
        return  # the same pairing again: one pilot
    item = ItemBlock("row" if row or date else "sentence", lines[0], lines[1], 0, [(lines[0], text)],
                     date=row.date if row else date)
    draft.blocks.append((None, None, item))
    pilots.append(draft)


def _name(pairings: Pairings, party: Party) -> str:
    if party.fields:
        return str(party.fields["name"])
    entity = pairings.gaz.entities.get(party.id)
    return entity.name if entity else party.town.name if party.town else party.id
