"""``python -m citygraph`` is the ``citygraph`` command."""

from citygraph.cli.app import main

main()
