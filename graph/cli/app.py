"""The ``citygraph`` command line (typer + rich): the app, its global options, and the entry point.

Rows go to stdout in the chosen format; messages, progress and errors go to
stderr. Every :class:`~citygraph.core.errors.CitygraphError` becomes one line and
the exit code its class carries; a traceback means a bug.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import signal
import sys
from typing import Annotated

import typer

from citygraph import __version__
from citygraph.cli import flags, help, output
from citygraph.cli.commands import LazyGroup
from citygraph.cli.state import AppState, stderr
from citygraph.cli.text import terminal_text
from citygraph.core.errors import CitygraphError, OutputError

help.install()
app = typer.Typer(
    name="citygraph",
    help=(
        "Map city-to-city cooperation as a knowledge graph.\n\n"
        "The graph lives in the embedded FalkorDB database unless --uri (or CITYGRAPH_URI, or NEO4J_URI) "
        "names another: bolt://, neo4j://, neo4j+s:// for Neo4j (NEO4J_USERNAME / NEO4J_PASSWORD "
        "from the environment), falkordb://host:port for a FalkorDB server, or a file path.\n\n"
        "Start with:  citygraph demo"
    ),
    cls=LazyGroup,
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": help.HELP_OPTIONS},
)


def _version(value: bool) -> None:
    if value:
        print(f"citygraph {__version__}")
        raise typer.Exit()


def configure_logging(verbose: int) -> None:
    """citygraph's own logger on stderr: -v for INFO, -vv for DEBUG; no other logger is touched."""
    logger = logging.getLogger("citygraph")
    logger.setLevel(logging.WARNING - 10 * min(verbose, 2))
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
    logger.propagate = False


