"""``citygraph server status|stop``: the resident embedded servers of this user."""

from __future__ import annotations

import time
from typing import Annotated

import typer

from citygraph.cli.output import Format, emit
from citygraph.cli.state import FormatOpt, state, stderr
from citygraph.core.errors import ConfigError

app = typer.Typer(
    name="server",
    help="The embedded database's resident servers: status and stop.\n\n"
         "The first command on a data file starts its server; later commands, notebooks and pages reuse it, and it "
         "stops by itself after CITYGRAPH_IDLE seconds without a command (default 300; 0 stops it with its last "
         "command). Its file is saved after every command that "
         "writes, so stopping one never loses work.",
    no_args_is_help=True,
)


def _age(started: float) -> str:
    minutes, seconds = divmod(int(time.time() - started), 60)
    return f"{minutes // 60}h{minutes % 60:02d}m" if minutes >= 60 else f"{minutes}m{seconds:02d}s"


@app.command()
def status(fmt: FormatOpt = Format.TABLE) -> None:
    """List this user's live embedded servers: data file, pid, commands using it, memory, age, how it stops."""
    from citygraph.store.resident import live_servers

    rows = [{"data file": str(s.path), "pid": s.pid, "in use by": s.users, "memory MB": round(s.memory / 2**20),
             "up": _age(s.started), "stops": "with its last command" if s.idle is None else f"after {s.idle:g} s idle"}
            for s in live_servers()]
    if not rows and fmt is Format.TABLE:
        stderr().print("no embedded server is running", markup=False)
        return
    emit(rows, fmt, columns=["data file", "pid", "in use by", "memory MB", "up", "stops"])


@app.command()
def stop(
    ctx: typer.Context,
    all_: Annotated[bool, typer.Option("--all", help="Stop every embedded server of this user, not only --uri's.")]
    = False,
    force: Annotated[bool, typer.Option("--force", help="Stop a server although commands still use it "
                                                        "(they fail with a lost connection).")] = False,
) -> None:
    """Save and stop the embedded server of the data file (--uri), or all of them (--all)."""
    from citygraph.store.resident import live_servers, stop_live

    settings = state(ctx).settings
    if not all_ and settings.path is None:
        raise ConfigError(f"{settings.display} is not an embedded database: its server is not citygraph's to stop")
    wanted = None if all_ else settings.path.expanduser().resolve()  # type: ignore[union-attr]
    servers = [s for s in live_servers() if wanted is None or s.path == wanted]
    if not servers:
        stderr().print("no embedded server is running" + ("" if all_ else f" for {wanted}"), markup=False)
        return
    for server in servers:
        stop_live(server, force=force)
        stderr().print(f"stopped the server of {server.path} (pid {server.pid}); its file is saved", markup=False)
