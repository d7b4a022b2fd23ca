"""Why a named query answered nothing, on a graph that holds something.

An empty table with exit 0 says nothing: ``hubs`` on a twin list once
answered "(no rows)" because it counted pilot partners only. Here the
parameters a query takes are weighed against the graph: a ``via pilots``
reading on a graph with no pilot pairings, a ``min_partners`` above what any
place has (the most there is, and where), a graph with no cooperations, a
graph an earlier version wrote without the partner counts hubs read. The
answer is a sentence for the caller to show; the rows stay empty.
"""

from __future__ import annotations

from typing import Any

from citygraph.query import catalog
from citygraph.store import Store


def why_empty(store: Store, name: str, given: dict[str, Any]) -> str | None:
    """A sentence saying why query ``name`` with ``given`` answered nothing, or None where nothing is known."""
    query = catalog.get(name)
    bound = query.bind(given)
    if bound.get("via") == "any" and catalog.read(store, "partners-unkept"):
        return ("the graph was last written by an earlier citygraph, which kept no partner counts for hubs and "
                "bridges to read: load any of its files again (loads are idempotent) to bring it up to date")
    labels = {r["name"]: r["count"] for r in catalog.read(store, "label-counts")}
    if bound.get("via") == "pilots" and not labels.get("PilotProject"):
        return ("the graph holds no pilot projects, and via=pilots counts pilot partners only; "
                "leave `via` out to count every cooperation (pilots, reports, lists)")
    if "min_partners" in bound and not labels.get("Cooperation") and not labels.get("PilotProject"):
        return "the graph holds no cooperations or pilots, so no place has partners"
    if bound.get("min_partners", 1) > 1:
        rows = catalog.run(store, name, {**given, "min_partners": 1})
        if rows:
            top = rows[0]
            return (f"no place has {bound['min_partners']} or more partners here; the most is "
                    f"{top['partner_count']} ({top['place']}): lower `min_partners`")
    if "min_partners" in bound:
        among = bound.get("partners") or "another bloc"
        where = f" of bloc {bound['bloc']}" if bound.get("bloc") else ""
        return f"no place{where} has a partner in {among} through {_through(bound)}"
    return None


def _through(bound: dict[str, Any]) -> str:
    return "a pilot" if bound.get("via") == "pilots" else "any cooperation"
