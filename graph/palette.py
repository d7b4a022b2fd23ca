"""Colours shared by the pages: one per bloc, one per channel (the network page and the map agree)."""

from __future__ import annotations

BLOC_COLOURS = {"Europe": "#1f77b4", "China": "#d62728", "India": "#ff7f0e", "Other": "#7f7f7f"}
CHANNEL_COLOURS = {
    "port": "#17becf", "university": "#9467bd", "research": "#8c564b", "cluster": "#2ca02c", "tourism": "#e377c2",
    "business": "#bcbd22", "government": "#7f7f7f", "event": "#ff9896", "education": "#c5b0d5",
    "twinning": "#aec7e8", "pilot": "#000000", "located": "#cccccc",
}
