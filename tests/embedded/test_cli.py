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


def test_each_wrong_input_gets_its_class_exit_code(cli_env, tmp_path):
    """Nothing exits 1: a wrong option is 2, a query the database refuses 4 (README's table)."""
    assert run_cli("load", env=cli_env).returncode == 0
    cases = {
        ("render", "--focus", "Nowhere", "--out", str(tmp_path / "p.html")): 2,
        ("export", "--format", "xml", "--out", str(tmp_path / "x")): 2,
        ("load", str(tmp_path / "x.csv"), "--columns", "a=c1,a_country=k1,b=c2,b_country=k2",
         "--channel", "twining"): 2,
        ("cypher", "RETURN $missing AS x"): 4,
        ("query", "no-such-query"): 2,
    }
    (tmp_path / "x.csv").write_text("c1,k1,c2,k2\nLyon,FR,Wuhan,CN\n", encoding="utf-8")
    for args, code in cases.items():
        result = run_cli(*args, env=cli_env)
        assert result.returncode == code, (args, result.returncode, result.stderr)
        assert "Traceback" not in result.stderr and result.stderr.count("\n") <= 2, result.stderr


def test_an_empty_uri_never_reaches_the_default_graph(cli_env):
    env = {**cli_env, "CITYGRAPH_URI": ""}
    result = run_cli("reset", "--yes", env=env)
    assert result.returncode == 2 and "empty" in result.stderr
    result = run_cli("--uri", "", "stats", env=cli_env)
    assert result.returncode == 2 and "--uri is empty" in result.stderr


def test_a_malformed_setting_is_one_line_and_exit_2(cli_env):
    result = run_cli("stats", env={**cli_env, "CITYGRAPH_LOCK_TIMEOUT": "soon"})
    assert result.returncode == 2 and "CITYGRAPH_LOCK_TIMEOUT" in result.stderr and "Traceback" not in result.stderr


def test_verbose_shows_citygraph_debug_lines_only(cli_env):
    for how, line in (("--bulk", "DEBUG citygraph.loaders.write.bulk: GRAPH.BULK command of"),
                      ("--no-bulk", "DEBUG citygraph.loaders.write.sender: batch of")):
        result = run_cli("-vv", "load", how, env=cli_env)  # a new graph, then a load on top of it
        assert result.returncode == 0, result.stderr
        assert "DEBUG citygraph.loaders.plan: part:" in result.stderr and line in result.stderr
        assert not [x for x in result.stderr.splitlines() if x.startswith("DEBUG") and " citygraph." not in x]


def test_hubs_follow_a_cypher_write(cli_env):
    """Hubs read the derived REACHES relationships; `cypher --write` rebuilds them after the write."""
    assert run_cli("load", env=cli_env).returncode == 0

    def wuhan() -> list[str]:
        rows = json.loads(run_cli("query", "hubs", "-f", "json", env=cli_env).stdout)
        return next(r["partners"] for r in rows if r["place"] == "Wuhan")

    assert wuhan() == ["Barcelona", "Dublin"]
    write = run_cli("cypher", "--write", "MATCH (l:Place {id: 'lyon'}), (w:Place {id: 'wuhan'}) "
                    "CREATE (p:PilotProject {id: 'extra', name: 'Lyon – Wuhan'}), "
                    "(p)-[:HAS_PARTNER {side: 'Europe'}]->(l), (p)-[:HAS_PARTNER {side: 'Partner'}]->(w)", env=cli_env)
    assert write.returncode == 0, write.stderr
    assert wuhan() == ["Barcelona", "Dublin", "Lyon"]


