"""What an item's text names: places and organisations the gazetteer knows, organisations recognised by the
form of their names (:mod:`citygraph.loaders.report.orgnames`), and names that look like parties and are
reported as unresolved, with their lines."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from citygraph.loaders.dataset.model import MAX_ID, Unresolved
from citygraph.loaders.report.drafts import EMAIL, URL, PilotDraft
from citygraph.loaders.report.happenings import sentences
from citygraph.loaders.report.orgnames import acronym_after, conjunctions, described, kind_of, listed_companies
from citygraph.loaders.report.pairing import Party
from citygraph.loaders.resolve.gazetteer import Gazetteer, Match, fold
from citygraph.loaders.resolve.worldindex import world
from citygraph.model.vocabulary import slugify

ORG_WORD = (
    r"(?:Universit(?:y|ies)|Clusters?|Port|Bureau|Agency|Association|Council|Commission|Fund|Chambers?|"
    r"School|Institute|Cent(?:re|er)|Embassy|Zone|District|Studios|Campus|Corporation|Authority|"
    r"Department|Unit|Hub|Administration|Plants?|Ministry|Company|Companies|Government)"
)
CAP = r"[A-Z][\w'’&.]*(?:-[\w'’&.]+)*"
PHRASE = re.compile(rf"{CAP}(?:\s+(?:(?:of|and|de|do|da|di|del|della|des|du|for|the|&)\s+)?{CAP})*")
ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{2,}$")
#: A place named for comparison is no party ("Similar to Chandigarh, ENEA offered …").
COMPARED = re.compile(
    r"(\b(?:[Ss]imilar(?:ly)? to|[Aa]s in|[Aa]s with|[Ll]ike in)\s+)([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*)")
#: A leading article is not part of a name ("the Port of Rosario").
ARTICLE = re.compile(r"^(?:the|la|el|le|les|der|die|das|il|lo)\s+", re.IGNORECASE)


@dataclass
class ExtractedOrg:
    """An organisation recognised by the form of its name: its kind is a guess, its place found or guessed."""

    name: str
    kind: str
    acronym: str | None
    line: int
    located_in: str | None = None


class Names:
    """Finds what lines name, keeping the organisations extracted by their names' form and the unresolved."""

    def __init__(self, path: Path, gazetteer: Gazetteer, unresolved: list[Unresolved],
                 world_towns: list[Party], where: Callable[[int], str] | None = None) -> None:
        self.path, self.gaz = path, gazetteer
        self.where: Callable[[int], str] = where or (lambda line: f"{path}:{line}")
        self.unresolved = unresolved
        self.world_towns = world_towns  # pairing places only the world gazetteer knew
        self.extracted: dict[str, ExtractedOrg] = {}  # organisations recognised by their names' form

    def names(self, lines: list[tuple[int, str]]) -> tuple[list[Match], list[str]]:
        """What the lines name: gazetteer matches, and the ids of organisations recognised by the form of their
        names (:mod:`citygraph.loaders.report.orgnames`); other names that look like parties are reported. The lines
        are read as one text, so a name wrapped over two lines is one name."""
        found: list[Match] = []
        text, line_at = _joined(lines)
        text = EMAIL.sub(lambda m: " " * len(m.group(0)), URL.sub(lambda m: " " * len(m.group(0)), text))
        listed = [(a, b, [n for n in names if not self._a_place(n)]) for a, b, names in listed_companies(text)]
        text, orgs = self.named_together(text, conjunctions(text) + listed, line_at, found)
        for start, end, name, kind in described(text):
            orgs.append(self.organisation(name, None, line_at(start), found, kind))
            text = text[:start] + " " * (end - start) + text[end:]
        text = COMPARED.sub(lambda m: m.group(1) + " " * len(m.group(2)), text)  # "Similar to Chandigarh"
        matches = self.gaz.find(text)
        found.extend(m for m in matches if not self.is_country(m))  # "(DK)", "to China": no party
        masked = list(text)
        for m in matches:
            masked[m.start : m.end] = " " * (m.end - m.start)
        aliases: set[str] = set()
        for cand in PHRASE.finditer("".join(masked)):
            parts = _split_pair(ARTICLE.sub("", cand.group(0).strip(" .'’")), cand.end())
            for name, end in parts:
                if fold(name) in self.gaz.not_entities or name in aliases:
                    continue
                if kind_of(name):
                    acronym = acronym_after(text, end)
                    aliases.add(acronym or "")
                    orgs.append(self.organisation(name, acronym, line_at(cand.start()), found))
                elif re.search(rf"\b{ORG_WORD}\b", name) and len(name.split()) > 1 or ACRONYM.match(name) \
                        or len(parts) > 1:  # named beside an organisation, and unknown
                    self.unresolved.append(Unresolved(self.where(line_at(cand.start())), name, line_at(cand.start())))
        return found, [o for o in orgs if o]

    def named_together(self, text: str, spans: list[tuple[int, int, list[str]]], line_at: Callable[[int], int],
                        found: list[Match]) -> tuple[str, list[str]]:
        """Organisations named together ("Sichuan and Shantou Universities", "companies A and B"): the text
        with them blanked, and their ids."""
        ids: list[str] = []
        for start, end, names in spans:
            ids += [self.organisation(name, None, line_at(start), found) for name in names]
            text = text[:start] + " " * (end - start) + text[end:]
        return text, ids

    def _a_place(self, name: str) -> bool:
        """Whether a listed name is a place (a gazetteer's, or a town): then no company."""
        return any(m.entity.label == "Place" for m in self.gaz.find(name)) or bool(world().anywhere(name))

    def organisation(self, name: str, acronym: str | None, line: int, found: list[Match],
                     kind: str | None = None) -> str:
        """The id of the organisation ``name``: the gazetteer's when it knows it, else one extracted here."""
        known = [m for m in self.gaz.find(name) if m.entity.label == "Organisation" and m.end - m.start == len(name)]
        if known:
            found.extend(known)
            return known[0].entity.id
        org_id = slugify(name)
        if len(org_id) > MAX_ID or not org_id:  # a run of capitalised words, not a name
            self.unresolved.append(Unresolved(self.where(line), (
                f"not read as an organisation: {name[:60]!r}… ({len(name)} characters) is longer than a name"), line))
            return ""
        if org_id not in self.extracted:
            self.extracted[org_id] = ExtractedOrg(name, kind or kind_of(name) or "Company", acronym, line)
        return org_id

    def parties(self, sentence: str) -> list[str]:
        """The places (not countries) and organisations a sentence names, names that are no party blanked."""
        sentence, ids = self.named_together(sentence, conjunctions(sentence), lambda _: 0, [])
        folded = fold(sentence)
        for name in self.gaz.not_entities:
            folded = re.sub(rf"\b{re.escape(name)}\b", lambda m: " " * len(m.group(0)), folded)
        text = "".join(c if f != " " or c == " " else " " for c, f in zip(sentence, folded, strict=True))
        for m in self.gaz.find(text):
            if not self.is_country(m):
                ids.append(m.entity.id)
        ids += [o for o, org in self.extracted.items() if org.name in sentence]
        ids += self.towns_named(text)  # the report's own towns (a pairing's Osaka), not only the gazetteer's
        return list(dict.fromkeys(i for i in ids if i))

    def locate(self, orgs: list[str], places: list[str], draft: PilotDraft) -> None:
        """Where each newly extracted organisation is: a place its name names, else the first place its item
        names, else the pilot's first European partner."""
        for org_id in orgs:
            org = self.extracted.get(org_id)
            if org is None or org.located_in:
                continue
            named = [self.gaz.place_of(m.entity.id) for m in self.gaz.find(org.name)]
            named += self.towns_named(org.name)
            org.located_in = next((p for p in named if p), None) or (places[0] if places else draft.europe[0])

    def is_country(self, m: Match) -> bool:
        return m.entity.label == "Place" and self.gaz.entities[m.entity.id].kind == "Country"

    def named_in_heading(self, issue_title: str | None) -> list[Match]:
        """The places and organisations an issue heading names ("Tourism cooperation between Fingal and
        Chengdu"): parties to every item under it."""
        return [m for m in self.gaz.find(issue_title or "") if not self.is_country(m)]

    def towns_named(self, text: str) -> list[str]:
        """Places found in the world gazetteer for a pairing heading, where an item names them again."""
        folded = fold(text)
        return [p.id for p in self.world_towns
                if any(re.search(rf"\b{re.escape(fold(n))}\b", folded) for n in _names_of(p) if n)]


