"""Every command the README shows runs as written, on the files `examples/` ships.

The README's code blocks are read here: each line that runs citygraph (``citygraph …``, ``$ citygraph …``,
``cat FILE | citygraph …``, continued with ``\\``) runs in order in one shell, in a folder holding a copy
of ``examples/``, against a private embedded database. A block after ``<!-- not run: why -->`` is left
out (it needs a server). A ``$ citygraph …`` line followed by its output must print that output.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from tests.conftest import ROOT

README = ROOT / "README.md"
#: A line of a code block that runs citygraph (possibly after a pipe), and the comment after it.
COMMAND = re.compile(r"^(?:\$ )?(?:[\w./-]+ [^|#]*\| )?citygraph\b")
COMMENT = re.compile(r"\s{2,}#\s.*$")


def blocks(text: str) -> list[list[str]]:
    """The README's indented code blocks (four spaces or more), as lines; those after a not-run mark left out."""
    out: list[list[str]] = []
    current: list[str] | None = None
    skip = False
    for line in text.splitlines():
        if line.strip().startswith("<!-- not run:"):
            skip = True
        elif re.match(r"^ {4,}\S", line):
            if current is None:
                current = []
                if not skip:
                    out.append(current)
                skip = False
            current.append(line.strip())
        elif line.strip() == "" and current is not None:
            continue
        else:
            current = None
    return out


def commands(block: list[str]) -> list[tuple[str, list[str]]]:
    """The citygraph commands of a block (continuations joined, comments cut), each with the output lines the
    README shows after a ``$ `` command."""
    out: list[tuple[str, list[str]]] = []
    lines = iter(block)
    for line in lines:
        if not COMMAND.match(line):
            if out and block[0].startswith("$ "):
                out[-1][1].append(line)
            continue
        command = line
        while command.endswith("\\"):
            command = command[:-1].rstrip() + " " + next(lines).strip()
        out.append((COMMENT.sub("", command.removeprefix("$ ")).strip(), []))
    return out


def test_the_readme_names_commands_and_the_examples_exist():
    found = [c for b in blocks(README.read_text(encoding="utf-8")) for c, _ in commands(b)]
    assert len(found) > 30 and any(c.startswith("citygraph load examples/report.txt") for c in found)
    for name in ("report.txt", "report.docx", "twins.csv", "twins-messy.csv", "mine.cypher", "from-browser.cypher"):
        assert (ROOT / "examples" / name).is_file(), name
    shown = next(b for b in blocks(README.read_text(encoding="utf-8")) if b[0].startswith("city1;country1"))
    assert (ROOT / "examples" / "twins-messy.csv").read_text(encoding="utf-8").splitlines() == shown


def test_the_word_report_is_the_text_report():
    """examples/report.docx is examples/report.txt as Word gives it (tools/make_examples.py writes it)."""
    words = " ".join(p.text for p in docx.Document(str(ROOT / "examples" / "report.docx")).paragraphs)
    text = " ".join((ROOT / "examples" / "report.txt").read_text(encoding="utf-8").replace("*", " ").split())
    assert " ".join(words.split()) == text


def test_every_readme_command_runs_as_written(tmp_path: Path):
    if not shutil.which("python3"):
        pytest.skip("the README pipes into python3 -m json.tool")
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    env = dict(os.environ, CITYGRAPH_URI=f"embedded:{tmp_path / 'db' / 'readme.db'}", CITYGRAPH_IDLE="0",
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    env.pop("NEO4J_PASSWORD", None)
    ran = 0
    for block in blocks(README.read_text(encoding="utf-8")):
        for command, shown in commands(block):
            done = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=tmp_path, env=env,
                                  capture_output=True, text=True, timeout=600)
            assert done.returncode == 0 and "Traceback" not in done.stderr, (command, done.stderr[-2000:])
            ran += 1
            printed = done.stdout.splitlines()
            for i, expected in enumerate(x for x in shown if x != "…"):
                assert expected.rstrip("…").rstrip() in printed[i], (command, expected, printed[: len(shown)])
    assert ran > 30, ran
