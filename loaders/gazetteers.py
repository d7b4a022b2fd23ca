"""The gazetteers a load resolves names with: the bundled one (read once) and a user's ``--gazetteer`` file.

The :class:`~citygraph.loaders.resolve.gazetteer.Gazetteer` is handed its
entities; reading them from canonical YAML happens here.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from citygraph.core.errors import ConfigError, InputError
from citygraph.core.resources import resource_dir
from citygraph.loaders.dataset.model import Dataset, Place
from citygraph.loaders.formats.structured import read_mapping_file
from citygraph.loaders.formats.tabular import check_path
from citygraph.loaders.resolve.gazetteer import Gazetteer
from citygraph.loaders.resolve.qualified import readings

ENTITY_SECTIONS = ("places", "organisations", "people")


@cache
def bundled_gazetteer_path() -> Path:
    return resource_dir("data") / "gazetteer.yaml"


@cache
def bundled_entities() -> Dataset:
    """The bundled gazetteer's places, organisations and people (read once; copy an item before changing it)."""
    return read_mapping_file(bundled_gazetteer_path())


@cache
def bundled() -> Gazetteer:
    return Gazetteer(bundled_entities())


def gazetteers(extra: Path | None) -> tuple[Dataset, Gazetteer]:
    """The gazetteer's entities and names: the bundled ones, and the user's ``--gazetteer FILE`` first."""
    if extra is None:
        return bundled_entities(), bundled()
    if extra.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise ConfigError(f"{extra}: a gazetteer is a canonical .yaml or .json file "
                          "(places, organisations, people with their aliases)", option="gazetteer")
    check_path(extra)
    own = read_mapping_file(extra)
    others = [s for s in ("cooperations", "pilots", "agreements", "events") if getattr(own, s)]
    if others:
        raise InputError(f"a gazetteer holds places, organisations and people only, not {others[0]}", str(extra))
    entities = Dataset()
    own.places.rewrite(_town_named(p) for p in own.places)
    for section in ENTITY_SECTIONS:
        getattr(entities, section).extend([*getattr(own, section), *getattr(bundled_entities(), section)])
    return entities, Gazetteer(entities)


def _town_named(place: Place) -> Place:
    """A place a gazetteer names ``Town, Region`` (``Hayward, California``) in that region's country: the town
    is its name in texts too (an alias), and the spelling as written stays its name."""
    reading = next((r for r in readings(place.name) if r.country == place.country), None)
    if reading is not None and reading.town not in place.aliases:
        place.aliases = [*place.aliases, reading.town]
    return place
