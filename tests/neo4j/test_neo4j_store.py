"""The Neo4j store without a server: what it passes to the official driver.

No Neo4j server can run on the project's machines, so these tests check the
driver calls themselves (access mode, database, metadata, timeouts), and how
connection and login failures read. The full conformance suite runs against
a real Neo4j when CITYGRAPH_TEST_NEO4J_URI is set (tests/embedded/test_store.py).
"""

from __future__ import annotations

import time

import neo4j
import pytest

from citygraph.core.config import resolve
from citygraph.core.errors import AuthenticationFailed, ConfigError, ConnectionFailed
from citygraph.store.neo4j import Neo4jStore


class RecordingDriver:
    """Stands in for neo4j.Driver to record the calls; it runs no Cypher."""

    def __init__(self):
        self.calls = []

    def execute_query(self, query, **kwargs):
        self.calls.append((query, kwargs))
        summary = type("S", (), {"counters": type("C", (), {"nodes_created": 1})()})()
        return [], summary, []

    def close(self):
        pass


def test_reads_use_read_routing_and_name_the_database():
    driver = RecordingDriver()
    store = Neo4jStore(resolve("neo4j+s://example.databases.neo4j.io", "cities"), driver=driver)
    store.read("MATCH (n) RETURN n LIMIT $k", {"k": 1})
    store.write("CREATE (n)")
    (q1, kw1), (q2, kw2) = driver.calls
    assert kw1["routing_"] == neo4j.RoutingControl.READ
    assert kw2["routing_"] == neo4j.RoutingControl.WRITE
    assert kw1["database_"] == kw2["database_"] == "cities"
    assert kw1["parameters_"] == {"k": 1}
    assert isinstance(q1, neo4j.Query) and q1.metadata == {"app": "citygraph"} and q1.timeout > 0


def test_unreachable_server_fails_fast_with_the_uri(monkeypatch):
    monkeypatch.setenv("NEO4J_PASSWORD", "not-the-real-one")
    start = time.monotonic()
    with pytest.raises(ConnectionFailed) as info:
        Neo4jStore(resolve("bolt://127.0.0.1:9"))
    assert time.monotonic() - start < 15
    assert "bolt://127.0.0.1:9" in str(info.value)
    assert "not-the-real-one" not in str(info.value)


def test_no_password_means_no_authentication(monkeypatch):
    """A Neo4j without authentication is usable; a refused login then says no password was sent."""
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    made = {}

    class Refusing:
        def verify_connectivity(self):
            raise neo4j.exceptions.AuthError("unauthorized")

        def close(self):
            pass

    def driver(uri, **kwargs):
        made.update(kwargs, uri=uri)
        return Refusing()

    monkeypatch.setattr(neo4j.GraphDatabase, "driver", driver)
    with pytest.raises(AuthenticationFailed) as info:
        Neo4jStore(resolve("bolt://db.example:7687"))
    assert made["auth"] is None and made["uri"] == "bolt://db.example:7687"
    assert "NEO4J_PASSWORD is not set" in str(info.value)


def test_credentials_in_the_uri_are_refused_without_echoing_them():
    with pytest.raises(ConfigError) as info:
        resolve("bolt://neo4j:hunter2@db.example:7687")
    assert "hunter2" not in str(info.value)


def test_auth_error_names_user_and_uri_not_password(monkeypatch):
    from neo4j.exceptions import AuthError

    class RefusingDriver:
        def verify_connectivity(self):
            raise AuthError("The client is unauthorized due to authentication failure.")

        def close(self):
            pass

    monkeypatch.setenv("NEO4J_USERNAME", "analyst")
    monkeypatch.setenv("NEO4J_PASSWORD", "s3cret-pass")
    monkeypatch.setattr(neo4j.GraphDatabase, "driver", lambda *a, **k: RefusingDriver())
    with pytest.raises(AuthenticationFailed) as info:
        Neo4jStore(resolve("neo4j://db.example:7687"))
    message = str(info.value)
    assert "analyst" in message and "neo4j://db.example:7687" in message
    assert "s3cret-pass" not in message
