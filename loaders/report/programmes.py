"""Programmes in a report's prose: the name the report gives one, and its figures.

A document may name its programme by title ("the International Urban Cooperation programme"): its pilots'
programme, whatever their partner country (which is a property of each pilot). A paragraph before a report's
pilots may name their programme ("EU–Latin
America city pairs", "EU-Korea urban innovation pairings"): the name is kept
as written when its partner side is a country or a known area, else the
pilots' partner country names it. Figures come from the same prose: "24 Pilot
projects", "Three pairings", "9 city pairs" (pilots), "14 MoUs have been
signed", "no MoU has been signed" (signed agreements, 0 for none), each for
the programme of the pilots that follow the paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from citygraph.loaders.dataset.model import ProgrammeItem, SourceRef
from citygraph.model.countries import country_code
from citygraph.model.vocabulary import slugify

NUMBERS = {"no": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
           "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
COUNT = r"(\d+|" + "|".join(NUMBERS) + r")"
#: "24 Pilot projects", "Three pairings", "9 city pairs": a programme's pilots.
PILOTS_TOTAL = re.compile(rf"\b{COUNT}\s+(?:pilot\s+projects?|pairings?|city\s+pairs?)\b", re.IGNORECASE)
#: "14 MoUs have been signed", "no MoU has been signed": a programme's signed agreements.
MOUS = re.compile(rf"\b{COUNT}\s+(?:mous?|memoranda|agreements?)\s+(?:have|had|has|were|was)\s+(?:been\s+)?signed",
                  re.IGNORECASE)
#: "EU–Latin America", "EU-Korea": a programme as the report names it.
NAMED_PROGRAMME = re.compile(r"\bEU\s*[-–—]\s*([A-Z][\w]+(?:\s+[A-Z][\w]+)?)")
#: "the International Urban Cooperation programme", "World Cities Programme": the programme a document names.
PROGRAMME_TITLE = re.compile(r"\b((?:[A-Z][\w'’-]*\s+){0,5}[A-Z][\w'’-]*)\s+(?:programme|program)\b")
#: Partner areas a programme may be named after besides countries ("EU–Latin America").
AREAS = ("Latin America", "Africa", "Asia", "South Asia", "Southeast Asia", "ASEAN", "Middle East", "Gulf",
         "Central Asia", "Mediterranean", "Western Balkans", "Caribbean", "Pacific", "North America", "Korea")

#: A paragraph: its numbered lines.
Paragraph = Sequence[tuple[int, str]]


def named_programme(text: str) -> str:
    """The programme the text names last ("EU-Indonesia Urban Partnerships" -> EU-Indonesia), or ""."""
    named = [n for m in NAMED_PROGRAMME.finditer(text) if (n := _partner_area(m.group(1)))]
    return _programme_name(f"EU-{named[-1]}") if named else ""


def programme_title(text: str) -> str:
    """The programme a document's text names by its title ("International Urban Cooperation"), or ""."""
    m = PROGRAMME_TITLE.search(text)
    if not m:
        return ""
    words = m.group(1).split()
    while words and words[0] in ("The", "This", "Our", "A", "An", "EU", "In", "Under"):
        words = words[1:]
    return " ".join(words) if words and not NAMED_PROGRAMME.search(m.group(1)) else ""


def figures(paragraphs: Sequence[Paragraph], pilots: Sequence[tuple[int, str]], document: str,
            path: str) -> list[ProgrammeItem]:
    """Programme figures from the prose paragraphs, each for the programme of the first of ``pilots``
    ((line, programme) in order) after it, else of the last one."""
    out: dict[str, ProgrammeItem] = {}
    for lines in paragraphs:
        text = " ".join(t for _, t in lines)
        total, mous = PILOTS_TOTAL.search(text), MOUS.search(text)
        if not (total or mous) or not pilots:
            continue
        programme = next((p for line, p in pilots if line > lines[0][0]), pilots[-1][1])
        item = out.setdefault(programme, ProgrammeItem(id=slugify(programme), name=programme,
                                                       where=f"{path}:{lines[0][0]}"))
        item.pilots_total = _number(total.group(1)) if total else item.pilots_total
        item.mous_signed = _number(mous.group(1)) if mous else item.mous_signed
        item.sources.append(SourceRef(document=document, line_start=lines[0][0], line_end=lines[-1][0]))
    return list(out.values())


def _partner_area(words: str) -> str | None:
    """The country or area ``words`` begin with ("Indonesia Urban" -> Indonesia), as written, or None."""
    parts = words.split()
    for n in (2, 1):
        name = " ".join(parts[:n])
        if len(parts) >= n and (name in AREAS or country_code(name)):
            return name
    return None


def _programme_name(name: str) -> str:
    """A programme name the model accepts ("EU-Latin America"), or "" (then the partner's bloc names it)."""
    try:
        return str(ProgrammeItem(id="p", name=name).name)
    except ValueError:
        return ""


def _number(word: str) -> int:
    return int(word) if word.isdigit() else NUMBERS[word.lower()]
