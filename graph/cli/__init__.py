"""The ``citygraph`` command line: the only part of citygraph that imports :mod:`citygraph.loaders`."""

from citygraph.cli.app import app, main

__all__ = ["app", "main"]
