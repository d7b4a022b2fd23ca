"""``-p key=value`` options to typed query parameters."""

from __future__ import annotations

import json
from typing import Any

from citygraph.core.errors import ConfigError

#: The integers a database holds (64-bit); beyond them a value would be clamped or refused by the engine.
INT64 = (-(2**63), 2**63 - 1)


def check_integers(name: str, value: Any) -> Any:
    """``value``, or a ConfigError naming the parameter where an integer in it is outside 64 bits."""
    if isinstance(value, int) and not isinstance(value, bool) and not INT64[0] <= value <= INT64[1]:
        raise ConfigError(f"parameter {name}: {value} is outside the 64-bit integers a database holds "
                          f"({INT64[0]} to {INT64[1]})")
    if isinstance(value, list):
        for v in value:
            check_integers(name, v)
    elif isinstance(value, dict):
        for v in value.values():
            check_integers(name, v)
    return value


def parse_value(text: str) -> Any:
    """JSON where the text is JSON (``2``, ``true``, ``null``, ``["a"]``), else the text itself."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def parse_params(pairs: list[str] | None, *, typed: bool = True) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ConfigError(f"parameter {pair!r} is not of the form key=value")
        if not key.isidentifier():
            raise ConfigError(f"parameter name {key!r} is not a valid identifier")
        params[key] = check_integers(key, parse_value(value)) if typed else value
    return params


def parse_param_map(text: str | None) -> dict[str, Any]:
    """``-P '{"bloc": "India", "min_partners": 2}'``: a JSON object of parameters."""
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError as e:
        raise ConfigError(f"not JSON: {e}", option="params") from None
    if not isinstance(value, dict):
        raise ConfigError(f"must be a JSON object ({{\"name\": value, …}}), not {type(value).__name__}",
                          option="params")
    for key, v in value.items():
        if not key.isidentifier():
            raise ConfigError(f"parameter name {key!r} is not a valid identifier")
        check_integers(key, v)
    return value
