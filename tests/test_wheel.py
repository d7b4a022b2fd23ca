"""Build the wheel, install it into a fresh venv, run the installed CLI.

This is what catches package data (queries, the knowledge base) missing
from the wheel. The fresh venv reuses this environment's third-party
packages through a path file, but not the project's editable install, and
it runs from an empty folder so nothing is found through the checkout.
"""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

from tests.conftest import ROOT


def test_wheel_installs_and_runs(tmp_path: Path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)],
                   check=True, capture_output=True, text=True, timeout=300)
    (wheel,) = dist.glob("citygraph-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.startswith("graph/_share/cypher/") and n.endswith(".cypher") for n in names)
    assert any(n.startswith("graph/_share/data/") for n in names)

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    py = env_dir / "bin" / "python"
    purelib = subprocess.run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    Path(purelib, "third_party.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "--no-index", "-q",
                    str(wheel)], check=True, capture_output=True, text=True, timeout=300)

    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "CITYGRAPH_URI")}
    env["CITYGRAPH_URI"] = f"embedded:{tmp_path / 'wheel.db'}"
    where = subprocess.run([py, "-c", "import graph; print(graph.__file__)"], cwd=work, env=env,
                           capture_output=True, text=True, check=True).stdout
    assert str(env_dir) in where, where
    cli = env_dir / "bin" / "citygraph"
    stats = subprocess.run([cli, "stats", "-f", "json"], cwd=work, env=env, capture_output=True, text=True, timeout=120)
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout) == []
    queries = subprocess.run([cli, "queries", "-f", "json"], cwd=work, env=env, capture_output=True, text=True,
                             timeout=120)
    assert queries.returncode == 0, queries.stderr
    assert "hubs" in {q["name"] for q in json.loads(queries.stdout)}
