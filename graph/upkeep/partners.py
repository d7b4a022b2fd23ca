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
- on every place that is a party, ``partner_blocs``, ``partner_counts`` and
  ``partner_names``: the blocs its partners are in, in alphabetical order; how
  many partner places it has in each; and their names, bloc by bloc and by name
  within each (empty lists where it has none), so that the busiest hubs are
  found without counting every pair and named without walking to them;
- the label ``Partnered`` on the places with at least one partner, the only
  places hubs and bridges rank.

:func:`refresh` rebuilds them whole, after :mod:`citygraph.upkeep.reach`, on
every write (``citygraph.upkeep.writing``). A graph last written by an
earlier version holds parties without counts until its next write;
``cypher/internal/partners-unkept.cypher`` finds them.
"""

from __future__ import annotations

from citygraph.model import vocabulary as V
from citygraph.store import Store


def statements() -> list[str]:
    """The statements that rebuild PARTNERS_WITH, the Partnered label and the counts and names: drop, walk
    the shortcuts, add the pilots' pairings, clear, then count and name."""
    place, partners, party = V.label(V.PLACE), V.rel_type(V.PARTNERS_WITH), V.property_key(V.PARTY)
    up = f"{V.rel_type(V.LOCATED_IN)}|{V.rel_type(V.PART_OF)}"
    has, country = V.rel_type(V.HAS_PARTNER), V.label(V.COUNTRY)
    blocs, counts, names = (V.property_key(k) for k in V.PARTNER_KEYS)
    partnered = V.label(V.PARTNERED)
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
        f"MATCH (x:{place}) WHERE x.{party} OR x.{counts} IS NOT NULL "
        f"SET x.{blocs} = [], x.{counts} = [], x.{names} = [] REMOVE x:{partnered}",
        # One aggregation, of rows sorted by bloc and name; each bloc's count is where the next bloc starts.
        f"MATCH (x:{place})-[:{partners}]-(p:{place}) WITH x, p.bloc AS bloc, p.name AS name ORDER BY bloc, name "
        "WITH x, collect(bloc) AS of, collect(name) AS names "
        "WITH x, of, names, [i IN range(0, size(of) - 1) WHERE i = 0 OR of[i] <> of[i - 1]] AS starts "
        f"SET x:{partnered}, x.{names} = names, x.{blocs} = [i IN starts | of[i]], "
        f"x.{counts} = [j IN range(0, size(starts) - 1) | coalesce(starts[j + 1], size(of)) - starts[j]]",
    ]


def refresh(store: Store) -> None:
    """Rebuild PARTNERS_WITH, the Partnered label and the partner counts and names from the graph as it is."""
    for statement in statements():
        store.write(statement)
