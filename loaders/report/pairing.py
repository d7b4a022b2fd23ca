"""Pairing headings: who a numbered report heading pairs with whom.

``3. Lyon – Shantou``, ``Eindhoven, Tampere and Barcelona – Seoul, Suwon and
Busan``, ``Mumbai – Stuttgart`` (the European side second): two sides joined
by a dash, each a list of place names separated by commas, slashes, ``&`` or
``and``. A heading of that shape whose names the gazetteer does not know is
looked up in the world gazetteer, one side in Europe and the other outside
it (whichever orientation resolves more names), so a report about partners
the gazetteer has never heard of still yields its pilots; names found
nowhere are returned so that the load can name them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from citygraph.loaders.resolve.world import Town, World
from citygraph.model.vocabulary import Bloc, bloc_of_country

#: A member of a group pairing that is a body of places, not a place ("the Aalborg Cities Alliance").
GROUP = re.compile(r"\b(?:alliance|network|association|league|consortium|partnership|union)$", re.IGNORECASE)
SIDES = re.compile(r"\s+[–—-]\s+|\s*[–—]\s*")
SEGMENTS = re.compile(r"\s*(?:,|/|&|;|\band\b|\bet\b|\bund\b|\by\b|\be\b)\s*")
NAME = re.compile(r"^(?:[^\W\d_a-z]|[a-z](?=[A-Z]))[\w'’.-]*(?:\s+[\w'’.-]+){0,4}$")  # "eThekwini" too


@dataclass(frozen=True)
class Party:
    """One resolved name: its place id and bloc, and the world town when the world gazetteer found it."""

    id: str
    bloc: str
    town: Town | None = None
    fields: dict[str, Any] | None = field(default=None, compare=False, hash=False)  # a place this report defines


@dataclass
class Pairing:
    """The two sides of a pairing heading, resolved: European parties, partner parties, names found nowhere."""

    europe: list[Party] = field(default_factory=list)
    partners: list[Party] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)  # "the X Cities Alliance": a member that is no place


def sides(text: str) -> tuple[list[str], list[str]] | None:
    """The names on each side of a heading shaped like a pairing, or None (a numbered line of prose)."""
    bare = re.sub(r"\([^)]*\)", " ", text).strip(" .:")
    parts = SIDES.split(bare, maxsplit=1)
    if len(parts) != 2:
        return None
    names = [[re.sub(r"^the\s+", "", n.strip(" ."), flags=re.IGNORECASE) for n in SEGMENTS.split(part)
              if n.strip(" .")] for part in parts]
    if not all(names) or not all(NAME.match(n) for side in names for n in side):
        return None
    return _qualified(names[0]), _qualified(names[1])


#: A place a report writes, resolved with its context (its country in parentheses, the section's country);
#: the flag says whether it is wanted on the European side.
Written = Callable[[str, bool], "Party | None"]


def _qualified(names: list[str]) -> list[str]:
    """A side's names with ``Town, Region`` and ``Town, Country`` kept together (``Hayward, California``,
    ``Lyon, France``): a name that is a country or a first-level division qualifies the town before it where
    that town is there (``Eindhoven, Tampere`` are two places)."""
    out: list[str] = []
    for name in names:
        if out and _town_within(out[-1], name):
            out[-1] = f"{out[-1]}, {name}"
        else:
            out.append(name)
    return out


def _town_within(town: str, qualifier: str) -> bool:
    from citygraph.loaders.resolve.qualified import readings
    from citygraph.loaders.resolve.worldindex import world

    for r in readings(f"{town}, {qualifier}"):
        namesakes = world().namesakes(r.town, r.country)
        if namesakes and (r.division is None or any(t.admin1 == r.division for t in namesakes)):
            return True
    return False


def resolve(left: list[str], right: list[str], world: World,
            known: Callable[[str], Party | None] = lambda _: None, written: Written = lambda _n, _e: None) -> Pairing:
    """Each name through ``known`` (the gazetteers) first, then as ``written`` in its context, then the world;
    both orientations are tried (Europe left, or Europe right) and the one that leaves fewer names unknown wins."""
    return min((_oriented(left, right, left_european, world, known, written) for left_european in (True, False)),
               key=lambda p: len(p.unknown))


def _oriented(left: list[str], right: list[str], left_european: bool, world: World,
              known: Callable[[str], Party | None], written: Written) -> Pairing:
    found = Pairing()
    for names, european in ((left, left_european), (right, not left_european)):
        for name in names:
            if GROUP.search(name):
                found.groups.append(name)
                continue
            party = known(name)
            if party is None or (party.bloc == Bloc.EUROPE) != european:
                party = written(name, european)
            if party is not None and (party.bloc == Bloc.EUROPE) != european:
                party = None
            party = party or _pick(world, name, european)
            if party is None:
                found.unknown.append(name)
            else:
                (found.europe if european else found.partners).append(party)
    return found


def _pick(world: World, name: str, european: bool) -> Party | None:
    """The most populous town called ``name`` on the wanted side of the pairing."""
    for town in world.anywhere(name):
        bloc = bloc_of_country(town.country)
        if (bloc == Bloc.EUROPE) == european:
            return Party(town.id, bloc, town)
    return None
