"""Neo4j through the official driver: managed transactions, routing, read mode.

One driver per store (one per process in the CLI). Every call names the
database, carries transaction metadata and a timeout, and goes through
``execute_query`` (a managed transaction that retries transient errors).
Analyst reads are sent with READ routing, so the server refuses writes.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any

from citygraph.core.config import Settings, connect_timeout_s, neo4j_credentials, query_timeout_s
from citygraph.core.errors import AuthenticationFailed, ConfigError, ConnectionFailed, QueryError, ReadOnlyViolation
from citygraph.model.statements import neo4j_constraint
from citygraph.store.base import Row, Store, empty_counters

log = logging.getLogger(__name__)

METADATA = {"app": "citygraph"}


def _cause(e: BaseException) -> str:
    """What the driver said, in one line: the innermost ``reason`` where it gives one (Connection refused)."""
    text = " ".join(str(e).split())
    reason = re.search(r"\(reason (.+?)\)\s*$", text) or re.search(r"\(reason ([^)]+)\)", text)
    if reason:
        return reason.group(1)
    return f"{type(e).__name__}: {text}" if text else type(e).__name__


def plain(value: Any) -> Any:
    """A driver value as plain Python (see :class:`Store`)."""
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, Node):
        return {"element_id": value.element_id, "labels": sorted(value.labels),
                "properties": {k: plain(v) for k, v in value.items()}}
    if isinstance(value, Relationship):
        start, end = value.start_node, value.end_node
        return {"element_id": value.element_id, "type": value.type,
                "start": start.element_id if start is not None else None,
                "end": end.element_id if end is not None else None,
                "properties": {k: plain(v) for k, v in value.items()}}
    if isinstance(value, Path):
        return {"nodes": [plain(n) for n in value.nodes], "relationships": [plain(r) for r in value.relationships]}
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


class Neo4jStore(Store):
    engine = "neo4j"

    def __init__(self, settings: Settings, *, connect_timeout: float | None = None, driver: Any = None) -> None:
        import neo4j
        from neo4j.exceptions import AuthError, ConfigurationError, DriverError, ServiceUnavailable

        connect_timeout = connect_timeout or connect_timeout_s()

        self.display = settings.display
        self._database = settings.database
        credentials = neo4j_credentials()
        self._user = credentials.user
        self._owns_driver = driver is None
        if driver is None:
            # No password set: a server without authentication (dbms.security.auth_enabled=false).
            auth = (credentials.user or "neo4j", credentials.password) if credentials.password else None
            try:
                driver = neo4j.GraphDatabase.driver(
                    settings.uri,
                    auth=auth,
                    connection_timeout=connect_timeout,
                    connection_acquisition_timeout=connect_timeout * 2,
                    max_transaction_retry_time=15.0,
                    user_agent="citygraph",
                )
                driver.verify_connectivity()
                log.info("connected to Neo4j at %s as %s", self.display, credentials.user if auth else "(no auth)")
            except AuthError:
                driver.close()
                hint = ("" if credentials.password else
                        "; NEO4J_PASSWORD is not set, so no credentials were sent: set it (and NEO4J_USERNAME)")
                raise AuthenticationFailed(
                    f"{self.display}: authentication failed for user {self._user!r}{hint}"
                ) from None
            except (ServiceUnavailable, DriverError, ConfigurationError, OSError, ValueError) as e:
                cause = _cause(e).replace(settings.uri, self.display)  # the driver may quote the whole URI
                raise ConnectionFailed(f"cannot reach Neo4j at {self.display}: {cause}. Is the server "
                                       "running (docker compose up -d)? Check the URI's host and port (bolt "
                                       "listens on 7687 by default).") from None
        self._driver = driver

    def _execute(self, query: str, params: Mapping[str, Any] | None, read_only: bool):
        import neo4j
        from neo4j.exceptions import ClientError, Neo4jError, ServiceUnavailable, SessionExpired

        routing = neo4j.RoutingControl.READ if read_only else neo4j.RoutingControl.WRITE
        try:
            return self._driver.execute_query(
                neo4j.Query(query, metadata=METADATA, timeout=query_timeout_s()),
                parameters_=dict(params or {}),
                routing_=routing,
                database_=self._database,
            )
        except ClientError as e:
            if e.code and "DatabaseNotFound" in e.code:
                raise ConfigError(f"database {self._database!r} does not exist on {self.display} (`database` or "
                                  "NEO4J_DATABASE; SHOW DATABASES lists them; citygraph creates none)") from None
            if e.code and "AccessMode" in e.code:
                raise ReadOnlyViolation(
                    "refused: this query writes, and it was run read-only (allow writes with `write`)"
                ) from None
            raise QueryError(f"{e.code}: {e.message}") from None
        except (ServiceUnavailable, SessionExpired) as e:
            raise ConnectionFailed(f"lost the connection to Neo4j at {self.display}: {e}") from None
        except Neo4jError as e:
            raise QueryError(f"{e.code}: {e.message}") from None

    def read(self, query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        records, _, _ = self._execute(query, params, read_only=True)
        return [{k: plain(v) for k, v in r.items()} for r in records]

    def write(self, query: str, params: Mapping[str, Any] | None = None) -> tuple[list[Row], dict[str, int]]:
        records, summary, _ = self._execute(query, params, read_only=False)
        counters = empty_counters()
        for key in counters:
            counters[key] = int(getattr(summary.counters, key, 0) or 0)
        return [{k: plain(v) for k, v in r.items()} for r in records], counters

    def ensure_schema(self, keys: Iterable[tuple[str, str]]) -> None:
        for lab, prop in keys:
            self.write(neo4j_constraint(lab, prop))
        self.write("CALL db.awaitIndexes(300)")

    def clear(self) -> None:
        import neo4j

        # CALL { } IN TRANSACTIONS needs an auto-commit transaction.
        with self._driver.session(database=self._database) as session:
            session.run(neo4j.Query(
                "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS", metadata=METADATA,
            )).consume()

    def close(self) -> None:
        if self._owns_driver:
            self._driver.close()
