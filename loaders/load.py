"""What ``citygraph load`` reads: paths by kind, or the bundled knowledge base."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import InputError
from graph.resources import resource_dir
from loaders.gazetteer import Gazetteer, bundled
from loaders.model import Dataset
from loaders.structured import load_canonical_csv, load_mapping_file, load_pairs_csv, parse_columns

log = logging.getLogger(__name__)

BUNDLED_FILES = ("gazetteer.yaml", "world-cities.yaml")


@dataclass
class Unresolved:
    where: str
    text: str


@dataclass
class Loaded:
    dataset: Dataset
    unresolved: list[Unresolved] = field(default_factory=list)


def bundled_dataset() -> Dataset:
    data = resource_dir("data")
    dataset = Dataset()
    for name in BUNDLED_FILES:
        dataset.extend(load_mapping_file(data / name))
    return dataset


def read_paths(paths: list[Path], *, columns: str | None = None, channel: str = "twinning",
               gazetteer: Gazetteer | None = None) -> Loaded:
    """Every path into one Dataset (reports carry the gazetteer's entities along)."""
    from loaders.report import parse_report

    gaz = gazetteer or bundled()
    loaded = Loaded(Dataset())
    needs_gazetteer = False
    mapping = parse_columns(columns) if columns else None
    for path in paths:
        if not path.exists():
            raise InputError("no such file", str(path))
        if path.is_dir():
            raise InputError("is a folder; name the files to load", str(path))
        suffix = path.suffix.lower()
        if suffix == ".txt":
            report = parse_report(path, gaz)
            loaded.dataset.extend(report.dataset)
            loaded.unresolved.extend(report.unresolved)
            needs_gazetteer = True
        elif suffix in (".yaml", ".yml", ".json"):
            if mapping:
                raise InputError("--columns applies to CSV files only", str(path))
            loaded.dataset.extend(load_mapping_file(path))
        elif suffix == ".csv":
            if mapping:
                def known(name: str, country: str) -> str | None:
                    ent = gaz.lookup(name)
                    return ent.id if ent and ent.label == "Place" and _country(gaz, ent.id) == country else None
                loaded.dataset.extend(load_pairs_csv(path, mapping, channel, known))
                needs_gazetteer = True
            else:
                loaded.dataset.extend(load_canonical_csv(path))
        else:
            raise InputError(f"unknown file type {suffix or '(none)'}: citygraph loads .txt reports and "
                             ".yaml, .json, .csv files", str(path))
    if needs_gazetteer:
        # Reports and pair lists refer to gazetteer entities: bring them along.
        from loaders.gazetteer import bundled_gazetteer_path

        loaded.dataset.extend(load_mapping_file(bundled_gazetteer_path()))
    return loaded


def _country(gaz: Gazetteer, place_id: str) -> str | None:
    return gaz.countries.get(place_id)
