"""The derived PARTNERS_WITH relationships and partner counts that ``hubs`` and ``bridges`` read.

Two places are *partners* when they are of different blocs, neither is a
country, and a pilot pairs them or a cooperation joins them: its shortcut
(COOPERATES_WITH) runs between the two places, organisations located in
them, or their sub-places, up to six LOCATED_IN/PART_OF levels either way
(the definition of a hub in the README). Walking that on every ``hubs`` call
took two seconds at 10^6 links, and its answer (every place with two or more
partners) is more than a reader can use; the walk is done once after every
write instead, and kept as

- ``(a)-[:PARTNERS_WITH]->(b)``, once per pair of partner places (``a`` the one
  with the smaller id);
- on every place that is a party, ``partner_blocs`` and ``partner_counts``:
  the blocs its partners are in, in alphabetical order, and how many partner
  places it has in each (empty lists where it has none), so that the busiest hubs are found
  without counting every pair.

:func:`refresh` rebuilds them whole, after :mod:`citygraph.upkeep.reach`, on
every write (``citygraph.upkeep.writing``). A graph last written by an
earlier version holds parties without counts until its next write;
``cypher/internal/partners-unkept.cypher`` finds them.
"""

from __future__ import annotations

from citygraph.model import vocabulary as V
from citygraph.store import Store


def statements() -> list[str]:
    """The statements that rebuild PARTNERS_WITH and the counts: drop, walk the shortcuts, add the pilots'
    pairings, then count."""
    place, partners, party = V.label(V.PLACE), V.rel_type(V.PARTNERS_WITH), V.property_key(V.PARTY)
    up = f"{V.rel_type(V.LOCATED_IN)}|{V.rel_type(V.PART_OF)}"
    has, country = V.rel_type(V.HAS_PARTNER), V.label(V.COUNTRY)
    blocs, counts = V.property_key(V.PARTNER_BLOCS), V.property_key(V.PARTNER_COUNTS)
    ordered = ("WITH DISTINCT CASE WHEN x.id < p.id THEN x ELSE p END AS a, "
               "CASE WHEN x.id < p.id THEN p ELSE x END AS b ")
    return [
        f"MATCH ()-[r:{partners}]->() DELETE r",
        # Each shortcut is followed in its one direction: a pair is found from the side its shortcut starts at.
        f"MATCH (x:{place}) WHERE x.{party} AND NOT x:{country} WITH x "
        f"MATCH (x)<-[:{up}*0..6]-(d) WITH DISTINCT x, d "
        f"MATCH (d)-[:{V.rel_type(V.COOPERATES_WITH)}]->(n) WITH DISTINCT x, n "
        f"MATCH (n)-[:{up}*0..6]->(p:{place}) WHERE p.{party} AND NOT p:{country} AND p.bloc <> x.bloc "
        f"{ordered}CREATE (a)-[:{partners}]->(b)",
        f"MATCH (x:{place})<-[:{has}]-(:{V.label(V.PILOT_PROJECT)})-[:{has}]->(p:{place}) "
        f"WHERE NOT x:{country} AND NOT p:{country} AND p.bloc <> x.bloc "
        f"{ordered}MERGE (a)-[:{partners}]->(b)",
        f"MATCH (x:{place}) WHERE x.{party} OR x.{counts} IS NOT NULL SET x.{blocs} = [], x.{counts} = []",
        f"MATCH (x:{place})-[:{partners}]-(p:{place}) WITH x, p.bloc AS bloc, count(p) AS n ORDER BY bloc "
        f"WITH x, collect(bloc) AS blocs, collect(n) AS counts SET x.{blocs} = blocs, x.{counts} = counts",
    ]


def refresh(store: Store) -> None:
    """Rebuild PARTNERS_WITH and the partner counts from the graph as it is."""
    for statement in statements():
        store.write(statement)
