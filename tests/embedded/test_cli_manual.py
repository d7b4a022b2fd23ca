"""The command line as a manual and a tool: help that teaches, Cypher in and out, centrality, exports, errors.

Every test goes through the real CLI (a subprocess) on the embedded engine,
with the bundled knowledge base loaded once for the module.
"""

from __future__ import annotations

import json
import os
import re

import networkx as nx
import pytest

from citygraph.cli import commands
from tests.conftest import run_cli

COMMANDS = ["demo", "load", "extract", "queries", "query", "cypher", "centrality", "recommend", "render", "map",
            "export", "serve", "stats", "generate", "reset", "server"]


@pytest.fixture(scope="module")
def kb_env(tmp_path_factory) -> dict[str, str]:
    env = dict(os.environ, CITYGRAPH_URI=f"embedded:{tmp_path_factory.mktemp('manual') / 'kb.db'}", COLUMNS="80")
    env.pop("NEO4J_PASSWORD", None)
    assert run_cli("load", env=env).returncode == 0
    return env


def test_help_names_values_as_people_read_them_and_fits_80_columns(kb_env):
    for command in [[], *([c] for c in COMMANDS), ["server", "status"], ["server", "stop"]]:
        result = run_cli(*command, "--help", env=kb_env)
        assert result.returncode == 0, (command, result.stderr)
        text = result.stdout
        assert not re.search(r"<(bool|int|str|list|float|Path)", text), (command, text)
        assert max(map(len, text.splitlines())) <= 80, command
    listed = re.findall(r"^│ (\w+) ", run_cli("--help", env=kb_env).stdout, re.M)
    assert listed == COMMANDS  # the README's workflow order


def test_docstring_examples_fit_80_columns():
    for entry in commands.COMMANDS.values():
        for line in (commands.target(entry).__doc__ or "").splitlines():
            assert len(line) <= 80, (entry.attr, line)


def test_closed_options_offer_their_values_and_refuse_others_in_one_line(kb_env):
    centrality = " ".join(run_cli("centrality", "-h", env=kb_env).stdout.replace("│", " ").split())
    assert "--metric -m METRIC degree, betweenness, closeness, eigenvector or pagerank." in centrality
    assert "--format -f table|json|csv" in centrality
    assert "fail|skip" in run_cli("load", "-h", env=kb_env).stdout
    wrong = run_cli("centrality", "--metric", "fame", env=kb_env)
    assert wrong.returncode == 2 and wrong.stderr.count("\n") == 1 and "'fame' is not one of" in wrong.stderr
    same = run_cli("centrality", "--metric", "PageRank", "--top", "3", "-f", "json", env=kb_env)
    assert same.returncode == 0 and len(json.loads(same.stdout)) == 3


def test_verbose_shows_steps_and_timings(kb_env):
    quiet = run_cli("query", "hubs", "-f", "json", env=kb_env)
    assert "INFO" not in quiet.stderr
    v = run_cli("-v", "query", "hubs", "-f", "json", env=kb_env)
    assert re.search(r"INFO citygraph.query.catalog: query hubs on .*: 5 rows in \d+ ms", v.stderr)
    vv = run_cli("-vv", "query", "hubs", "-f", "json", env=kb_env)
    assert ("DEBUG citygraph.query.catalog: query hubs parameters: {'bloc': 'China', 'partners': 'Europe', "
            "'via': 'any', 'min_partners': 2, 'limit': 50}") in vv.stderr


def test_each_query_explains_its_parameters_with_an_example(kb_env):
    hubs = run_cli("query", "hubs", "--help", env=kb_env)
    assert hubs.returncode == 0
    assert "bloc (str, default India):" not in hubs.stdout  # the default, not the example
    assert "bloc (str, default China):" in hubs.stdout and "min_partners (int, default 2):" in hubs.stdout
    assert "Columns: place, bloc, partner_count, partners" in hubs.stdout
    partners = run_cli("query", "partners", "-h", env=kb_env).stdout
    assert "place (str, required):" in partners and "citygraph query partners -p place=Chengdu" in partners
    example = re.search(r"^  (citygraph query partners .*)$", partners, re.M).group(1).split()[1:]
    assert run_cli(*example, "-f", "json", env=kb_env).returncode == 0  # the example runs as printed
    listing = json.loads(run_cli("queries", "-f", "json", env=kb_env).stdout)
    hub_params = next(q["parameters"] for q in listing if q["name"] == "hubs")
    assert any(p.startswith('min_partners: int >= 1 = 2 — the fewest partner places') for p in hub_params)
    assert any(p.startswith('via: str in (any, pilots) = "any" — any: every cooperation') for p in hub_params)


