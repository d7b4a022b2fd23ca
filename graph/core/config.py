"""Where citygraph's settings come from, resolved in one place.

An explicit argument beats the environment, the environment beats the
default. Every environment setting is read here, when it is used (never at
import), and a malformed value is a :class:`ConfigError` naming the
variable. Secrets (passwords) only ever come from the environment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from citygraph.core.errors import ConfigError

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


def _data_dir() -> Path:
    """The user's data directory for citygraph (platformdirs is imported only where it is needed)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("citygraph", appauthor=False))


def default_data_file() -> Path:
    return _data_dir() / "citygraph.db"


def cache_dir() -> Path:
    """Where citygraph keeps what it can rebuild (the world towns' index, the country names): ``CITYGRAPH_CACHE_DIR``,
    else the user's cache directory."""
    from platformdirs import user_cache_dir

    return Path(os.environ.get("CITYGRAPH_CACHE_DIR") or user_cache_dir("citygraph", appauthor=False))


def texts_dir() -> Path:
    """Where the texts of loaded reports are kept (:mod:`citygraph.store.texts`): ``CITYGRAPH_TEXTS``, else
    ``texts`` in the user's data directory. One folder for every graph: a text is known by its content hash."""
    value = os.environ.get("CITYGRAPH_TEXTS")
    if value is not None and not value.strip():
        raise ConfigError("CITYGRAPH_TEXTS is set but empty; unset it for the user's data directory")
    return Path(value).expanduser() if value else _data_dir() / "texts"


def redact(uri: str) -> str:
    """The URI as it may be shown: no ``user:password@``, and no query string or fragment (``?password=…``)."""
    parts = urlsplit(uri)
    if not parts.scheme:
        return uri
    if "@" in parts.netloc:
        parts = parts._replace(netloc=parts.netloc.rsplit("@", 1)[1])
    if parts.query or parts.fragment:
        parts = parts._replace(query="…" if parts.query else "", fragment="")
    return parts.geturl()


def _env_uri() -> str | None:
    """``CITYGRAPH_URI``, else ``NEO4J_URI``; a variable that is set but empty is an error."""
    for name in ("CITYGRAPH_URI", "NEO4J_URI"):
        value = os.environ.get(name)
        if value is not None:
            if not value.strip():
                raise ConfigError(f"{name} is set but empty; unset it for the embedded default, or name a database")
            return value.strip()
    return None


def resolve(uri: str | None = None, database: str | None = None) -> Settings:
    """Settings from ``--uri``, then ``CITYGRAPH_URI``, then ``NEO4J_URI``, then the embedded default.

    An empty ``--uri ""`` is an error, never the default: a script whose
    variable is unset must not reach the user's real graph.
    """
    if uri is not None and not uri.strip():
        raise ConfigError("`uri` is empty; leave it out for the embedded default, or name a database")
    uri = (uri.strip() if uri else None) or _env_uri() or "embedded:"
    if uri.startswith("embedded:"):
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


def _positive(name: str, default: float) -> float:
    """A positive number from the environment variable ``name``, read now."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value > 0 or value != value or value == float("inf"):
        raise ConfigError(f"{name}={raw!r}: expected a positive number")
    return value


def query_timeout_s() -> float:
    """Seconds one query may run (``CITYGRAPH_QUERY_TIMEOUT_MS``, default 10 minutes)."""
    return _positive("CITYGRAPH_QUERY_TIMEOUT_MS", 600_000) / 1000


def connect_timeout_s() -> float:
    """Seconds a database server has to accept a connection and answer its first request
    (``CITYGRAPH_CONNECT_TIMEOUT``, default 10; every engine)."""
    return _positive("CITYGRAPH_CONNECT_TIMEOUT", 10)


def lock_timeout_s() -> float:
    """Seconds to wait for another process starting or stopping the embedded server (``CITYGRAPH_LOCK_TIMEOUT``)."""
    return _positive("CITYGRAPH_LOCK_TIMEOUT", 20)


def idle_s() -> float:
    """Seconds an embedded server lives on after its last command left (``CITYGRAPH_IDLE``, default 300);
    ``0`` stops it with its last command."""
    raw = os.environ.get("CITYGRAPH_IDLE")
    if raw is not None and raw.strip() in ("0", "0.0"):
        return 0.0
    return _positive("CITYGRAPH_IDLE", 300)


def probe_timeout_s() -> float:
    """Seconds a running embedded server has to answer before it is called hung (``CITYGRAPH_PROBE_TIMEOUT``)."""
    return _positive("CITYGRAPH_PROBE_TIMEOUT", 10)


@dataclass(frozen=True)
class Credentials:
    """A user name and password from the environment (the password is never printed)."""

    user: str | None
    password: str | None = field(repr=False)


def neo4j_credentials() -> Credentials:
    """``NEO4J_USERNAME`` (default ``neo4j``) and ``NEO4J_PASSWORD``; no password means no authentication."""
    return Credentials(os.environ.get("NEO4J_USERNAME") or "neo4j", os.environ.get("NEO4J_PASSWORD") or None)


def falkordb_credentials() -> Credentials:
    """``FALKORDB_USERNAME`` / ``FALKORDB_PASSWORD`` for a FalkorDB server, where it has them."""
    return Credentials(os.environ.get("FALKORDB_USERNAME") or None, os.environ.get("FALKORDB_PASSWORD") or None)
