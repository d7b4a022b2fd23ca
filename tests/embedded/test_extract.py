"""`citygraph extract`: the parser's reading as canonical YAML, reviewed, then loaded."""

from __future__ import annotations

import json

import yaml

from tests.conftest import ROOT, run_cli

FIXTURES = ROOT / "tests" / "fixtures" / "reports"


def _stats(env: dict[str, str]) -> list[dict]:
    result = run_cli("stats", "-f", "json", env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_extract_then_load_is_load(cli_env, tmp_path):
    """`load REPORT.txt` is extract + load: the YAML, loaded, makes the same graph as the report."""
    report = FIXTURES / "eu-latin-america.txt"
    out = tmp_path / "reading.yaml"
    result = run_cli("extract", str(report), "--out", str(out), env=cli_env)
    assert result.returncode == 0, result.stderr
    assert "item(s) marked for review" in result.stderr
    assert run_cli("load", str(report), env=cli_env).returncode == 0
    direct = _stats(cli_env)
    assert run_cli("reset", "--yes", env=cli_env).returncode == 0
    loaded = run_cli("load", str(out), env=cli_env)
    assert loaded.returncode == 0, loaded.stderr
    assert _stats(cli_env) == direct


def test_extract_marks_what_it_guessed(cli_env):
    result = run_cli("extract", str(FIXTURES / "eu-latin-america.txt"), env=cli_env)
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load(result.stdout)  # stdout: the YAML alone
    orgs = {o["name"]: o for o in data["organisations"]}
    assert orgs["Port of Rosario"]["kind"] == "Port" and "guessed" in orgs["Port of Rosario"]["review"]
    assert all("world gazetteer" in p["review"] for p in data["places"] if p["id"].endswith("-ar"))
    assert all(c["sources"] for c in data["cooperations"])  # every item keeps its lines
    assert data["documents"][0]["sha256"]


def test_extract_names_unresolved_pairings_and_refuses_other_files(cli_env, tmp_path):
    result = run_cli("extract", str(FIXTURES / "eu-korea-groups.txt"), env=cli_env)
    assert result.returncode == 0, result.stderr
    assert "# unresolved: " in result.stdout and "unresolved name: " in result.stderr
    table = tmp_path / "pairs.csv"
    table.write_text("a,b\nLyon,Turin\n", encoding="utf-8")
    refused = run_cli("extract", str(table), env=cli_env)
    assert refused.returncode == 5 and "extract reads reports (.txt, .md, .html, .docx, .pdf)" in refused.stderr
    assert "Traceback" not in refused.stderr