def test_cypher_from_stdin_or_a_file_with_map_parameters(kb_env, tmp_path):
    piped = run_cli("cypher", "-", "-f", "json", env=kb_env,
                    input="MATCH (p:Place {bloc: $b}) RETURN count(p) AS n")
    assert piped.returncode == 4 and "b" in piped.stderr  # a missing parameter is the database's refusal
    piped = run_cli("cypher", "-", "-P", '{"b": "India"}', "-f", "json", env=kb_env,
                    input="MATCH (p:Place {bloc: $b}) RETURN count(p) AS n")
    assert piped.returncode == 0 and json.loads(piped.stdout)[0]["n"] > 3
    query = tmp_path / "q.cypher"
    query.write_text("MATCH (p:Place) WHERE p.id IN $ids RETURN p.name AS name ORDER BY name", encoding="utf-8")
    from_file = run_cli("cypher", "--file", str(query), "-P", '{"ids": ["chengdu", "shantou"]}', "-f", "json",
                        env=kb_env)
    assert json.loads(from_file.stdout) == [{"name": "Chengdu"}, {"name": "Shantou"}]
    assert run_cli("cypher", env=kb_env).returncode == 2
    assert run_cli("cypher", "-P", "[1]", "RETURN 1", env=kb_env).returncode == 2


def test_show_prints_neo4j_cypher_with_pasteable_params(kb_env):
    shown = run_cli("query", "partners", "--show", "-p", "place=Dublin", env=kb_env).stdout
    assert shown.startswith(':param place => "Dublin";\n// partners: ')
    assert "CALL (p) {" in shown  # the Neo4j 5 variant
    falkor = run_cli("query", "partners", "--show", "--engine", "falkordb", env=kb_env).stdout
    assert ':param place => "Chengdu";' in falkor and "CALL {\n  WITH p" in falkor


def test_neo4j_only_syntax_says_which_engine_answered(kb_env):
    result = run_cli("cypher", "MATCH (n:Place) WHERE COUNT { (n)--() } > 2 RETURN elementId(n)", env=kb_env)
    assert result.returncode == 4
    assert "FalkorDB (the embedded engine) refused the query" in result.stderr
    assert "COUNT { … } subqueries" in result.stderr and "elementId()" in result.stderr


def test_closed_vocabulary_values_in_any_case(kb_env):
    lower = json.loads(run_cli("query", "hubs", "-p", "bloc=india", "-f", "json", env=kb_env).stdout)
    assert lower and lower == json.loads(run_cli("query", "hubs", "-p", "bloc=India", "-f", "json",
                                                 env=kb_env).stdout)
    ports = json.loads(run_cli("query", "channel", "-p", "channel=PORT", "-f", "json", env=kb_env).stdout)
    assert ports and all(r["cooperation"] for r in ports)


def test_an_empty_graph_gets_a_hint(cli_env):
    result = run_cli("query", "hubs", env=cli_env)
    assert result.returncode == 0 and "is empty: load something first" in result.stderr


def test_centrality_backends_agree_and_estimates_say_so(kb_env):
    ranks = {}
    for backend in ("networkx", "rustworkx", "networkit"):
        result = run_cli("centrality", "-m", "betweenness", "--backend", backend, "-n", "5", "-f", "json",
                         env=kb_env)
        assert result.returncode == 0, result.stderr
        ranks[backend] = [(r["id"], round(r["score"], 6)) for r in json.loads(result.stdout)]
    assert ranks["networkx"] == ranks["rustworkx"] == ranks["networkit"]
    sampled = run_cli("centrality", "-m", "betweenness", "--sample", "5", "-n", "3", env=kb_env)
    assert "betweenness: an estimate (networkit, sampled k=5, seed 7)" in sampled.stderr
    again = run_cli("centrality", "-m", "betweenness", "--sample", "5", "-n", "3", env=kb_env)
    assert again.stdout == sampled.stdout  # seeded: the same estimate twice


