"""The ``citygraph`` command line: the only part of citygraph that imports :mod:`citygraph.loaders`.

``citygraph.cli.app`` holds the app and the entry point; each other module
holds the commands of one step of the workflow.
"""
