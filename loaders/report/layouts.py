"""Pairings written other ways than a numbered line: a table row, a sentence, a comma list of pairs.

- **Table rows:** the place columns are found from the cells (a cell naming a European place is the European
  side, one naming a place elsewhere the partner); a ``Country`` column next to a place column gives that
  place's country; a topics or sector column gives sectors, a year or date column the start, a ``No.``
  column the pilot's number. No header word is needed, and none is tuned to one document.
- **Sentences and comma lists:** ``Bologna (Italy) and Austin (United States) were paired``, ``added
  Zagreb (Croatia) and Córdoba (Argentina), Málaga (Spain) and Cartagena (Colombia)``: places qualified
  in parentheses joined by ``and``, ``with`` or a dash are pairs; unqualified ones (``Lyon and Shantou``)
  only where the text says they were paired, twinned or partnered, or where their own sentence says they
  cooperate (``Nagoya and Turin continued their cooperation``, ``Hamburg cooperates with Kobe``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from citygraph.loaders.report.pairing import Party
from citygraph.loaders.report.written import WrittenPlaces
from citygraph.model.vocabulary import Bloc

#: Words that say two places were made partners.
PAIRED = re.compile(r"\b(?:paired|twinn?ed|partnered|matched|sister (?:cities|towns))\b", re.IGNORECASE)
#: Words that say two places work together ("Nagoya and Turin continued their cooperation", "a collaboration
#: between Bilbao and Kitakyushu", "Hamburg cooperates with Kobe"): within their own sentence only.
COOPERATING = re.compile(r"\b(?:co-?operat\w*|collaborat\w*|partnerships?|works? (?:together )?with)\b",
                         re.IGNORECASE)
#: Where one sentence ends and the next begins.
SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-Z\u00C0-\u024F])")
#: A town named bare in a sentence that only says it cooperates is read as one from this many people.
BARE_POPULATION = 100_000
#: Names of blocs and unions, never towns here.
BLOC_WORDS = {"europe", "european union", "eu", "asia", "africa", "america", "latin america"}
#: What joins the two places of a pair.
JOIN = re.compile(r"^\s*(?:and|with|&|–|—|-|/|\+)\s*$", re.IGNORECASE)
#: A verb that joins them: ``Hamburg cooperates with Kobe``.
WORKS_WITH = re.compile(r"^\s*(?:(?:also|further|now|still|closely)\s+)?(?:co-?operates?|collaborates?|works?|"
                        r"partners?)\s+(?:(?:closely|together)\s+)?with\s*$", re.IGNORECASE)
#: The same subject again: ``Hamburg cooperates with Mumbai on ports and with Chengdu on mobility``.
AND_WITH = re.compile(r"[^.;!?]*\band\s+(?:also\s+)?with\s*$", re.IGNORECASE)
SMALL = {"de", "del", "della", "di", "do", "da", "dos", "la", "le", "les", "el", "upon", "on", "am", "an", "im",
         "sur", "en", "y"}
WORD = re.compile(r"[^\s(),;:]+")
YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
TOPICS = re.compile(r"topic|sector|theme|area|focus|field|subject|issue", re.IGNORECASE)
WHEN = re.compile(r"year|date|joined|since|round|start|signed|period", re.IGNORECASE)
COUNTRY = re.compile(r"country|nation", re.IGNORECASE)
NUMBER = re.compile(r"^\s*(?:no\.?|nr\.?|#|number|pilot)\s*$", re.IGNORECASE)


@dataclass
class RowPairing:
    """What one table row pairs, with what its other cells say."""

    europe: list[Party]
    partner: list[Party]
    topics: str
    date: str | None
    number: int | None


def _side(parties: list[Party]) -> tuple[list[Party], list[Party]]:
    europe = [p for p in parties if p.bloc == Bloc.EUROPE]
    return europe, [p for p in parties if p.bloc != Bloc.EUROPE]


def _cell_places(cell: str, places: WrittenPlaces, country: str | None) -> list[Party]:
    """The places a cell names: the whole cell, else its parts (``Eindhoven, Tampere and Barcelona``)."""
    whole = places.place(cell, country)
    if whole is not None:
        return [whole]
    parts = [p for p in re.split(r"\s*(?:;|/|,|\band\b|&)\s*", cell) if p.strip()]
    found = [places.place(p, country) for p in parts] if len(parts) > 1 else []
    return [p for p in found if p is not None] if found and all(found) else []


def row_pairing(header: tuple[str, ...], cells: tuple[str, ...], places: WrittenPlaces,
                hint: str | None = None) -> RowPairing | None:
    """The pairing a table row states, or None if its cells name no European and partner place."""
    from citygraph.model.countries import country_code

    named = dict(enumerate(header))
    topics = " ".join(c for i, c in enumerate(cells) if TOPICS.search(named.get(i, "")))
    when = " ".join(c for i, c in enumerate(cells) if WHEN.search(named.get(i, "")))
    number = next((int(c) for i, c in enumerate(cells) if NUMBER.match(named.get(i, "")) and c.strip().isdigit()),
                  None)
    found: list[Party] = []
    for i, cell in enumerate(cells):
        role = named.get(i, "")
        if TOPICS.search(role) or WHEN.search(role) or NUMBER.match(role) or COUNTRY.search(role) or not cell.strip():
            continue
        beside = cells[i + 1] if i + 1 < len(cells) and COUNTRY.search(named.get(i + 1, "")) else None
        found += _cell_places(cell, places, country_code(beside) if beside else None) or \
            (_cell_places(cell, places, hint) if hint else [])
    europe, partner = _side(found)
    if not (europe and partner):
        return None
    year = YEAR.search(when)
    return RowPairing(europe, partner, topics, year.group(1) if year else None, number)


#: The most words one place name has ("Santa Cruz de la Sierra").
MAX_RUN = 6
#: Capitalised words that begin sentences rather than place names.
OPENERS = {"The", "In", "At", "On", "And", "Also", "Both", "While", "When", "Then", "This", "These", "Since", "From",
           "With", "By", "For", "After", "Before", "During", "Its", "Their", "A", "An", "Later", "Finally", "As",
           "Currently", "Whereas", "Although", "Many", "Here", "There", "Today", "Now"}


def _runs(text: str) -> list[tuple[int, int]]:
    """Spans of capitalised word runs (``Frankfurt am Main``, ``Santa Cruz de la Sierra``), spaces between."""
    runs: list[list[int]] = []
    last_end, last_small = -2, False
    for w in WORD.finditer(text):
        token = w.group()
        joined = bool(runs) and last_end >= 0 and text[last_end:w.start()].strip() == ""
        if token[0].isupper():
            if joined and len(text[runs[-1][0]:w.end()].split()) <= MAX_RUN:
                runs[-1][1] = w.end()
            else:
                runs.append([w.start(), w.end()])
            last_small = False
        elif token.lower() in SMALL and joined and not last_small:
            last_small = True  # may join two capitalised words; a run never ends on one
        else:
            last_small = False
            last_end = -2
            continue
        last_end = w.end()
    return [(a, b) for a, b in runs]



def _candidates(text: str, span: tuple[int, int]) -> list[str]:
    """The names a run may be, longest first: ``In Bologna`` may be ``Bologna``."""
    words = text[span[0]:span[1]].split()
    return [" ".join(words[i:]) for i in range(len(words)) if words[i][0].isupper()]


def _place(text: str, span: tuple[int, int], places: WrittenPlaces, hint: str | None,
           qualifier: str = "") -> Party | None:
    """The place a run names (with its parenthesised ``qualifier``): the longest reading found in a gazetteer,
    the graph or the towns, else the run kept as written where a country qualifies it."""
    names = [n for n in _candidates(text, span) if n not in OPENERS]
    for name in names:
        party = places.place(f"{name} {qualifier}".strip(), hint, strict=True)
        if party is not None:
            return party
    plain = [n for n in names if n.split()[0] not in OPENERS]
    return places.place(f"{plain[0]} {qualifier}".strip(), hint) if plain and qualifier else None


def _bare_place(text: str, span: tuple[int, int], places: WrittenPlaces, hint: str | None) -> Party | None:
    """The place a run names where nothing but its sentence's cooperation wording says it is one: the whole
    run (after an opener), not a country or an acronym, and a known place or a town of
    :data:`BARE_POPULATION` people or more (``Union`` in ``European Union``, ``Eu`` and ``As`` are not)."""
    from citygraph.model.countries import country_code

    words = text[span[0]:span[1]].split()
    while words and words[0] in OPENERS:
        words = words[1:]
    name = " ".join(words).strip(" .,;:")
    if not name or (len(name) <= 3 and name.isupper()) or country_code(name) or name.lower() in BLOC_WORDS:
        return None
    party = places.place(name, hint, strict=True)
    if party is None or party.fields is None:
        return party  # a gazetteer's or the graph's place, or none
    world = places.resolver.world
    town = world.by_id(party.fields["geonames"]) if world is not None and party.fields.get("geonames") else None
    return party if town is not None and town.population >= BARE_POPULATION else None


@dataclass
class SentencePair:
    """A (European, partner) pair a sentence states, with that sentence's span in the text read; ``weak``: read
    from cooperation wording alone, so a numbered pairing of the same places is the pilot's own line."""

    europe: Party
    partner: Party
    span: tuple[int, int]
    weak: bool


