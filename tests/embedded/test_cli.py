"""The command line as users and scripts meet it: exit codes, streams, messages."""

from __future__ import annotations

import json

from tests.conftest import run_cli


def test_help_teaches(cli_env):
    result = run_cli("--help", env=cli_env)
    assert result.returncode == 0
    for command in ("demo", "load", "queries", "query", "cypher", "centrality", "render", "export", "stats", "reset"):
        assert command in result.stdout


def test_stats_on_an_empty_graph(cli_env):
    result = run_cli("stats", "--format", "json", env=cli_env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_cypher_json_is_only_json_on_stdout(cli_env):
    result = run_cli("cypher", "RETURN $name AS name, $n AS n", "-p", "name=Málaga", "-p", "n=3", "-f", "json",
                     env=cli_env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [{"name": "Málaga", "n": 3}]


def test_write_without_flag_is_refused_and_graph_unchanged(cli_env):
    result = run_cli("cypher", "CREATE (n:Place {id: 'x'})", env=cli_env)
    assert result.returncode == 4
    assert "read-only" in result.stderr and "Traceback" not in result.stderr
    after = run_cli("cypher", "MATCH (n) RETURN count(n) AS c", "-f", "json", env=cli_env)
    assert json.loads(after.stdout) == [{"c": 0}]


def test_write_with_flag_changes_the_graph(cli_env):
    result = run_cli("cypher", "CREATE (n:Place {id: $id})", "-p", "id=x", "--write", env=cli_env)
    assert result.returncode == 0, result.stderr
    assert "nodes created 1" in result.stderr
    csv_out = run_cli("stats", "-f", "csv", env=cli_env).stdout.splitlines()
    assert csv_out == ["kind,name,count", "label,Place,1"]


def test_syntax_error_gives_position_and_exit_code(cli_env):
    result = run_cli("cypher", "MATCH (n RETURN n", env=cli_env)
    assert result.returncode == 4
    assert "column: 10" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_unknown_scheme_and_unreachable_servers(cli_env):
    bad = run_cli("--uri", "ftp://example", "stats", env=cli_env)
    assert bad.returncode == 2 and "unknown scheme" in bad.stderr
    env = dict(cli_env, NEO4J_PASSWORD="pw-should-not-show")
    neo = run_cli("--uri", "bolt://127.0.0.1:9", "stats", env=env, timeout=30)
    assert neo.returncode == 3
    assert "bolt://127.0.0.1:9" in neo.stderr and "pw-should-not-show" not in neo.stderr
    assert "Traceback" not in neo.stderr
    falkor = run_cli("--uri", "falkordb://127.0.0.1:9", "stats", env=cli_env, timeout=30)
    assert falkor.returncode == 3 and "falkordb://127.0.0.1:9" in falkor.stderr


def test_reset_needs_yes(cli_env):
    result = run_cli("reset", env=cli_env)
    assert result.returncode == 2 and "--yes" in result.stderr


def test_bad_parameter_syntax(cli_env):
    result = run_cli("cypher", "RETURN 1", "-p", "novalue", env=cli_env)
    assert result.returncode == 2 and "key=value" in result.stderr