def test_every_write_prints_its_counters_removals_and_nothing_included(cli_env):
    made = run_cli("cypher", "CREATE (:Place {id: 'zz', name: 'Z', kind: 'x'})", "--write", env=cli_env)
    assert "changed: nodes created 1, properties set 3, labels added 1" in made.stderr
    removed = run_cli("cypher", "MATCH (p:Place {id: 'zz'}) REMOVE p.kind", "--write", env=cli_env)
    assert "changed: properties removed 1" in removed.stderr
    none = run_cli("cypher", "MATCH (p:Place {id: 'nope'}) DELETE p", "--write", env=cli_env)
    assert none.returncode == 0 and "changed: nothing" in none.stderr
    gone = run_cli("cypher", "MATCH (p:Place {id: 'zz'}) DETACH DELETE p", "--write", env=cli_env)
    assert "changed: nodes deleted 1" in gone.stderr


def test_global_options_may_follow_the_command_as_cypher_shell_takes_them(tmp_path):
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("CITYGRAPH_URI", "NEO4J_URI", "NEO4J_PASSWORD")}
    db = tmp_path / "after.db"
    made = run_cli("cypher", "CREATE (:Place {id: 'a'})", "--write", "--uri", f"embedded:{db}", env=env)
    assert made.returncode == 0, made.stderr
    counted = run_cli("stats", "-f", "json", f"--uri=embedded:{db}", env=env)
    assert counted.returncode == 0 and '"count": 1' in counted.stdout
    assert db.is_file()


def test_cypher_runs_a_script_of_several_statements(cli_env, tmp_path):
    script = tmp_path / "mine.cypher"
    script.write_text("CREATE (:Place {id: 'a', name: 'A'}); // a comment; with a semicolon\n"
                      "CREATE (:Place {id: 'b', name: 'B;C'});\n\n"
                      "MATCH (p:Place) RETURN p.name AS name ORDER BY name;\nRETURN 1 AS one;\n", encoding="utf-8")
    out = run_cli("cypher", "--write", "--file", str(script), "-f", "json", env=cli_env)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == [[{"name": "A"}, {"name": "B;C"}], [{"one": 1}]]
    assert "line 2: changed: nodes created 1" in out.stderr
    bad = run_cli("cypher", "RETURN 1 AS x;\nMATCH (n RETURN n", env=cli_env)
    assert bad.returncode == 4 and "statement at line 2" in bad.stderr
    csv = run_cli("cypher", "RETURN 1 AS x; RETURN 2 AS y", "-f", "csv", env=cli_env)
    assert csv.returncode == 2 and "CSV holds one table" in csv.stderr
    one = run_cli("cypher", "RETURN 1 AS x;", "-f", "csv", env=cli_env)
    assert one.returncode == 0 and one.stdout.splitlines() == ["x", "1"]


def test_a_read_of_a_database_whose_folder_is_missing_exits_3_and_creates_nothing(cli_env, tmp_path):
    missing = tmp_path / "not" / "here" / "x.db"
    for command in (["stats"], ["query", "hubs"], ["cypher", "RETURN 1 AS x"]):
        out = run_cli("--uri", str(missing), *command, env=cli_env)
        assert out.returncode == 3 and "does not exist" in out.stderr and "Traceback" not in out.stderr, out.stderr
    assert not (tmp_path / "not").exists()
    made = run_cli("--uri", str(missing), "cypher", "--write", "CREATE (:Place {id: 'x', name: 'X'})", env=cli_env)
    assert made.returncode == 0 and missing.exists(), made.stderr


def test_tables_fit_80_columns_with_cut_cells_and_wide_keeps_them_whole(cli_env):
    long = "Cooperation on " + "district heating and " * 8 + "cooling"
    query = ("RETURN $t AS title, 'Chengdu' AS place", "-p", f"t={long}")
    cut = run_cli("cypher", *query, env=cli_env)
    assert cut.returncode == 0 and max(len(line) for line in cut.stdout.splitlines()) <= 80
    assert "…" in cut.stdout and long not in cut.stdout and "Chengdu" in cut.stdout
    for args in (("--wide", "cypher", *query), ("cypher", *query, "--wide")):
        whole = run_cli(*args, env=cli_env)
        assert whole.returncode == 0 and long in whole.stdout, whole.stderr