def test_exports_that_gephi_and_neo4j_admin_open_directly(kb_env, tmp_path):
    gexf = tmp_path / "places.gexf"
    assert run_cli("export", "-f", "gexf", "-o", str(gexf), env=kb_env).returncode == 0
    g = nx.read_gexf(gexf)
    assert g.nodes["shantou"]["label"] == "Shantou" and "Source" not in {d.get("kind") for _, d in g.nodes(data=True)}
    csv = run_cli("export", "-f", "csv", "-o", str(tmp_path / "import"), env=kb_env)
    assert csv.stdout.startswith("neo4j-admin database import full --nodes=")
    assert csv.stdout.strip().endswith("--overwrite-destination neo4j")
    wrong = run_cli("export", "-f", "csv", "--view", "places", "-o", str(tmp_path / "x"), env=kb_env)
    assert wrong.returncode == 2


def test_json_relationships_carry_their_ends(kb_env):
    rows = json.loads(run_cli("cypher", "MATCH (a:Place {id: 'chengdu'})-[r:PART_OF]->(b) RETURN a, r, b", "-f",
                              "json", env=kb_env).stdout)
    a, r, b = rows[0]["a"], rows[0]["r"], rows[0]["b"]
    assert (r["type"], r["start"], r["end"]) == ("PART_OF", a["element_id"], b["element_id"])


def test_an_unreachable_neo4j_names_the_cause_and_a_hint(cli_env):
    result = run_cli("--uri", "bolt://127.0.0.1:9", "stats", env={**cli_env, "NEO4J_PASSWORD": "do-not-echo"})
    assert result.returncode == 3
    assert "Connection refused" in result.stderr and "docker compose up -d" in result.stderr
    assert "do-not-echo" not in result.stderr
    for uri in ("bolt://127.0.0.1:9/?password=q-secret", "falkordb://127.0.0.1:9/?password=q-secret#f"):
        leaked = run_cli("--uri", uri, "stats", env=cli_env)
        assert leaked.returncode == 3 and "q-secret" not in leaked.stderr, leaked.stderr


@pytest.mark.parametrize(("args", "said"), [
    (["hubs", "-p", "bloc=Indai"], "the graph holds no bloc 'Indai'; did you mean 'India'?"),
    (["peers", "-p", "place=Lyonn"], "the graph holds no place 'Lyonn'; did you mean 'Lyon'?"),
    (["partners", "-p", "place="], "parameter place is empty"),
    (["path", "-p", "from=Barcelonaa", "-p", "to=Shantou"], "no node 'Barcelonaa'; did you mean 'Barcelona'"),
])
def test_a_value_the_graph_does_not_hold_is_exit_2_with_did_you_mean(kb_env, args, said):
    done = run_cli("query", *args, env=kb_env)
    assert done.returncode == 2 and said in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""


def test_an_empty_answer_for_a_value_the_graph_holds_stays_an_empty_answer(kb_env):
    done = run_cli("query", "hubs", "-p", "bloc=india", "-p", "min_partners=50", "-f", "json", env=kb_env)
    assert done.returncode == 0 and json.loads(done.stdout) == []


def test_the_listing_sums_each_command_up_as_its_own_help_does():
    """`citygraph --help` lists commands from a table, without importing them: each line is the first paragraph
    of that command's own help, so the table cannot drift from the commands."""
    import inspect

    for name, entry in commands.COMMANDS.items():
        built = commands.build(name, entry, "rich")
        assert built.name == name
        first = " ".join(inspect.cleandoc(built.help or "").split("\n\n")[0].split())
        assert first == entry.summary, name


def test_a_mistyped_command_is_one_line_with_a_suggestion(kb_env):
    wrong = run_cli("lod", "x.csv", env=kb_env)
    assert wrong.returncode == 2 and wrong.stderr.count("\n") == 1
    assert "No such command 'lod'. Did you mean 'load'?" in wrong.stderr
