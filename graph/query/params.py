"""``-p key=value`` options to typed query parameters."""

from __future__ import annotations

import json
from typing import Any

from citygraph.core.errors import ConfigError


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
        params[key] = parse_value(value) if typed else value
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
    for key in value:
        if not key.isidentifier():
            raise ConfigError(f"parameter name {key!r} is not a valid identifier")
    return value
