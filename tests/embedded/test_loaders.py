"""The model and its loaders against the real embedded database."""

from __future__ import annotations

import json

import pytest

from citygraph.analysis.stats import graph_stats
from citygraph.core.errors import InputError
from citygraph.loaders import load
from citygraph.loaders.gazetteers import bundled
from citygraph.loaders.options import ReadOptions
from citygraph.loaders.read import bundled_dataset, known_base, read_paths
from citygraph.loaders.report.parser import parse_report
from citygraph.loaders.write.writer import write_dataset
from citygraph.query import catalog
from tests.conftest import REPORTS, run_cli, unknown_copy

EDITION_1 = REPORTS / "world-cities-eu-china-pilots-2016.txt"
EDITION_2 = REPORTS / "world-cities-pilot-projects-eu-china-india.txt"


@pytest.fixture
def kb(fresh):
    write_dataset(fresh, bundled_dataset())
    return fresh


# --- parser on the shared reports ---------------------------------------------

def test_parser_finds_pairings_issues_and_bullets_with_lines(tmp_path):
    report = parse_report(unknown_copy(tmp_path, EDITION_2.name), bundled(), known_base())  # the parser's reading
    assert [(p.id, p.line) for p in report.pilots] == [
        ("pilot-west-midlands--guangzhou-tianjin", 10), ("pilot-barcelona--wuhan-chengdu", 32),
        ("pilot-dublin--wuhan-chengdu", 49), ("pilot-lyon--guangzhou", 71), ("pilot-andalucia--shantou", 93),
        ("pilot-lazio--tianjin", 107), ("pilot-copenhagen--chandigarh", 121), ("pilot-stuttgart--mumbai", 128),
        ("pilot-lazio--navi-mumbai", 134), ("pilot-andalucia--pune", 140)]
    coops = {c.sources[0].line_start: c for c in report.dataset.cooperations}  # ids: document and first line
    assert coops[65].id == "world-cities-pilot-projects-eu-china-india-l65"
    assert {i.id for i in coops[65].involves} == {"green-way", "wuhan", "chengdu"}  # "Chendgu"
    mission = coops[76]  # the start-up list folds into its bullet
    assert (mission.sources[0].line_start, mission.sources[0].line_end) == (76, 82)
    assert mission.date == "2015-06"
    assert {"evotion", "navya", "bidul-and-co", "my-blue-ship", "forcity"} <= {i.id for i in mission.involves}
    assert coops[105].status.value == "planned"  # a Next Step line
    assert coops[112].channel.value == "port"  # no issue headings in pilot 6
    assert report.unresolved == []


def test_a_known_report_is_the_base_reading_of_it():
    """A report whose hash the base records loads as the base's facts that cite it, ids and all."""
    report = parse_report(EDITION_2, bundled(), known_base())
    assert [p.id for p in report.dataset.pilots] == [f"eu-china-{n}" for n in range(1, 7)] + [
        f"eu-india-{n}" for n in range(1, 5)]
    coops = {c.id: c for c in report.dataset.cooperations}
    assert [s.id for s in coops["green-way-clusters"].sources] == ["pilots-china-india:65"]  # its own lines only
    assert {d.id for d in report.dataset.documents} == {"pilots-china-india"}


def test_parser_resolves_misspellings_in_edition_one():
    report = parse_report(EDITION_1, bundled(), known_base())
    involved = {i.id for c in report.dataset.cooperations for i in c.involves}
    assert {"keele-university", "dublin-city-university", "wm-universities", "andalucia-smart-city-cluster",
            "chengdu", "accio", "cinecitta"} <= involved
    assert [p.id for p in report.pilots] == [f"eu-china-{n}" for n in range(1, 7)]
    assert report.unresolved == []


def test_parser_other_layouts(tmp_path):
    text = ("Intro text.\r\n\r\n1) Pune (cooperation mainly with Andalucia)\r\n"
            "\t- Cooperation with the Acme Widget Company on smart mobility\r\n"
            "\t\t* sub item naming Malaga\r\n"
            "Issue 2 – Ports\r\n"
            "    ◦  Port of Malaga   and   Pune Municipal Corporation, June 2016\r\n")
    path = tmp_path / "layout.txt"
    path.write_bytes(text.encode())
    report = parse_report(path, bundled())
    (pilot,) = report.pilots
    assert (pilot.id, pilot.europe, pilot.partner) == ("pilot-andalucia--pune", ["andalucia"], ["pune"])  # by partners
    coops = report.dataset.cooperations
    assert {i.id for i in coops[0].involves} == {"malaga"}
    assert coops[1].issue == 2 and coops[1].date == "2016-06"
    assert {i.id for i in coops[1].involves} == {"port-of-malaga", "pune-municipal-corporation"}
    assert [(u.where.rsplit(":", 1)[1], u.text) for u in report.unresolved] == [("4", "Acme Widget Company")]


