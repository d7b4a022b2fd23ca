"""The notebooks run top to bottom (nbclient) against a private embedded database, and are committed clean."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    names = {p.stem for p in NOTEBOOKS}
    assert {"01-hubs-and-partners", "02-partner-centrality", "03-channels-and-sectors-over-time"} <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs(path: Path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, f"{path.name}: commit it without outputs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path: Path, tmp_path: Path, monkeypatch):
    # The kernel inherits this environment: a private embedded graph, empty at
    # first, so the notebook's own "load if empty" path is exercised.
    monkeypatch.setenv("CITYGRAPH_URI", f"embedded:{tmp_path / 'nb.db'}")
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel's inline backend draws the charts
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any(o.output_type == "execute_result" and "text/html" in o.get("data", {}) for o in outputs)
    printed = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert not any("assert " in c.source for c in nb.cells if c.cell_type == "code"), "checks belong in the tests"
    if path.stem == "01-hubs-and-partners":
        # the README's numbers: through any cooperation Shantou 5, Chengdu 4; pilot partners only, 3 each
        assert "Shantou has 5 European partners through any cooperation" in printed
        assert "Chengdu has 4 European partners through any cooperation" in printed
        assert printed.count("; 3 of them are pilot partners") == 2
        assert any("image/svg+xml" in o.get("data", {}) for o in outputs), "the map"
    if path.stem == "02-partner-centrality":
        assert any("image/png" in o.get("data", {}) for o in outputs), "the bar chart"
        assert any("srcdoc=" in o.get("data", {}).get("text/html", "") for o in outputs), "the page inline"
        assert ("the most European partners: Shantou (5); the most pilot partners: Chengdu and Shantou (3)"
                in printed)
        assert "links across; the partner place with the most European partners here is" in printed
    if path.stem == "03-channels-and-sectors-over-time":
        assert "the longest quiet spell lasts" in printed
        assert "pilots with dated activity" in printed
    executed = nbformat.writes(nb).encode("utf-8")
    assert len(executed) < 1_000_000, f"the executed notebook is {len(executed):,} bytes"
