"""How a load reads its inputs, parsed where it is given: pair-list columns, channel, encoding, sheet, gazetteer,
and what to do with rows that fail their checks.

A command line or a notebook hands these over as plain values; they are checked
here, once, and travel down as a mapping and enums (a mistake names its field:
``columns: unknown key 'c'``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from citygraph.core.errors import ConfigError
from citygraph.model.vocabulary import Channel

#: A pair list names its two places; their countries are optional (a cell may say ``Town, Country`` or
#: ``Town, Region``, and a bare name is looked up worldwide).
REQUIRED_KEYS = ("a", "b")
OPTIONAL_KEYS = ("a_country", "b_country", "date", "title", "sector", "a_lat", "a_lon", "a_geonames", "b_lat",
                 "b_lon", "b_geonames")
PAIR_KEYS = REQUIRED_KEYS + OPTIONAL_KEYS


class OnError(StrEnum):
    """A row that fails its checks fails the load (every such row named), or is skipped and reported."""

    FAIL = "fail"
    SKIP = "skip"


def on_error_of(value: str) -> OnError:
    try:
        return OnError(value)
    except ValueError:
        raise ConfigError(f"{value!r}: one of {', '.join(OnError)}", option="on_error") from None


def parse_columns(spec: str) -> dict[str, str]:
    """``a=city1,a_country=country1,…`` -> {"a": "city1", …}, checked by :func:`check_columns`."""
    mapping: dict[str, str] = {}
    for part in spec.split(","):
        key, sep, column = part.partition("=")
        key, column = key.strip(), column.strip()
        if not sep or not key or not column:
            raise ConfigError(f"{part!r} is not key=column", option="columns")
        mapping[key] = column
    return check_columns(mapping)


def check_columns(mapping: Mapping[str, str]) -> dict[str, str]:
    """A pair list's keys to its column names: known keys only, the required ones all there."""
    for key, column in mapping.items():
        if key not in PAIR_KEYS:
            raise ConfigError(f"unknown key {key!r}; keys are {', '.join(PAIR_KEYS)}", option="columns")
        if not isinstance(column, str) or not column.strip():
            raise ConfigError(f"{key}: name a column", option="columns")
    for key in REQUIRED_KEYS:
        if key not in mapping:
            raise ConfigError(f"needs {key}=<column> (a and b, the two places, are required)", option="columns")
    return dict(mapping)


def channel_of(name: str | Channel) -> Channel:
    try:
        return Channel(name)
    except ValueError:
        raise ConfigError(f"{name!r} is not a channel; one of {', '.join(c.value for c in Channel)}",
                          option="channel") from None


@dataclass(frozen=True, eq=False)
class ReadOptions:
    """How to read the inputs. ``columns`` maps a pair list's keys to its columns (a mapping, or the
    ``a=city1,a_country=country1,…`` form); ``channel`` is the pairs' channel; ``encoding`` and ``sheet`` are a
    table's; ``gazetteer`` an extra canonical file of places and organisations."""

    columns: Mapping[str, str] | str | None = None
    channel: Channel = Channel.TWINNING
    encoding: str | None = None
    sheet: str | None = None
    gazetteer: Path | None = None

    def __post_init__(self) -> None:
        if self.columns is not None:
            columns = parse_columns(self.columns) if isinstance(self.columns, str) else check_columns(self.columns)
            object.__setattr__(self, "columns", columns)
        object.__setattr__(self, "channel", channel_of(self.channel))

    @property
    def pair_columns(self) -> dict[str, str] | None:
        """The checked pair-list columns, if the inputs are lists of pairs."""
        return self.columns if isinstance(self.columns, dict) else None