def test_reports_give_the_same_hubs_as_the_knowledge_base(fresh):
    readings = [(b, via) for b in ("China", "India") for via in ("any", "pilots")]
    load(fresh, [EDITION_1, EDITION_2])
    from_reports = {(b, via): catalog.run(fresh, "hubs", {"bloc": b, "via": via}) for b, via in readings}
    fresh.clear()
    write_dataset(fresh, bundled_dataset())
    from_kb = {(b, via): catalog.run(fresh, "hubs", {"bloc": b, "via": via}) for b, via in readings}
    assert from_reports == from_kb
    by_place = {r["place"]: r for r in from_kb["China", "pilots"]}
    assert by_place["Chengdu"]["partner_count"] == 3 and {"Barcelona", "Dublin"} <= set(by_place["Chengdu"]["partners"])
    assert by_place["Shantou"]["partner_count"] == 3 and {"Barcelona", "Dublin"} <= set(by_place["Shantou"]["partners"])


def test_both_editions_make_one_node_with_two_sources(fresh):
    load(fresh, [EDITION_1, EDITION_2])
    rows = fresh.read("MATCH (c:Cooperation {id: 'evotion-artigent'})-[:CITED_IN]->(s:Source) RETURN s.document AS d "
                      "ORDER BY d")
    assert [r["d"] for r in rows] == ["pilots-2016", "pilots-china-india"]  # the bundled base's documents


# --- model invariants on the bundled knowledge base ----------------------------

def test_invariants(kb):
    assert kb.read("MATCH (c:Cooperation) WHERE NOT (c)-[:CITED_IN]->(:Source) RETURN c.id AS id") == []
    assert kb.read("MATCH (c:Cooperation) WHERE NOT (c)-[:UNDER]->(:PilotProject) RETURN c.id AS id") == []
    assert kb.read("MATCH (o:Organisation) WHERE NOT (o)-[:LOCATED_IN]->(:Place) RETURN o.id AS id") == []
    assert kb.read("MATCH (n) WITH labels(n)[0] AS l, n.id AS id, count(*) AS c WHERE c > 1 RETURN l, id") == []
    assert kb.read("MATCH (p:Place) WHERE NOT p.bloc IN ['Europe', 'China', 'India'] RETURN p.id AS id") == []
    counts = {r["name"]: r["count"] for r in graph_stats(kb) if r["kind"] == "label"}
    assert counts["PilotProject"] == 10
    programmes = kb.read("MATCH (p:Programme) RETURN p.name AS n, p.pilots_total AS t, p.mous_signed AS m ORDER BY n")
    assert programmes == [{"n": "EU-China", "t": 24, "m": 14}, {"n": "EU-India", "t": 12, "m": 0}]
    text = json.dumps(kb.read("MATCH (n) RETURN properties(n) AS p"), ensure_ascii=False)
    assert "@" not in text and "pgandara" not in text


def test_load_is_idempotent(kb):
    before = graph_stats(kb)
    report = write_dataset(kb, bundled_dataset())
    assert report.counters["nodes_created"] == 0 and report.counters["relationships_created"] == 0
    assert graph_stats(kb) == before


# --- structured files ---------------------------------------------------------

def test_pairs_csv_with_column_mapping(fresh, tmp_path):
    path = tmp_path / "twins.csv"
    path.write_text("city1,country1,city2,country2\nLyon,FR,Guangzhou,CN\nKraków,PL,Chengdu,CN\n"
                    "Oslo,NO,Nashville,US\n", encoding="utf-8")
    loaded = read_paths([path], ReadOptions(columns="a=city1,a_country=country1,b=city2,b_country=country2"))
    write_dataset(fresh, loaded.dataset)
    rows = fresh.read("MATCH (a)-[r:COOPERATES_WITH {channel: 'twinning'}]->(b) "
                      "RETURN a.name AS a, b.name AS b ORDER BY a")
    assert rows == [{"a": "Kraków", "b": "Chengdu"}, {"a": "Lyon", "b": "Guangzhou"}, {"a": "Oslo", "b": "Nashville"}]
    assert fresh.read("MATCH (p:Place {name: 'Nashville'}) RETURN p.bloc AS b, p.country AS c") == [
        {"b": "United States", "c": "US"}
    ]
    assert fresh.read("MATCH (p:Place {name: 'Kraków'}) RETURN p.bloc AS b") == [{"b": "Europe"}]


