"""``python -m citygraph`` is the ``citygraph`` command."""

from citygraph.cli.entry import main

main()
