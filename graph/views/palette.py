"""Colours shared by the pages and notebooks: one per channel (the network page and the map agree; places are
coloured by world region, citygraph.model.regions), and one per bloc for charts that compare blocs."""

from __future__ import annotations

BLOC_COLOURS = {"Europe": "#1f77b4", "China": "#d62728", "India": "#ff7f0e"}
#: Colours for the other partner countries, given in the order of their names (none is a channel's grey).
MORE_BLOCS = ("#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#393b79", "#637939", "#843c39",
              "#7b4173", "#3182bd", "#e6550d", "#31a354", "#756bb1", "#636363")
CHANNEL_COLOURS = {
    "port": "#17becf", "university": "#9467bd", "research": "#8c564b", "cluster": "#2ca02c", "tourism": "#e377c2",
    "business": "#bcbd22", "government": "#7f7f7f", "event": "#ff9896", "education": "#c5b0d5",
    "twinning": "#aec7e8", "pilot": "#000000", "located": "#cccccc",
}


def bloc_colours(blocs: list[str]) -> dict[str, str]:
    """A colour for each bloc on a page: Europe, China and India as always, the others in turn."""
    others = sorted(b for b in set(blocs) if b not in BLOC_COLOURS)
    colours = {b: c for b, c in BLOC_COLOURS.items() if b in blocs}
    colours.update({b: MORE_BLOCS[i % len(MORE_BLOCS)] for i, b in enumerate(others)})
    return colours