def test_canonical_yaml_json_csv(fresh, tmp_path):
    (tmp_path / "extra.yaml").write_text(
        "places:\n  - {id: nantes, name: Nantes, kind: City, country: FR}\n"
        "cooperations:\n  - {id: nantes-wuhan, title: Nantes and Wuhan, channel: university, "
        "sectors: [education-research],"
        " involves: [nantes, wuhan], sources: ['extra:3']}\n",
        encoding="utf-8",
    )
    (tmp_path / "more.json").write_text(
        json.dumps({"places": [{"id": "graz", "name": "Graz", "kind": "City", "country": "AT"}]}), encoding="utf-8"
    )
    (tmp_path / "organisations.csv").write_text(
        "id,name,kind,located_in,aliases\ntu-graz,TU Graz,University,graz,Graz University of Technology;TUG\n",
        encoding="utf-8",
    )
    loaded = read_paths([tmp_path / "extra.yaml", tmp_path / "more.json", tmp_path / "organisations.csv"])
    write_dataset(fresh, loaded.dataset)
    assert fresh.read(
        "MATCH (o:University {id: 'tu-graz'})-[:LOCATED_IN]->(p:Place) RETURN o.aliases AS a, p.name AS p"
    ) == [{"a": ["Graz University of Technology", "TUG"], "p": "Graz"}]
    assert fresh.read(
        "MATCH (:Place {id: 'nantes'})-[r:COOPERATES_WITH]->(:Place {id: 'wuhan'}) RETURN r.channel AS c"
    ) == [{"c": "university"}]


# --- bad input: one clear message, non-zero exit, graph unchanged ---------------

