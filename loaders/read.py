"""Reading inputs: files by kind (reports, structured files, pair lists), or the bundled knowledge base."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from citygraph.errors import InputError
from citygraph.loaders.gazetteer import Gazetteer, bundled
from citygraph.loaders.gcpause import without_cyclic_gc
from citygraph.loaders.model import Dataset, Unresolved
from citygraph.loaders.pairs import parse_columns, read_pairs_csv
from citygraph.loaders.plan import references
from citygraph.loaders.report import parse_report
from citygraph.loaders.structured import read_canonical_csv, read_mapping_file
from citygraph.resources import resource_dir

BUNDLED_FILES = ("gazetteer.yaml", "world-cities.yaml")


@dataclass
class Loaded:
    dataset: Dataset
    unresolved: list[Unresolved] = field(default_factory=list)


def bundled_dataset() -> Dataset:
    data = resource_dir("data")
    dataset = Dataset()
    for name in BUNDLED_FILES:
        dataset.extend(read_mapping_file(data / name))
    return dataset


@without_cyclic_gc
def read_paths(paths: list[Path], *, columns: str | None = None, channel: str = "twinning",
               gazetteer: Gazetteer | None = None) -> Loaded:
    """Every path into one Dataset (reports carry the gazetteer's entities along)."""
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
            loaded.dataset.extend(read_mapping_file(path))
        elif suffix == ".csv":
            if mapping:
                def known(name: str, country: str) -> str | None:
                    ent = gaz.lookup(name)
                    return ent.id if ent and ent.label == "Place" and _country(gaz, ent.id) == country else None
                loaded.dataset.extend(read_pairs_csv(path, mapping, channel, known))
                needs_gazetteer = True
            else:
                loaded.dataset.extend(read_canonical_csv(path))
        else:
            raise InputError(f"unknown file type {suffix or '(none)'}: citygraph loads .txt reports and "
                             ".yaml, .json, .csv files", str(path))
    _bring_gazetteer_entities(loaded.dataset, everything=needs_gazetteer)
    return loaded


def _bring_gazetteer_entities(dataset: Dataset, everything: bool) -> None:
    """Add the gazetteer entities a load refers to (all of them for reports and pair lists)."""
    from citygraph.loaders.gazetteer import bundled_gazetteer_path

    gaz = read_mapping_file(bundled_gazetteer_path())
    if everything:
        dataset.extend(gaz)
        return
    entries = {e.id: (section, e) for section in ("places", "organisations", "people") for e in getattr(gaz, section)}
    defined = {e.id for section in ("places", "organisations", "people", "pilots", "cooperations", "agreements",
                                    "events", "programmes") for e in getattr(dataset, section)}
    wanted = [r for r in [r for r, _ in references(dataset)] if r not in defined and r in entries]
    while wanted:
        ref = wanted.pop()
        if ref in defined:
            continue
        section, entry = entries[ref]
        getattr(dataset, section).append(entry)
        defined.add(ref)
        wanted += [r for r in (getattr(entry, "part_of", None), getattr(entry, "located_in", None),
                               getattr(entry, "organisation", None)) if r and r not in defined]


def _country(gaz: Gazetteer, place_id: str) -> str | None:
    return gaz.countries.get(place_id)
