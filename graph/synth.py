"""A reproducible synthetic cooperation network, in the canonical CSV format.

Shaped like the real programmes, at any size: places in blocs (regions with
cities inside them), organisations of every kind located in them, pilot
pairings of a European and an Asian place, and cooperations carried by a
channel that fits the parties (a port cooperation between ports), with
sectors, dates, a status and a source line each. Who takes part is drawn
from Zipf-like weights, so a few places become hubs and most have one or two
partners, as in the World Cities reports.

The output is ``documents.csv``, ``places.csv``, ``organisations.csv``,
``pilots.csv`` and ``cooperations.csv``: the structured loader's canonical
files, so generated data goes through the same validation and writer as real
data. The same seed and sizes give byte-identical files.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

from citygraph.model.vocabulary import ORGANISATION_KINDS, SECTORS, Channel, CooperationStatus, bloc_of_country

BLOCS = (("Europe", 0.45), ("China", 0.30), ("India", 0.15), ("Other", 0.10))
COUNTRIES = {
    "Europe": ("DE", "FR", "ES", "IT", "GB", "IE", "NL", "BE", "DK", "SE", "PL", "PT", "AT", "CZ", "FI", "GR"),
    "China": ("CN",),
    "India": ("IN",),
    "Other": ("US", "BR", "JP", "KR", "ZA", "MX", "AU", "CA"),
}
SYLLABLES = {
    "Europe": ("ber", "lin", "mar", "sei", "lo", "ven", "gra", "dor", "fa", "li", "mont", "vil", "ast", "ro", "na"),
    "China": ("zhou", "xin", "shan", "chang", "hai", "ning", "tian", "guang", "wu", "cheng", "jiang", "an", "bei"),
    "India": ("pur", "na", "ga", "ra", "man", "del", "chan", "bad", "kot", "ha", "abad", "vi", "sha", "ma"),
    "Other": ("san", "to", "ri", "ka", "wa", "port", "ville", "ton", "o", "me", "la", "su"),
}
CJK = "州新山长海宁天广武成江安北南东西"
ORG_KIND_WEIGHTS = (40, 15, 8, 4, 12, 8, 6, 3, 2, 2)  # in ORGANISATION_KINDS order
CHANNEL_OF_KIND = {"Company": "business", "University": "university", "Cluster": "cluster", "Port": "port",
                   "PublicBody": "government", "Association": "tourism", "ResearchInstitute": "research",
                   "School": "education", "Fund": "business", "Chamber": "business"}
STATUSES = tuple(s.value for s in CooperationStatus)
CHANNELS = tuple(c.value for c in Channel if c.value != "twinning")
SECTOR_IDS = tuple(SECTORS)
FILES = ("documents", "places", "organisations", "pilots", "cooperations")


@dataclass
class Network:
    """What the generator made, kept in memory for the benchmark's own checks."""

    seed: int
    document: str
    places: list[dict] = field(default_factory=list)
    organisations: list[dict] = field(default_factory=list)
    pilots: list[dict] = field(default_factory=list)
    cooperations: list[dict] = field(default_factory=list)

    def place_edges(self) -> list[tuple[str, str]]:
        """The places view's edges: the places of each cooperation's two parties."""
        where = {o["id"]: o["located_in"] for o in self.organisations}
        return [(where.get(a, a), where.get(b, b)) for a, b in (c["involves"] for c in self.cooperations)]


def _zipf(n: int, rng: random.Random, s: float = 0.9) -> list[float]:
    """Cumulative Zipf weights over a shuffled order of ``n`` items (heavy-tailed popularity)."""
    weights = [1.0 / (rank + 1) ** s for rank in range(n)]
    rng.shuffle(weights)
    return list(accumulate(weights))


def _name(rng: random.Random, bloc: str) -> str:
    parts = SYLLABLES[bloc]
    return "".join(rng.choice(parts) for _ in range(rng.randint(2, 3))).capitalize()


