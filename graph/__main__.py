"""``python -m citygraph`` is the ``citygraph`` command."""

from citygraph.cli import main

main()