def _names_of(party: Party) -> list[str]:
    """The names a pairing's place defined by this report goes by."""
    if party.town is not None:
        return [party.town.name, *party.town.aliases]
    fields = party.fields or {}
    return [str(fields.get("name", "")), *fields.get("aliases", [])]


def _joined(lines: list[tuple[int, str]]) -> tuple[str, Callable[[int], int]]:
    """Lines as one text (a full stop where a line ends a sentence without one), and the line of an offset."""
    text = sentences([t for _, t in lines])
    starts: list[tuple[int, int]] = []
    position = 0
    for number, line in lines:
        found = text.find(line.strip()[:20], position)
        position = found if found >= 0 else position
        starts.append((position, number))
    return text, lambda offset: next((n for start, n in reversed(starts) if start <= offset), lines[0][0])


def _split_pair(name: str, end: int) -> list[tuple[str, int]]:
    """ "Port of Rotterdam Authority and Pelindo III": two names when the first has an organisation's form and
    the second has two words or more ("Chamber of Commerce and Industry" stays one); each with where its text
    ends (the first one's end is an estimate, for the acronym after it)."""
    left, sep, right = name.partition(" and ")
    if sep and kind_of(left) and len(right.split()) >= 2:
        return [(left, end - len(right) - len(sep)), (right, end)]
    return [(name, end)]

