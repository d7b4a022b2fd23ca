"""docs/reliability.md cannot drift from the tests it cites."""

from __future__ import annotations

import ast
import re

from tests.conftest import ROOT

DOC = ROOT / "docs" / "reliability.md"
COVERED = ("test_reliability.py", "test_hostile.py", "test_odd_input.py")


def _tests_in(name: str) -> set[str]:
    (path,) = (ROOT / "tests").rglob(name)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}


def test_every_cited_test_exists_and_every_fault_test_is_cited():
    cited = set(re.findall(r"`(test_\w+\.py)::(test_\w+)`", DOC.read_text(encoding="utf-8")))
    assert cited
    missing = [f"{f}::{t}" for f, t in sorted(cited) if t not in _tests_in(f)]
    assert not missing, f"docs/reliability.md cites tests that do not exist: {missing}"
    for name in COVERED:
        uncited = _tests_in(name) - {t for f, t in cited if f == name}
        assert not uncited, f"tests in {name} missing from docs/reliability.md: {sorted(uncited)}"
