"""The derived REACHES relationships that ``hubs`` and ``bridges`` read.

A pilot partner *reaches* a place when they are paired in a pilot project, or
a cooperation joins them directly or through organisations located in either
place or its sub-places (the definition of a hub in the README). Walking
that for every partner on every ``hubs`` call costs about a second at 10^6
links; the walk is done once after every write instead, and kept as
``(partner)-[:REACHES {side}]->(place)``, ``side`` being the partner's side
of its pilot (``Europe`` for hubs, ``Asia`` for bridges). Only places that are
themselves parties (marked ``party`` by the writer) and no countries are
reached.

:func:`refresh` rebuilds them whole; the writer calls it after each load,
``cypher --write`` after each write. A graph changed by other tools answers
from the relationships its last citygraph write left; ``citygraph load`` of
nothing new (or any write) brings them up to date.
"""

from __future__ import annotations

from citygraph.model import vocabulary as V
from citygraph.store import Store

#: (partner side, far side, shortcut direction from the partner's side): hubs walk out along the shortcuts
#: (a cross-bloc shortcut starts at the European party), bridges walk in.
SIDES = (("Europe", "Partner", "-[:{t}]->"), ("Partner", "Europe", "<-[:{t}]-"))


def _rel(side: str) -> str:
    return f"{V.rel_type(V.REACHES)} {{side: '{side}'}}"


def statements() -> list[str]:
    """The statements that rebuild REACHES: drop them all, then each side's pairings and shortcuts."""
    has, up = V.rel_type(V.HAS_PARTNER), f"{V.rel_type(V.LOCATED_IN)}|{V.rel_type(V.PART_OF)}"
    place, party = V.label(V.PLACE), V.property_key(V.PARTY)
    target = f"x.{party} AND NOT x:{V.label(V.COUNTRY)}"
    out = [f"MATCH ()-[r:{V.rel_type(V.REACHES)}]->() DELETE r"]
    for side, far, arrow in SIDES:
        shortcut = arrow.format(t=V.rel_type(V.COOPERATES_WITH))
        out.append(f"MATCH (e:{place})<-[:{has} {{side: '{side}'}}]-(:{V.label(V.PILOT_PROJECT)})"
                   f"-[:{has} {{side: '{far}'}}]->(x:{place}) WHERE {target} "
                   f"WITH DISTINCT e, x MERGE (e)-[:{_rel(side)}]->(x)")
        out.append(f"MATCH (:{V.label(V.PILOT_PROJECT)})-[:{has} {{side: '{side}'}}]->(e:{place}) WITH DISTINCT e "
                   f"MATCH (e)<-[:{up}*0..6]-(d) WITH DISTINCT e, d "
                   f"MATCH (d){shortcut}(n) WITH DISTINCT e, n "
                   f"MATCH (n)-[:{up}*0..6]->(x:{place}) WHERE {target} "
                   f"WITH DISTINCT e, x MERGE (e)-[:{_rel(side)}]->(x)")
    return out


def refresh(store: Store) -> None:
    """Rebuild the REACHES relationships from the graph as it is (their counters are not a load's)."""
    for statement in statements():
        store.write(statement)
