"""The query catalog: headers, hidden internal queries, variants that cannot drift from their base."""

from __future__ import annotations

import pytest

from citygraph.core.errors import UnknownQuery
from citygraph.query import catalog


def _write(folder, name, header, body="RETURN 1 AS x"):
    (folder / name).write_text(header + body + "\n", encoding="utf-8")


BASE = "// name: q\n// description: d\n// param: place: str -- a place\n// columns: x\n"


def test_internal_queries_are_not_in_the_library():
    public, internal = set(catalog.named_queries()), set(catalog.internal_queries())
    assert {"hubs", "bridges", "partners", "channel", "agreements", "provenance", "peers"} <= public
    assert {"lookup-ids", "shortcut-edges", "pilot-pairs", "all-nodes"} <= internal
    assert not public & internal


def test_a_variant_with_the_same_header_is_read(tmp_path):
    _write(tmp_path, "q.cypher", BASE)
    _write(tmp_path, "q.neo4j.cypher", BASE, "RETURN 2 AS x")
    q = catalog.named_queries.__wrapped__(tmp_path)
    assert q["q"].text_for("neo4j") == "RETURN 2 AS x" and q["q"].text_for("falkordb") == "RETURN 1 AS x"


@pytest.mark.parametrize("drift", ["// param: place: int -- a place\n", "// param: city: str -- a place\n"])
def test_a_variant_that_drifts_from_its_base_is_refused(tmp_path, drift):
    _write(tmp_path, "q.cypher", BASE)
    _write(tmp_path, "q.neo4j.cypher", BASE.replace("// param: place: str -- a place\n", drift))
    with pytest.raises(ValueError, match="differs from q.cypher"):
        catalog.named_queries.__wrapped__(tmp_path)


def test_a_variant_without_a_base_is_refused(tmp_path):
    _write(tmp_path, "q.neo4j.cypher", BASE)
    with pytest.raises(ValueError, match="does not exist"):
        catalog.named_queries.__wrapped__(tmp_path)


def test_closed_vocabulary_parameters_list_the_vocabulary_and_refuse_the_rest():
    """A channel or status the model does not name was answered with an empty table and exit 0."""
    from citygraph.model import vocabulary as V

    queries = catalog.named_queries()
    choices = {p.name: p.choices for q in queries.values() for p in q.params if p.choices}
    assert choices["channel"] == tuple(c.value for c in V.Channel)
    assert choices["status"] == tuple(s.value for s in V.AgreementStatus)
    assert choices["via"] == ("any", "pilots")
    channel = next(p for p in queries["channel"].params if p.name == "channel")
    assert channel.convert("PORT", "channel") == "port"
    with pytest.raises(UnknownQuery, match="parameter channel is one of port, .*got 'prot'; did you mean 'port'"):
        channel.convert("prot", "channel")
    status = next(p for p in queries["agreements"].params if p.name == "status")
    assert status.convert("", "agreements") == "" and status.convert("Signed", "agreements") == "signed"