BAD = {
    "missing-id.yaml": (
        "places:\n  - {id: ok, name: Ok, kind: City, country: FR}\n  - {name: NoId, kind: City, country: FR}\n",
        "missing-id.yaml:3",
        "id",
    ),
    "kind.yaml": (
        "organisations:\n  - {id: x, name: X, kind: Spaceport, located_in: lyon}\n",
        "kind.yaml:2",
        "Spaceport",
    ),
    "channel.yaml": (
        "cooperations:\n  - {id: c, title: T, channel: telepathy, involves: [lyon]}\n",
        "channel.yaml:2",
        "channel",
    ),
    "dangling.yaml": (
        "places:\n  - {id: a, name: A, kind: City, country: FR}\n"
        "  - {id: b, name: B, kind: City, country: FR, part_of: atlantis}\n",
        "dangling.yaml:3",
        "atlantis",
    ),
    "date.yaml": ("events:\n  - {id: e, name: E, date: June 2016}\n", "date.yaml:2", "YYYY"),
    "contact.yaml": (
        "people:\n  - {id: p, name: Someone, role: contact me at someone@example.org}\n",
        "contact.yaml:2",
        "e-mail",
    ),
    "empty.yaml": ("", "empty.yaml", "empty"),
    "places.csv": ("id,name,kind\nx,X,City\n", "places.csv:1", "country"),
    "norep.txt": ("Just some prose.\nNo pairings here.\n", "norep.txt", "pilot pairing"),
    "badyaml.yaml": ("places:\n  - {id: a, name: [unclosed\n", "badyaml.yaml:", "invalid YAML"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_is_refused_and_writes_nothing(name, tmp_path, cli_env):
    content, where, words = BAD[name]
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    run_cli("load", env=cli_env)  # the bundled base first
    before = run_cli("stats", "-f", "json", env=cli_env).stdout
    result = run_cli("load", str(path), env=cli_env)
    assert result.returncode == 5, result.stderr
    assert where in result.stderr and words in result.stderr
    assert "Traceback" not in result.stderr
    assert run_cli("stats", "-f", "json", env=cli_env).stdout == before


def test_non_utf8_names_the_line(tmp_path, fresh):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("places:\n  - {id: m, name: M\xe1laga, kind: City, country: ES}\n".encode("latin-1"))
    with pytest.raises(InputError) as info:
        read_paths([path])
    assert "latin1.yaml:2" in str(info.value) and "UTF-8" in str(info.value)


def test_last_row_bad_means_nothing_written(fresh, tmp_path):
    rows = "".join(f"p{i},Place {i},City,FR\n" for i in range(50))
    path = tmp_path / "places.csv"
    path.write_text("id,name,kind,country\n" + rows + "bad,Bad,Planet,FR\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load(fresh, [path])
    assert "places.csv:52" in str(info.value)
    assert graph_stats(fresh) == []


def test_strict_refuses_unresolved_names(tmp_path, cli_env):
    path = tmp_path / "r.txt"
    path.write_text("1. Lyon – Guangzhou\n  • Cooperation with ZQXB and the Zorblax Innovation Agency\n",
                    encoding="utf-8")
    loose = run_cli("load", str(path), env=cli_env)
    assert loose.returncode == 0 and f"unresolved name: {path}:2: ZQXB" in loose.stderr
    assert f"extracted organisation: {path}:2: Zorblax Innovation Agency (PublicBody)" in loose.stderr
    run_cli("reset", "--yes", env=cli_env)
    strict = run_cli("load", str(path), "--strict", env=cli_env)
    assert strict.returncode == 5 and "--strict" in strict.stderr
    assert run_cli("stats", "-f", "json", env=cli_env).stdout.strip() == "[]"


def test_writing_in_small_parts_gives_the_same_graph(fresh):
    from citygraph.loaders.plan import plan
    from citygraph.loaders.write.writer import write_plan

    write_dataset(fresh, bundled_dataset())
    whole = graph_stats(fresh)
    fresh.clear()
    dataset = bundled_dataset()
    seen: list[tuple[int, int]] = []
    the_plan = plan(dataset, fresh, chunk=7)  # 54 cooperations in 8 parts, 39 places in 6, …
    chunks = sum(-(-len(getattr(dataset, s)) // 7) for s in ("places", "organisations", "people", "pilots",
                                                             "cooperations"))
    assert sum(1 for _ in the_plan.parts()) == 1 + chunks + 1 + 1  # sectors, chunks, PART_OF, agreements
    write_plan(fresh, the_plan, batch_size=5, progress=lambda done, total: seen.append((done, total)))
    assert graph_stats(fresh) == whole
    items = dataset.size() - len(dataset.documents)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen) and seen[-1] == (items, items)


def test_loading_pauses_the_cyclic_gc_and_restores_it(tmp_path):
    import gc

    from citygraph.loaders.runtime.gcpause import without_cyclic_gc

    seen = []
    probe = without_cyclic_gc(lambda: seen.append(gc.isenabled()) or 1 / 0)
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError):
        probe()
    assert seen == [False] and gc.isenabled()


def test_raw_reports_after_the_bundled_base_are_recognised_not_doubled(kb, tmp_path):
    """The README's order (bundled base, then the raw reports) doubled every cooperation (54 + 50 = 104):
    a report is now known by its content hash, and loads as the base's reading of it, so no count changes.
    A new report's pilot takes its id from its partners, so it never rewrites another's."""
    def count(label: str) -> int:
        return kb.read(f"MATCH (n:{label}) RETURN count(n) AS n")[0]["n"]

    hubs = {b: catalog.run(kb, "hubs", {"bloc": b}) for b in ("China", "India")}
    before = graph_stats(kb)
    load(kb, [EDITION_1, EDITION_2])
    assert graph_stats(kb) == before
    assert {b: catalog.run(kb, "hubs", {"bloc": b}) for b in ("China", "India")} == hubs
    other = tmp_path / "another-programme.txt"
    other.write_text("1. Lyon – Shantou\n  • Lyon and Shantou compare their port plans.\n", encoding="utf-8")
    load(kb, [other])
    first = kb.read("MATCH (p:PilotProject {id: 'eu-china-1'})-[:HAS_PARTNER]->(x) RETURN x.id AS id ORDER BY id")
    assert [r["id"] for r in first] == ["guangzhou", "tianjin", "west-midlands"]
    assert count("PilotProject") == 11


def _hubs_and_bridges(store) -> dict:
    answers = {("hubs", b, n): catalog.run(store, "hubs", {"bloc": b, "min_partners": n})
               for b in ("China", "India") for n in (1, 2)}
    return answers | {("bridges", n): catalog.run(store, "bridges", {"min_partners": n}) for n in (1, 2)}


def test_the_raw_reports_alone_match_the_bundled_base(fresh, tmp_path):
    """Parity, with the parser's own reading (unknown copies, so nothing comes from the base's facts): the
    two raw texts alone give at least 5 agreements and 8 dated events, and the same hubs and bridges as the
    bundled base."""
    load(fresh, [unknown_copy(tmp_path, p.name) for p in (EDITION_1, EDITION_2)])
    agreements = fresh.read("MATCH (a:Agreement)-[:SIGNED_BY]->(p) WITH a, collect(p.id) AS parties "
                            "RETURN a.status AS status, parties")
    distinct = {(r["status"], tuple(sorted(r["parties"]))) for r in agreements}
    assert len(distinct) >= 5, distinct
    dated = fresh.read("MATCH (e:Event) WHERE e.date IS NOT NULL RETURN DISTINCT e.kind AS kind, e.date AS date")
    assert len(dated) >= 8, dated
    shantou = fresh.read("MATCH (e:Event {date: '2016-06'}) WHERE e.date_end IS NOT NULL RETURN e.date_end AS end")
    assert shantou and {r["end"] for r in shantou} == {"2016-07"}  # June/July 2016, a range
    raw = _hubs_and_bridges(fresh)
    fresh.clear()
    write_dataset(fresh, bundled_dataset())
    base = _hubs_and_bridges(fresh)
    assert {k: [(r["place"], r["partners"]) for r in v] for k, v in raw.items()} == {
        k: [(r["place"], r["partners"]) for r in v] for k, v in base.items()}


def test_places_organisations_and_people_cite_the_lines_that_name_them(kb, tmp_path):
    """`provenance` of an organisation was empty: entities now cite the facts that name them."""
    keele = catalog.run(kb, "provenance", {"id": "keele-university"})
    assert {r["source"] for r in keele} == {"pilots-2016:8", "pilots-china-india:15"}
    assert catalog.run(kb, "provenance", {"id": "pablo-gandara"})  # the contact: a person with a role, cited
    person = kb.read("MATCH (p:Person {id: 'pablo-gandara'}) RETURN p.role AS role, keys(p) AS keys")[0]
    assert person["role"] and not {"email", "phone"} & set(person["keys"])
    report = tmp_path / "eu-japan.txt"
    report.write_text("1. Lyon – Osaka\n• The University of Osaka hosts Lyon researchers.\n", encoding="utf-8")
    load(kb, [report])
    named = catalog.run(kb, "provenance", {"id": "university-of-osaka"})
    assert [r["source"] for r in named] == ["eu-japan:2"]
    assert "eu-japan:1" in {r["source"] for r in catalog.run(kb, "provenance", {"id": "lyon"})}


def test_a_pairing_place_the_graph_holds_is_known(fresh, tmp_path):
    """Unknown places are looked up in the gazetteers, the world, and the graph before they are called
    unknown: a place an earlier load defined resolves a later report's pairing."""
    own = tmp_path / "places.yaml"
    own.write_text("places:\n  - {id: zqxville, name: Zqxville, kind: City, country: FR}\n", encoding="utf-8")
    load(fresh, [own])
    report = tmp_path / "eu-japan-new.txt"
    report.write_text("1. Zqxville – Osaka\n• Zqxville and Osaka compare tram plans.\n", encoding="utf-8")
    result = load(fresh, [report], strict=True)
    assert result.unresolved == []
    pilot = fresh.read("MATCH (p:PilotProject)-[:HAS_PARTNER {side: 'Europe'}]->(x) RETURN x.id AS id")
    assert [r["id"] for r in pilot] == ["zqxville"]


def test_a_place_that_is_no_party_any_more_leaves_the_hubs(fresh, tmp_path):
    """The writer marks places a party relationship reaches; a retraction that takes the last one away
    unmarks it, so hubs stop listing a place that only remains defined."""
    notes = tmp_path / "notes.yaml"
    body = ("documents: [{id: notes, title: Notes}]\n"
            "places:\n  - {id: kobe, name: Kobe, kind: City, country: JP}\n"
            "  - {id: lyon-x, name: Lyon X, kind: City, country: FR}\n"
            "  - {id: turin-x, name: Turin X, kind: City, country: IT}\n")
    coops = ("pilots:\n  - {id: p1, programme: EU-Japan, number: 1, name: Lyon X – Kobe, europe: [lyon-x], "
             "partner: [kobe], sources: ['notes:1']}\n"
             "  - {id: p2, programme: EU-Japan, number: 2, name: Turin X – Kobe, europe: [turin-x], "
             "partner: [kobe], sources: ['notes:2']}\n")
    notes.write_text(body + coops, encoding="utf-8")
    load(fresh, [notes])
    assert [r["place"] for r in catalog.run(fresh, "hubs", {"bloc": "Japan"})] == ["Kobe"]
    notes.write_text(body, encoding="utf-8")
    load(fresh, [notes], replace=True)
    assert fresh.read("MATCH (p:Place {id: 'kobe'}) RETURN p.party AS party") == [{"party": None}]
    assert catalog.run(fresh, "hubs", {"bloc": "Japan", "min_partners": 1}) == []


def test_a_graph_an_earlier_version_wrote_is_brought_up_to_date_by_a_load(fresh, tmp_path):
    """Earlier versions wrote a Source node per locator and no party marks: the next load turns the old
    sources into citations of their document's Source, and hubs answer again."""
    write_dataset(fresh, bundled_dataset())
    fresh.write("MATCH (p:Place) REMOVE p.party")
    fresh.write("MATCH ()-[r:REACHES]->() DELETE r")
    fresh.write("MATCH ()-[r:HAS_PARTNER {side: 'Partner'}]->() SET r.side = 'Asia'")  # the side's old name
    fresh.write("MATCH (c:Cooperation {id: 'wm-district-heating'})-[r:CITED_IN]->() DELETE r")
    fresh.write("MATCH (c:Cooperation {id: 'wm-district-heating'}) CREATE (c)-[:CITED_IN]->(:Source {id: "
                "'pilots-2016:8', document: 'pilots-2016', title: 'old', lines: '8', line_start: 8, line_end: 8, "
                "pilot: 'eu-china-1', issue: 1, bullet: 2})")
    hubs = catalog.run(fresh, "hubs", {"bloc": "China", "via": "pilots"})
    assert hubs == []  # what an upgraded program sees before the next write
    note = tmp_path / "note.yaml"
    note.write_text("places:\n  - {id: nara, name: Nara, kind: City, country: JP}\n", encoding="utf-8")
    load(fresh, [note])
    rows = catalog.run(fresh, "provenance", {"id": "wm-district-heating"})
    assert [(r["source"], r["lines"], r["pilot"], r["issue"]) for r in rows] == [
        ("pilots-2016:8", "8", "eu-china-1", 1)]
    assert fresh.read("MATCH (s:Source) WHERE s.id CONTAINS ':' RETURN count(s) AS n") == [{"n": 0}]
    assert fresh.read("MATCH ()-[r:HAS_PARTNER]->() RETURN DISTINCT r.side AS side ORDER BY side") == [
        {"side": "Europe"}, {"side": "Partner"}]
    assert [r["place"] for r in catalog.run(fresh, "hubs", {"bloc": "China", "via": "pilots"})] == [
        "Chengdu", "Shantou", "Guangzhou", "Tianjin", "Wuhan"]


def test_a_pilot_written_with_the_old_asia_side_is_read_as_its_partner_side(fresh, tmp_path, caplog):
    notes = tmp_path / "old.yaml"
    notes.write_text("documents: [{id: old, title: Old notes}]\n"
                     "places:\n  - {id: kobe, name: Kobe, kind: City, country: JP}\n"
                     "  - {id: lyon-x, name: Lyon X, kind: City, country: FR}\n"
                     "pilots:\n  - {id: p1, programme: EU-Japan, number: 1, name: Lyon X – Kobe, europe: [lyon-x], "
                     "asia: [kobe], sources: ['old:1']}\n", encoding="utf-8")
    with caplog.at_level("WARNING", logger="citygraph"):
        load(fresh, [notes])
    assert fresh.read("MATCH (:PilotProject {id: 'p1'})-[r:HAS_PARTNER]->(p:Place) RETURN r.side AS side, "
                      "p.id AS id ORDER BY side") == [{"side": "Europe", "id": "lyon-x"},
                                                      {"side": "Partner", "id": "kobe"}]
    [note] = [r.getMessage() for r in caplog.records if "old name" in r.getMessage()]
    assert f"{notes}:" in note and "`asia`" in note and "`partner`" in note
