"""The ``citygraph`` executable: ``--version`` at once, everything else through the app (:mod:`.app`).

Importing the app costs what typer, rich and the command modules cost (about
0.1 s); a version check needs none of it.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from citygraph import __version__

        print(f"citygraph {__version__}")
        return
    from citygraph.cli.app import main as run

    run()