@app.callback()
def main_options(
    ctx: typer.Context,
    uri: Annotated[str | None, typer.Option(
        "--uri", metavar="URI", show_default=False,
        help="Database: bolt://, neo4j://, neo4j+s://, falkordb://host:port, or a data file path. "
             "Default: CITYGRAPH_URI, else NEO4J_URI, else the embedded database. An empty value is an error.")] = None,
    database: Annotated[str | None, typer.Option(
        "--database", "-d", metavar="NAME",
        help="Neo4j database (else NEO4J_DATABASE) or FalkorDB graph name (default citygraph).")] = None,
    wide: Annotated[bool, typer.Option(
        "--wide", help="Keep table cells whole, however wide the table gets; by default a cell too long for its "
                       "column is cut with … so tables fit the terminal (80 columns in a pipe).")] = False,
    verbose: Annotated[int, typer.Option(
        "--verbose", "-v", count=True, help="More log output on stderr: -v for steps, -vv for timings.")] = 0,
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    if ctx.invoked_subcommand is None:
        print(ctx.get_help())
        raise typer.Exit()
    from citygraph.core.config import resolve  # not for --help

    configure_logging(verbose)
    output.WHOLE_CELLS = wide
    ctx.obj = AppState(resolve(uri, database))
    ctx.call_on_close(ctx.obj.close)


def _output_failed(e: OSError) -> int:
    """Standard output closed (a pipe's reader left) or full (a disk, /dev/full): one line, no traceback."""
    if e.errno not in (errno.EPIPE, errno.ENOSPC, errno.EIO, errno.EDQUOT):
        raise e
    with contextlib.suppress(OSError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing more to flush at exit
    if e.errno == errno.EPIPE:
        return 0
    stderr().print(f"citygraph: cannot write the output: {e.strerror}", markup=False)
    return OutputError.exit_code


#: The signal (SIGTERM, SIGHUP) that stopped this run, once one has.
_stopped_by: list[int] = []


def _terminate(signum: int, _frame: object) -> None:
    """SIGTERM or SIGHUP: unwound like Ctrl-C, so the embedded server is stopped and saved as usual."""
    signal.signal(signum, signal.SIG_IGN)  # a second one does not cut the clean-up short
    _stopped_by.append(signum)
    raise KeyboardInterrupt(signal.Signals(signum).name)


def _interrupted() -> int:
    """Ctrl-C (130), SIGTERM (143) or SIGHUP (129): one line; the clean-up has run on the way out."""
    if _stopped_by:
        stderr().print(f"citygraph: stopped by {signal.Signals(_stopped_by[0]).name}", markup=False)
        return 128 + _stopped_by[0]
    stderr().print("citygraph: interrupted")
    return 130


#: Options of the whole command line that may also follow the command (``citygraph stats --uri X``), each taking
#: a value, as cypher-shell takes its connection options anywhere.
GLOBAL_OPTIONS = ("--uri", "--database", "-d")
#: Flags of the whole command line that may also follow the command.
GLOBAL_FLAGS = ("--wide",)


def globals_first(args: list[str]) -> list[str]:
    """``args`` with the global options given after the command moved before it (nothing moves after ``--``)."""
    start = 0
    while start < len(args) and args[start].startswith("-"):  # the options before the command, as given
        start += 2 if args[start] in GLOBAL_OPTIONS else 1
    head, rest = args[:start], []
    i = start
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest += args[i:]
            break
        if arg in GLOBAL_OPTIONS and i + 1 < len(args):
            head += args[i:i + 2]
            i += 2
            continue
        if arg in GLOBAL_FLAGS:
            head.append(arg)
            i += 1
            continue
        (head if arg.split("=", 1)[0] in GLOBAL_OPTIONS[:2] and "=" in arg else rest).append(arg)
        i += 1
    return head + rest


#: Exit code of a bug (BSD's EX_SOFTWARE): an exception citygraph did not expect.
BUG_EXIT = 70


def _bug(error: Exception) -> int:
    """An unexpected exception: its traceback into a report file (and on stderr with -vv), one line naming it."""
    import tempfile
    import traceback

    text = "".join(traceback.format_exception(error))
    if logging.getLogger("citygraph").getEffectiveLevel() <= logging.DEBUG:
        stderr().print(text, markup=False, highlight=False)
    try:
        fd, path = tempfile.mkstemp(prefix="citygraph-bug-", suffix=".txt")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(f"citygraph {__version__}: {' '.join(sys.argv)}\n\n{text}")
        where = f"the details are in {path}"
    except OSError:
        where = "run it again with -vv for the details"
    stderr().print(f"citygraph: this is a bug, not a problem with your input ({type(error).__name__}); {where}. "
                   "Please report it with that file.", markup=False)
    return BUG_EXIT


def main() -> None:
    """Console entry point: errors become one line on stderr and an exit code."""
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _terminate)
    if not set(help.HELP_OPTIONS).isdisjoint(sys.argv[1:]):
        help.load_rich_help()
    try:
        code = app(args=globals_first(sys.argv[1:]), standalone_mode=False)
        sys.stdout.flush()
    except OSError as e:
        code = _output_failed(e)
    except SystemExit as e:
        # typer ends a broken pipe (the reader of `citygraph … | head` left) with exit 1; it is not a failure.
        code = 0 if e.code == 1 and type(sys.stdout).__name__ == "PacifyFlushWrapper" else e.code
    except typer.TyperException as e:  # a usage error: wrong option, value or argument
        ctx = getattr(e, "ctx", None)
        where = ctx.command_path.replace("python -m ", "") if ctx else "citygraph"
        message = e.format_message().replace("Value error, ", "")
        stderr().print(f"citygraph: {message} (see {where} -h)", markup=False)
        code = getattr(e, "exit_code", 2)
    except CitygraphError as e:
        from rich.text import Text

        stderr().print(Text.assemble(("citygraph:", "bold red"), " ", terminal_text(flags.message(e))))
        code = e.exit_code
    except (KeyboardInterrupt, typer.Abort):
        code = 130
    except Exception as e:  # anything else is a bug: one line and a report, not a traceback
        code = _bug(e)
    if code == 130:  # typer turns Ctrl-C into exit code 130 without a word
        code = _interrupted()
    sys.exit(code if isinstance(code, int) else 0)