class _Generator:
    """The steps of :func:`generate`, in the order they draw from one seeded random stream."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.net = Network(seed=seed, document=f"generated-s{seed}")
        self.line = 1  # each generated fact cites a line of the (imaginary) directory document
        self.by_bloc: dict[str, list[str]] = {b: [] for b, _ in BLOCS}
        self.orgs_in: dict[str, list[dict]] = {}

    def cite(self) -> str:
        self.line += 1
        return f"{self.net.document}:{self.line}"

    def places(self, count: int) -> None:
        rng = self.rng
        regions: dict[str, list[str]] = {}
        blocs = rng.choices([b for b, _ in BLOCS], weights=[w for _, w in BLOCS], k=count)
        blocs[:4] = ["Europe", "China", "India", "Europe"]  # every bloc present, however small
        for i, bloc in enumerate(blocs):
            country = rng.choice(COUNTRIES[bloc])
            pid = f"gen-place-{i}"
            row = {"id": pid, "name": _name(rng, bloc), "country": country, "bloc": bloc_of_country(country),
                   "aliases": [], "sources": [self.cite()]}
            if rng.random() < 0.08:
                row["kind"] = "Region"
                regions.setdefault(country, []).append(pid)
            else:
                row["kind"] = "City"
                if regions.get(country) and rng.random() < 0.5:
                    row["part_of"] = rng.choice(regions[country])
            if bloc == "China" and rng.random() < 0.3:
                row["aliases"] = ["".join(rng.choice(CJK) for _ in range(2))]
            self.net.places.append(row)
            self.by_bloc[bloc].append(pid)

    def organisations(self, count: int) -> None:
        rng = self.rng
        self.place_cw = _zipf(len(self.net.places), rng)
        homes = rng.choices([p["id"] for p in self.net.places], cum_weights=self.place_cw, k=count)
        kinds = rng.choices(ORGANISATION_KINDS, weights=ORG_KIND_WEIGHTS, k=count)
        for i, (home, kind) in enumerate(zip(homes, kinds)):
            org = {"id": f"gen-org-{i}", "name": f"{_name(rng, 'Europe')} {kind}", "kind": kind,
                   "located_in": home, "sources": [self.cite()]}
            self.net.organisations.append(org)
            self.orgs_in.setdefault(home, []).append(org)

    def pilots(self, count: int) -> None:
        rng, net = self.rng, self.net
        bloc_of = {p["id"]: p["bloc"] for p in net.places}
        name_of = {p["id"]: p["name"] for p in net.places}
        self.europe, self.asia = self.by_bloc["Europe"], self.by_bloc["China"] + self.by_bloc["India"]
        self.eu_cw, asia_cw = _zipf(len(self.europe), rng), _zipf(len(self.asia), rng)
        numbers = {"EU-China": 0, "EU-India": 0}
        for _ in range(count):
            e = rng.choices(self.europe, cum_weights=self.eu_cw)[0]
            a = rng.choices(self.asia, cum_weights=asia_cw)[0]
            programme = "EU-China" if bloc_of[a] == "China" else "EU-India"
            numbers[programme] += 1
            net.pilots.append({"id": f"gen-{programme.lower()}-{numbers[programme]}", "programme": programme,
                               "number": numbers[programme], "name": f"{name_of[e]} – {name_of[a]}",
                               "europe": [e], "partner": [a], "sources": [self.cite()]})

    def party(self, place: str) -> tuple[str, str | None]:
        """The place itself, or (more often) one of its organisations."""
        here = self.orgs_in.get(place)
        if here and self.rng.random() < 0.6:
            org = self.rng.choice(here)
            return org["id"], org["kind"]
        return place, None

    def cooperations(self, count: int) -> None:
        rng, net = self.rng, self.net
        others = self.asia + self.by_bloc["Other"]
        other_cw, pilot_cw = _zipf(len(others), rng), _zipf(len(net.pilots), rng)
        for i in range(count):
            pilot = None
            if rng.random() < 0.7:
                pilot = rng.choices(net.pilots, cum_weights=pilot_cw)[0]
                e_place, o_place = pilot["europe"][0], pilot["partner"][0]
            else:
                e_place = rng.choices(self.europe, cum_weights=self.eu_cw)[0]
                o_place = rng.choices(others, cum_weights=other_cw)[0]
            (a, a_kind), (b, b_kind) = self.party(e_place), self.party(o_place)
            channel = CHANNEL_OF_KIND.get(a_kind or b_kind or "") or rng.choice(CHANNELS)
            coop = {"id": f"gen-coop-{i}", "title": f"{channel.capitalize()} cooperation {i}", "channel": channel,
                    "sectors": rng.sample(SECTOR_IDS, rng.choice((1, 1, 2))), "status": rng.choice(STATUSES),
                    "involves": [a, b], "sources": [self.cite()]}
            if pilot:
                coop["pilot"] = pilot["id"]
            if rng.random() < 0.7:
                coop["date"] = f"{rng.randint(2005, 2025)}-{rng.randint(1, 12):02d}"
            net.cooperations.append(coop)


#: The most cooperations one run writes: each takes ~150 bytes of cooperations.csv, and `load` reads a file of
#: at most 256 MiB (loaders.tabular.MAX_BYTES).
MAX_LINKS = 1_500_000
#: The most places: the organisations and pilots they bring stay well under the same file limit.
MAX_PLACES = 1_000_000
#: Memory a run holds per cooperation and per place (measured: 0.9 GB for 10^5 places and 10^6 links), rounded up.
BYTES_PER_LINK, BYTES_PER_PLACE = 1_000, 1_500


def memory_needed(places: int, links: int | None) -> int:
    """Bytes :func:`generate` holds for a network of this size (an upper estimate)."""
    return BYTES_PER_PLACE * places + BYTES_PER_LINK * (links if links is not None else 4 * places)


def generate(places: int, links: int | None = None, seed: int = 1) -> Network:
    """A network of ``places`` places and ``links`` cooperations (default 4 per place)."""
    if places < 10:
        raise ValueError("places must be at least 10")
    links = links if links is not None else 4 * places
    if links < 1:
        raise ValueError("links must be at least 1")
    steps = _Generator(seed)
    steps.places(places)
    steps.organisations(max(places, 10))
    steps.pilots(max(2, places // 40))
    steps.cooperations(links)
    return steps.net


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)


def _write(path: Path, columns: Sequence[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(columns)
        for row in rows:
            w.writerow([_cell(row.get(c)) for c in columns])


def write(net: Network, out: Path) -> list[Path]:
    """The canonical CSV files of ``net`` in folder ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "documents": (
            ("id", "title", "file"),
            [{"id": net.document, "file": "generated", "title": f"Synthetic cooperation network, seed {net.seed}"}],
        ),
        "places": (("id", "name", "kind", "country", "part_of", "bloc", "aliases", "sources"), net.places),
        "organisations": (("id", "name", "kind", "located_in", "sources"), net.organisations),
        "pilots": (("id", "programme", "number", "name", "europe", "partner", "sources"), net.pilots),
        "cooperations": (
            ("id", "pilot", "title", "channel", "sectors", "status", "date", "involves", "sources"),
            net.cooperations,
        ),
    }
    paths = []
    for name in FILES:
        columns, rows = files[name]
        path = out / f"{name}.csv"
        _write(path, columns, rows)
        paths.append(path)
    return paths
