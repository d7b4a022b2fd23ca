"""Build the wheel, install it into a fresh venv, run the installed CLI.

This is what catches package data (queries, the knowledge base) missing
from the wheel, and generic top-level names leaking into site-packages. The
fresh venv reuses this environment's third-party packages through a path
file, but not the project's editable install, and it runs from a folder that
holds a user's own ``graph.py`` and ``loaders/``: they must break nothing.
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


def _build_wheel(tmp_path: Path) -> Path:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)],
                   check=True, capture_output=True, text=True, timeout=300)
    (wheel,) = dist.glob("citygraph-*.whl")
    return wheel


def _install(wheel: Path, env_dir: Path) -> Path:
    venv.create(env_dir, with_pip=False)
    py = env_dir / "bin" / "python"
    purelib = subprocess.run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    Path(purelib, "third_party.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "--no-index", "-q",
                    str(wheel)], check=True, capture_output=True, text=True, timeout=300)
    return py


def _users_folder(tmp_path: Path) -> Path:
    """An analyst's folder with names that once collided with citygraph's own."""
    work = tmp_path / "elsewhere"
    (work / "loaders").mkdir(parents=True)
    (work / "graph.py").write_text("raise SystemExit('the user graph.py was imported')\n")
    (work / "loaders" / "__init__.py").write_text("raise SystemExit('the user loaders/ was imported')\n")
    return work


def test_wheel_holds_one_package_with_its_data(tmp_path: Path):
    names = zipfile.ZipFile(_build_wheel(tmp_path)).namelist()
    top_level = {n.split("/", 1)[0] for n in names if not n.split("/", 1)[0].endswith(".dist-info")}
    assert top_level == {"citygraph"}, top_level
    assert any(n.startswith("citygraph/cypher/") and n.endswith(".cypher") for n in names)
    assert any(n.startswith("citygraph/cypher/internal/") and n.endswith(".cypher") for n in names)
    assert {"citygraph/data/world-cities.yaml", "citygraph/data/gazetteer.yaml", "citygraph/py.typed",
            "citygraph/templates/network.html", "citygraph/loaders/__init__.py"} <= set(names)
    # the workbench's page and its committed bundle: installing needs no npm
    assert {f"citygraph/serve/static/{f}" for f in ("index.html", "app.js", "app.css", "vendor.min.js",
                                                    "cypher-codemirror.css", "LICENSES.txt")} <= set(names)


def test_installed_cli_loads_queries_and_renders_from_an_empty_folder(tmp_path: Path):
    py = _install(_build_wheel(tmp_path), tmp_path / "venv")
    work = _users_folder(tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "CITYGRAPH_URI", "NEO4J_URI")}
    env["CITYGRAPH_URI"] = f"embedded:{tmp_path / 'wheel.db'}"
    where = subprocess.run([py, "-c", "import citygraph; print(citygraph.__file__)"], cwd=work, env=env,
                           capture_output=True, text=True, check=True).stdout
    assert str(tmp_path / "venv") in where, where
    cli = tmp_path / "venv" / "bin" / "citygraph"

    def run(*args: str) -> subprocess.CompletedProcess:
        result = subprocess.run([cli, *args], cwd=work, env=env, capture_output=True, text=True, timeout=180)
        assert result.returncode == 0, result.stderr
        return result

    run("load")
    hubs = json.loads(run("query", "hubs", "-f", "json").stdout)
    assert {"Chengdu", "Shantou"} <= {h["place"] for h in hubs}
    run("render", "--out", "page.html")
    assert "Chengdu" in (work / "page.html").read_text(encoding="utf-8")
    same = subprocess.run([py, "-m", "citygraph", "stats", "-f", "json"], cwd=work, env=env, capture_output=True,
                          text=True, timeout=120)
    assert same.returncode == 0 and json.loads(same.stdout), same.stderr
