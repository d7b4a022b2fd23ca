"""``citygraph serve``: the local workbench on the graph ``--uri`` names."""

from __future__ import annotations

import errno
import socket
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from citygraph.cli.state import state, stderr
from citygraph.core.errors import ConfigError

if TYPE_CHECKING:
    from citygraph.serve.security import Guard

LOCAL = ("127.0.0.1", "localhost", "::1")


def _bound(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Connections inherit it: an answer's head and body go out at once, not 40 ms apart on a kept-alive
    # connection (Nagle's algorithm waiting on the browser's delayed acknowledgement).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        if e.errno == errno.EADDRINUSE:
            raise ConfigError(f"port {port} is in use on {host}: pick another (0 picks a free one)",
                              option="port") from None
        raise ConfigError(f"cannot listen on {host}:{port} ({e.strerror or e})", option="host") from None
    sock.listen(64)
    return sock


def serve(
    ctx: typer.Context,
    review: Annotated[Path | None, typer.Argument(
        metavar="[REVIEW]", show_default=False,
        help="A report (.txt .md .html .docx .pdf) or an `extract` YAML to review beside its source lines.")] = None,
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port (0: any free one).")] = 8765,
    host: Annotated[str, typer.Option(
        "--host", help="Address to listen on. Anything but 127.0.0.1 / localhost / ::1 lets other machines "
                       "reach the workbench (with the token).")] = "127.0.0.1",
    open_browser: Annotated[bool, typer.Option("--open", help="Open the workbench in the default browser.")] = False,
    write: Annotated[bool, typer.Option(
        "--write", help="Let the review save its YAML and load it into the graph (read-only otherwise).")] = False,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", metavar="FILE",
        help="Where the review saves its YAML (default: the extraction itself, or REPORT.yaml beside the "
             "report).")] = None,
) -> None:
    """Run the workbench: search, expand, queries, Cypher, the map, the cited lines.

    It listens on 127.0.0.1 only and prints a URL holding a random token;
    the page then keeps it in a cookie. Queries are read-only. With a
    REVIEW file it also opens the review queue; --write lets it save and
    load the reviewed YAML. -v logs every request. Ctrl-C stops it.

    Examples:

      citygraph serve --open

      citygraph serve report.pdf --write
    """
    import uvicorn

    from citygraph import loaders
    from citygraph.serve.app import create_app
    from citygraph.serve.review import open_review
    from citygraph.serve.security import Guard
    from citygraph.serve.workbench import Workbench
    from citygraph.store.texts import Texts

    store = state(ctx).writer if write else state(ctx).store
    texts = Texts()
    queue = open_review(review, out, loaders.extract, texts) if review else None
    sock = _bound(host, port)
    guard = Guard(port=sock.getsockname()[1], write=write, host=host)
    bench = Workbench(store, texts)
    app = create_app(bench, guard, queue, loaders)
    threading.Thread(target=bench.names, name="name index", daemon=True).start()  # ready before the first query
    _announce(guard, host, write, store.display, queue is not None)
    if open_browser:
        import webbrowser

        webbrowser.open(guard.opening_url())
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    uvicorn.Server(config).run(sockets=[sock])


def _announce(guard: Guard, host: str, write: bool, display: str, reviewing: bool) -> None:
    if host not in LOCAL:
        stderr().print(f"warning: listening on {host}: anyone who can reach this machine on port {guard.port} and "
                       f"holds the token can read the graph{' and load files into it' if write else ''}", markup=False)
    mode = "read and write (review saves and loads)" if write else "read-only"
    stderr().print(f"workbench on {display}, {mode}{', with a review' if reviewing else ''}; Ctrl-C stops it",
                   markup=False)
    print(guard.opening_url(), flush=True)

