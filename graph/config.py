"""Where citygraph's settings come from, resolved in one place.

An explicit argument beats the environment, the environment beats the
default. Secrets (passwords) only ever come from the environment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from platformdirs import user_data_dir

from citygraph.errors import ConfigError

NEO4J_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
FALKORDB_SCHEMES = ("falkordb", "falkordbs", "redis")
DEFAULT_GRAPH = "citygraph"


@dataclass(frozen=True)
class Settings:
    """The resolved connection settings (never holds a password)."""

    uri: str
    engine: str  # "neo4j" | "falkordb" | "embedded"
    database: str | None
    path: Path | None = None  # the embedded data file

    @property
    def display(self) -> str:
        """The URI as it may be printed: without any user info."""
        return redact(self.uri)


def default_data_file() -> Path:
    return Path(user_data_dir("citygraph", appauthor=False)) / "citygraph.db"


def redact(uri: str) -> str:
    """Drop ``user:password@`` from a URI so it can be shown."""
    parts = urlsplit(uri)
    if parts.scheme and "@" in parts.netloc:
        host = parts.netloc.rsplit("@", 1)[1]
        return parts._replace(netloc=host).geturl()
    return uri


def resolve(uri: str | None = None, database: str | None = None) -> Settings:
    """Settings from explicit arguments, then ``CITYGRAPH_URI``, then the default."""
    uri = uri or os.environ.get("CITYGRAPH_URI") or "embedded:"
    if uri == "embedded:" or uri.startswith("embedded:"):
        rest = uri.removeprefix("embedded:")
        path = Path(rest).expanduser() if rest else default_data_file()
        return Settings(uri=f"embedded:{path}", engine="embedded", database=database, path=path)
    scheme = urlsplit(uri).scheme.lower() if "://" in uri else ""
    if scheme in NEO4J_SCHEMES:
        if "@" in urlsplit(uri).netloc:
            raise ConfigError(
                f"{redact(uri)}: put credentials in NEO4J_USERNAME / NEO4J_PASSWORD, not in the URI"
            )
        database = database or os.environ.get("NEO4J_DATABASE") or None
        return Settings(uri=uri, engine="neo4j", database=database)
    if scheme in FALKORDB_SCHEMES:
        return Settings(uri=uri, engine="falkordb", database=database)
    if scheme:
        raise ConfigError(
            f"{redact(uri)}: unknown scheme {scheme!r}; use bolt://, neo4j://, neo4j+s://, "
            "falkordb://host:port, or a file path for the embedded database"
        )
    path = Path(uri).expanduser()
    return Settings(uri=f"embedded:{path}", engine="embedded", database=database, path=path)