def sentence_pairs(text: str, places: WrittenPlaces, hint: str | None = None) -> tuple[list[SentencePair], bool]:
    """The pairs a sentence (or a comma list of pairs, or a paragraph) states, and whether it names places of
    two blocs at all (so a sentence that does and yields no pair is reported, not dropped)."""
    paired = bool(PAIRED.search(text))
    sentences = _sentences(text)
    cooperating = [] if paired else [(a, b) for a, b in sentences if COOPERATING.search(text, a, b)]
    named: list[tuple[int, int, Party, bool]] = []
    masked = re.sub(r"\([^()]*\)", lambda m: " " * len(m.group()), text)  # a qualifier names no place itself
    for start, end in _runs(masked):
        qualifier = re.match(r"\s*(\([^()]{2,60}\))", text[end:])
        weak = not (qualifier or paired)
        if weak and not any(a <= start < b for a, b in cooperating):
            continue
        party = _bare_place(text, (start, end), places, hint) if weak else \
            _place(text, (start, end), places, hint, qualifier.group(1) if qualifier else "")
        if party is not None:
            named.append((start, end + (qualifier.end() if qualifier else 0), party, weak))
    pairs = []
    subject: tuple[Party, bool] | None = None  # who "cooperates with" the place before: "… and with" it again
    for (_, end, a, weak_a), (start, _, b, weak_b) in zip(named, named[1:]):
        between = text[end:start]
        if WORKS_WITH.match(between):
            subject = (a, weak_a)
        elif subject is not None and AND_WITH.match(between):
            a, weak_a = subject
        elif not JOIN.match(between):
            subject = None
            continue
        if (a.bloc == Bloc.EUROPE) != (b.bloc == Bloc.EUROPE):
            europe, partner = (a, b) if a.bloc == Bloc.EUROPE else (b, a)
            span = next(((x, y) for x, y in sentences if x <= end <= y), (0, len(text)))
            pairs.append(SentencePair(europe, partner, span, weak_a or weak_b))
    return pairs, len({p.bloc == Bloc.EUROPE for _, _, p, _ in named}) == 2


def _sentences(text: str) -> list[tuple[int, int]]:
    """The spans of the sentences of ``text``."""
    starts = [0, *(m.end() for m in SENTENCE_END.finditer(text))]
    return [(a, b) for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]

