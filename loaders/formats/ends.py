"""The place each end of a pair list's row names: its town cell, with the row's country, coordinates or
GeoNames id where the list has them (:class:`~citygraph.loaders.resolve.places.PlaceResolver` decides)."""

from __future__ import annotations

import re

from citygraph.loaders.formats.tabular import TableRow
from citygraph.loaders.resolve.places import PlaceResolver, Resolved
from citygraph.loaders.resolve.qualified import readings
from citygraph.model.countries import country_code

#: Between the places of one cell that names several.
SEVERAL = re.compile(r"\s*[;\n]\s*")


class RowProblem(ValueError):
    """What is wrong with one row, in words its author understands."""


def _number(text: str, what: str) -> float | None:
    if not text:
        return None
    try:
        return float(text.replace(",", ".") if "." not in text else text)
    except ValueError:
        raise RowProblem(f"{what} {text!r} is not a number") from None


class PairEnds:
    """Resolves the ends of a list's rows; an end without coordinates or a GeoNames id once per list (a list
    names each town in many rows), the same resolution given each time: not to be changed."""

    def __init__(self, columns: dict[str, str], resolver: PlaceResolver) -> None:
        self.columns, self.resolver = columns, resolver
        self._memo: dict[tuple[str, str], Resolved] = {}  # (name, country) -> the end it names

    def cell(self, row: TableRow, key: str) -> str:
        column = self.columns.get(key)
        return row.values.get(column, "") if column else ""

    def ends(self, row: TableRow, side: str) -> list[tuple[str, Resolved]]:
        """(the name as written, the place it names) for each place the row's ``side`` (``a`` or ``b``) names:
        one, or several in one cell between semicolons or on lines of their own (``Chicago, United States;
        Osaka, Japan``: a town and all its partners in one row, as many published lists have it)."""
        cell = self.cell(row, side)
        names = [n.strip() for n in SEVERAL.split(cell) if n.strip()] or [cell]
        if len(names) > 1 and any(self.cell(row, f"{side}_{k}") for k in ("lat", "lon", "geonames")):
            raise RowProblem(f"column {self.columns[side]!r} names {len(names)} places, and coordinates or a "
                             "GeoNames id can place only one: one place per row")
        return [(name, self.end(row, side, name)) for name in names]

    def end(self, row: TableRow, side: str, name: str | None = None) -> Resolved:
        """The place the row's ``side`` (``a`` or ``b``) names, or ``name`` written in that cell."""
        name, written = self.cell(row, side) if name is None else name, self.cell(row, f"{side}_country")
        if not name:
            raise RowProblem(f"column {self.columns[side]!r} is empty")
        if any(self.cell(row, f"{side}_{k}") for k in ("lat", "lon", "geonames")):
            return self._located(row, side, name, written)
        key = (name, country_code(written) or written)  # France, FR and FRA: one country
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._resolved(side, name, written, None, None, None)
        return found

    def _located(self, row: TableRow, side: str, name: str, written: str) -> Resolved:
        lat = _number(self.cell(row, f"{side}_lat"), "latitude")
        lon = _number(self.cell(row, f"{side}_lon"), "longitude")
        geonames = _number(self.cell(row, f"{side}_geonames"), "GeoNames id")
        return self._resolved(side, name, written, lat, lon, int(geonames) if geonames is not None else None)

    def _resolved(self, side: str, name: str, written: str, lat: float | None, lon: float | None,
                  gid: int | None) -> Resolved:
        country_column = self.columns.get(f"{side}_country")
        if not written:
            if country_column and not readings(name):  # a country column, empty in this row, and a bare name
                raise RowProblem(f"the country of {name!r} (column {country_column!r}) is empty")
            return self.resolver.resolve_anywhere(name, lat=lat, lon=lon, geonames=gid)
        country = country_code(written)
        if country is None:
            raise RowProblem(f"country {written!r} (column {country_column!r}) is neither a country name nor an "
                             "ISO code (France, FR, FRA, 'Scotland, United Kingdom', …)")
        return self.resolver.resolve(name, country, lat=lat, lon=lon, geonames=gid)
