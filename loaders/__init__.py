"""Loaders: reports, structured files and pair lists into the graph (read, check, write)."""

from citygraph.loaders.pipeline import LoadResult, load

__all__ = ["LoadResult", "load"]
