"""Settings resolved in one place: URIs in their order, empty values refused, malformed numbers named."""

from __future__ import annotations

import pytest

from citygraph.core.config import lock_timeout_s, query_timeout_s, resolve
from citygraph.core.errors import ConfigError


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ("CITYGRAPH_URI", "NEO4J_URI", "NEO4J_DATABASE", "CITYGRAPH_QUERY_TIMEOUT_MS"):
        monkeypatch.delenv(name, raising=False)


def test_uri_order_is_option_then_citygraph_uri_then_neo4j_uri(monkeypatch, tmp_path):
    assert resolve().engine == "embedded"
    monkeypatch.setenv("NEO4J_URI", "neo4j+s://x.databases.neo4j.io")
    assert resolve().uri == "neo4j+s://x.databases.neo4j.io"
    monkeypatch.setenv("CITYGRAPH_URI", "falkordb://localhost:6379")
    assert resolve().engine == "falkordb"
    assert resolve(str(tmp_path / "g.db")).path == tmp_path / "g.db"


@pytest.mark.parametrize("where", ["option", "CITYGRAPH_URI", "NEO4J_URI"])
def test_an_empty_uri_is_an_error_never_the_default(monkeypatch, where):
    if where == "option":
        with pytest.raises(ConfigError, match="`uri` is empty"):
            resolve("")
    else:
        monkeypatch.setenv(where, "  ")
        with pytest.raises(ConfigError, match=f"{where} is set but empty"):
            resolve()


@pytest.mark.parametrize("value", ["ten", "-5", "0", "nan", "inf"])
def test_a_malformed_timeout_names_the_variable(monkeypatch, value):
    monkeypatch.setenv("CITYGRAPH_QUERY_TIMEOUT_MS", value)
    with pytest.raises(ConfigError, match="CITYGRAPH_QUERY_TIMEOUT_MS"):
        query_timeout_s()


def test_timeouts_are_read_when_used(monkeypatch):
    monkeypatch.setenv("CITYGRAPH_LOCK_TIMEOUT", "3.5")
    assert lock_timeout_s() == 3.5
    monkeypatch.setenv("CITYGRAPH_QUERY_TIMEOUT_MS", "1500")
    assert query_timeout_s() == 1.5


def test_a_uri_is_shown_without_user_info_query_or_fragment():
    from citygraph.core.config import redact

    assert redact("neo4j+s://u:pw@db.example:7687/?password=x&policy=y#frag") == "neo4j+s://db.example:7687/?…"
    assert redact("bolt://localhost:7687") == "bolt://localhost:7687"
    assert redact("/data/my?file.db") == "/data/my?file.db"  # a path is not a URI
