"""Lists of pairs as their authors publish them, read and loaded into the real embedded engine.

Fixtures live in tests/fixtures/lists: ``twins-names.csv`` has every shape
real twin-town lists show (country names in many forms, pairs from both sides
with spelling variants, namesakes, a self-pair, empty cells, an unknown
country); other layouts (``;`` with a BOM, tabs, pipes, another encoding,
``.xlsx``) are written from the same rows in each test.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from citygraph.analysis.stats import graph_stats
from citygraph.core.config import resolve
from citygraph.core.errors import ConfigError, InputError, RowsRejected
from citygraph.loaders.formats.tabular import read_table
from citygraph.loaders.options import ReadOptions
from citygraph.loaders.pipeline import load, prepare
from citygraph.loaders.read import read_paths
from citygraph.query import catalog
from citygraph.store import open_store
from tests.conftest import run_cli
from tests.fixtures.lists.messy import COLUMNS, make_list

LISTS = Path(__file__).resolve().parent.parent / "fixtures" / "lists"
NAMES = LISTS / "twins-names.csv"
OPTIONS = ReadOptions(columns=COLUMNS)


def _places(store) -> dict[str, dict]:
    rows = store.read("MATCH (p:Place) RETURN p.id AS id, p.name AS name, p.country AS country, p.bloc AS bloc, "
                      "p.lat AS lat, p.lon AS lon, p.geonames AS geonames, p.aliases AS aliases")
    return {r["id"]: r for r in rows}


def _sources(store, coop_id: str) -> list[str]:
    rows = store.read("MATCH (:Cooperation {id: $id})-[c:CITED_IN]->(:Source) RETURN c.source AS id ORDER BY id",
                      {"id": coop_id})
    return [r["id"] for r in rows]


def test_countries_as_written_resolve_to_iso_codes_and_blocs(fresh):
    load(fresh, [NAMES], options=OPTIONS, on_error="skip", max_skipped=50)
    places = _places(fresh)
    expected = {"tirana-al": "AL", "istanbul-tr": "TR", "kazan-ru": "RU", "cork-ie": "IE", "coventry-gb": "GB",
                "glasgow-gb": "GB", "tbilisi-ge": "GE", "abidjan-ci": "CI", "praia-cv": "CV", "mariehamn-ax": "AX",
                "saint-denis-re": "RE", "pristina-xk": "XK", "ramallah-ps": "PS", "taipei-tw": "TW"}
    assert {pid: places[pid]["country"] for pid in expected} == expected
    assert places["taipei-tw"]["bloc"] == "Taiwan" and places["istanbul-tr"]["bloc"] == "Europe"
    assert places["ramallah-ps"]["bloc"] == "Palestine" and places["pristina-xk"]["bloc"] == "Europe"


def test_a_pair_from_both_sides_with_variants_is_one_cooperation_citing_both_rows(fresh):
    load(fresh, [NAMES], options=OPTIONS, on_error="skip", max_skipped=50)
    assert _sources(fresh, "twinning-furth-bei-gottweig-at-ludres-fr") == ["twins-names:10", "twins-names:11"]
    assert _sources(fresh, "twinning-kyiv-ua-villeneuve-d-ascq-fr") == ["twins-names:12", "twins-names:13"]
    places = _places(fresh)
    assert places["furth-bei-gottweig-at"]["name"] == "Furth bei Göttweig"
    assert "Furth bei Gottweig" in places["furth-bei-gottweig-at"]["aliases"]
    coops = fresh.read("MATCH (c:Cooperation) RETURN count(c) AS n")[0]["n"]
    assert coops == 14  # 21 rows: 4 rejected, 3 restating a pair


def test_a_list_of_pairs_is_at_most_six_rows_per_link_and_every_row_keeps_its_provenance(fresh, tmp_path):
    """One Source per document, the row on each CITED_IN, and towns citing through their cooperations: a
    link was 7.3 rows (a Source node per row, and a citation per town)."""
    messy = make_list(3000, 7).write(tmp_path / "twins.csv", delimiter=";")
    result = load(fresh, [messy], options=OPTIONS, on_error="skip", max_skipped=50)
    coops = fresh.read("MATCH (c:Cooperation) RETURN count(c) AS n")[0]["n"]
    assert result.rows / coops <= 6, result.rows / coops
    assert fresh.read("MATCH (s:Source) RETURN s.id AS id") == [{"id": "twins"}]
    fresh.clear()
    load(fresh, [NAMES], options=OPTIONS, on_error="skip", max_skipped=50)
    town = catalog.run(fresh, "provenance", {"id": "ludres-fr"})  # the rows of the cooperations naming it
    assert [(r["source"], r["document"]) for r in town] == [("twins-names:10", "Pairs from twins-names.csv"),
                                                             ("twins-names:11", "Pairs from twins-names.csv")]


def test_the_world_gazetteer_names_places_and_places_them(fresh):
    load(fresh, [NAMES], options=OPTIONS, on_error="skip", max_skipped=50)
    places = _places(fresh)
    kyiv = places["kyiv-ua"]
    assert kyiv["name"] == "Kyiv" and "Kiev" in kyiv["aliases"] and kyiv["geonames"] == 703448
    assert kyiv["lat"] == pytest.approx(50.45, abs=0.05) and kyiv["lon"] == pytest.approx(30.52, abs=0.05)
    assert places["durban-za"]["name"] == "Durban" and "eThekwini" in places["durban-za"]["aliases"]
    # Namesakes in one country stay apart; a town nobody knows is kept as written, without coordinates.
    assert places["nienburg-de"]["aliases"][0] == "Nienburg/Weser"
    assert places["nienburg-saale-de"]["name"] == "Nienburg/Saale"
    assert places["kleinwolkenheim-de"]["lat"] is None and places["kleinwolkenheim-de"]["name"] == "Kleinwolkenheim"


def test_every_bad_row_is_reported_in_one_run_and_nothing_is_written(fresh):
    with pytest.raises(RowsRejected) as caught:
        prepare(fresh, [NAMES], options=OPTIONS)
    message = str(caught.value)
    assert [r.where.rsplit(":", 1)[1] for r in caught.value.rejected] == ["15", "16", "17", "22"]
    assert "'Nienburg (Germany)' and 'Nienburg/Weser (Germany)' are both 'nienburg-de'" in message
    assert "twins-names.csv:22: country 'Narnia'" in message
    assert graph_stats(fresh) == []


def test_rows_naming_one_place_twice_are_one_reason_however_their_countries_are_written(fresh, tmp_path):
    """A list's self-pairs, its countries spelled each its own way, were one skip reason each (260 lines for
    the 26,114-row list); they are one reason with a count."""
    from citygraph.loaders.formats.rejects import skip_summary

    path = tmp_path / "twins.csv"
    path.write_text("city1;country1;city2;country2\nLyon;France;Lyon;FR\nPorto;PRT;Porto;Portugal\n"
                    "Tampere;FI;Tampere;FINLAND\nLyon;France;Porto;Portugal\n", encoding="utf-8")
    prepared = prepare(fresh, [path], options=OPTIONS, on_error="skip", max_skipped=90)
    lines = skip_summary(prepared.rejected, 4)
    assert lines[1:] == ["  3 × both ends are the same place: … and … are both …; e.g. "
                         f"{path}:2 'Lyon (France)'"], lines


def test_skip_loads_the_rest_and_the_rejects_file_loads_once_fixed(cli_env, tmp_path):
    rejects = tmp_path / "fix-me.csv"
    result = run_cli("load", str(NAMES), "--columns", COLUMNS, "--on-error", "skip", "--max-skipped", "50",
                     "--rejects", str(rejects), "-f", "json", env=cli_env)
    assert result.returncode == 0, result.stderr
    summary = {r["what"]: r["count"] for r in json.loads(result.stdout)}
    assert summary["rows read"] == 21 and summary["rows rejected"] == 4
    assert summary["rows merged as duplicates"] == 3 and summary["cooperations"] == 14
    assert "skipped 4 of 21 rows" in result.stderr and "twins-names.csv:22" in result.stderr
    with rejects.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["city1"] for r in rows] == ["Nienburg", "Łódź", "Durban", "Tampere"]
    assert rows[3]["reason"].startswith("country 'Narnia'")
    fixed = tmp_path / "fixed.csv"
    rows[3]["country2"] = "Sweden"  # the analyst corrects one row and drops the others
    with fixed.open("w", encoding="utf-8", newline="") as f:
        out = csv.DictWriter(f, fieldnames=list(rows[3]))
        out.writeheader()
        out.writerow(rows[3])
    again = run_cli("load", str(fixed), "--columns", COLUMNS, "-f", "json", env=cli_env)
    assert again.returncode == 0, again.stderr
    assert {r["what"]: r["count"] for r in json.loads(again.stdout)}["cooperations"] == 1


def test_fail_is_the_default_and_exits_5_naming_every_row(cli_env):
    result = run_cli("load", str(NAMES), "--columns", COLUMNS, env=cli_env)
    assert result.returncode == 5
    for line in (15, 16, 17, 22):
        assert f"twins-names.csv:{line}:" in result.stderr
    assert run_cli("stats", "-f", "json", env=cli_env).stdout.strip() == "[]"


def _rows() -> list[list[str]]:
    with NAMES.open(encoding="utf-8") as f:
        return list(csv.reader(f))[:4]  # the header and three good rows


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_any_common_delimiter_with_or_without_bom(fresh, tmp_path, delimiter):
    path = tmp_path / "jumelages.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, delimiter=delimiter).writerows(_rows())
    table = read_table(path)
    table.close()
    assert table.header == ["city1", "country1", "city2", "country2"]
    assert load(fresh, [path], options=OPTIONS).sections["cooperations"] == 3


def test_another_encoding_names_the_option_and_loads_with_it(fresh, tmp_path):
    path = tmp_path / "excel-export.csv"
    path.write_bytes("city1;country1;city2;country2\nMálaga;España;Mâcon;France\n".encode("cp1252"))
    with pytest.raises(InputError, match="`encoding`"):
        read_paths([path], OPTIONS)
    with pytest.raises(ConfigError, match="not an encoding"):
        read_paths([path], ReadOptions(columns=COLUMNS, encoding="klingon"))
    load(fresh, [path], options=ReadOptions(columns=COLUMNS, encoding="cp1252"))
    names = {p["name"] for p in _places(fresh).values()}
    assert {"Málaga", "Mâcon"} <= names


def test_xlsx_first_sheet_or_the_named_one_with_dates_at_their_precision(fresh, tmp_path):
    import datetime as dt

    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    first.title = "notes"
    first.append(["nothing to load here"])
    pairs = book.create_sheet("pairs")
    pairs.append([None])  # an empty row above the header, as people leave them
    pairs.append(["city1", "country1", "city2", "country2", "since"])
    pairs.append(["Lyon", "France", "Birmingham", "United Kingdom", dt.datetime(2017, 5, 3)])
    pairs.append(["Kraków", "Poland", "Kyiv", "Ukraine", "1993-06"])
    pairs.append(["Tampere", "Finland", "Linz", "Austria", 1987])
    path = tmp_path / "partners.xlsx"
    book.save(path)
    with pytest.raises(InputError, match="'city1'"):
        read_paths([path], OPTIONS)  # the first sheet has no such columns
    with pytest.raises(InputError, match="no sheet 'pair'; its sheets are notes, pairs"):
        read_paths([path], ReadOptions(columns=COLUMNS, sheet="pair"))
    load(fresh, [path], options=ReadOptions(columns=COLUMNS + ",date=since", sheet="pairs"))
    dates = {r["d"] for r in fresh.read("MATCH (c:Cooperation) RETURN c.date AS d")}
    assert dates == {"2017-05-03", "1993-06", "1987"}
    where = fresh.read("MATCH (:Cooperation {id: 'twinning-birmingham-gb-lyon'})-[c:CITED_IN]->() "
                       "RETURN c.line_start AS line")
    assert where == [{"line": 3}]


def test_a_date_that_is_no_day_is_a_row_error(tmp_path):
    path = tmp_path / "dated.csv"
    path.write_text("a,ac,b,bc,d\nLyon,FR,Linz,AT,2017-02-30\nLyon,FR,Kyiv,UA,2017-02-28\n", encoding="utf-8")
    read = read_paths([path], ReadOptions(columns="a=a,a_country=ac,b=b,b_country=bc,date=d"))
    assert [(r.where.rsplit(":", 1)[1], "not a day of the calendar" in r.reason) for r in read.rejected] == [
        ("2", True)]


def test_coordinates_or_a_geonames_id_pick_the_namesake(fresh, tmp_path):
    path = tmp_path / "frankfurts.csv"
    path.write_text("a,ac,alat,alon,ag,b,bc\n"
                    "Frankfurt,Germany,,,,Lyon,France\n"
                    "Frankfurt,Germany,52.34,14.55,,Poznań,Poland\n"
                    "Frankfurt,Germany,,,2925533,Kyiv,Ukraine\n"
                    "Frankfurt,Germany,,,703448,Linz,Austria\n", encoding="utf-8")
    columns = "a=a,a_country=ac,a_lat=alat,a_lon=alon,a_geonames=ag,b=b,b_country=bc"
    read = read_paths([path], ReadOptions(columns=columns))
    involves = {c.sources[0].line_start: c.involves[0].id for c in read.dataset.cooperations}
    assert involves == {2: "frankfurt-am-main-de", 3: "frankfurt-oder-de", 4: "frankfurt-am-main-de"}
    assert [r.reason for r in read.rejected] == ["GeoNames id 703448 is Kyiv in UA, not in DE"]


def test_every_link_counts_within_a_bloc_too(fresh):
    load(fresh, [NAMES], options=OPTIONS, on_error="skip", max_skipped=50)
    rows = fresh.read("MATCH (a)-[r:COOPERATES_WITH]->(b) WHERE r.cooperation = 'twinning-birmingham-gb-lyon' "
                      "RETURN a.id AS a, b.id AS b, r.cross_bloc AS cross")
    assert rows == [{"a": "birmingham-gb", "b": "lyon", "cross": False}]
    path = catalog.run(fresh, "path", {"from": "Lyon", "to": "Birmingham"})
    assert path[0]["hops"] == 1
    partners = catalog.run(fresh, "partners", {"place": "Durban"})
    assert [(r["partner"], r["bloc"]) for r in partners] == [("Bordeaux", "Europe")]
    durban = catalog.run(fresh, "partners", {"place": "Bordeaux"})
    assert [(r["partner"], r["bloc"]) for r in durban] == [("Durban", "South Africa")]


def test_only_what_a_list_refers_to_comes_from_the_bundled_gazetteer(fresh):
    load(fresh, [NAMES], options=OPTIONS, on_error="skip", max_skipped=50)
    labels = {r["label"]: r["n"] for r in fresh.read("MATCH (n) RETURN labels(n)[0] AS label, count(n) AS n")}
    assert "Organisation" not in labels and "Person" not in labels
    assert {"lyon", "france"} <= set(_places(fresh))  # Lyon, and the country it is part of
    assert "chengdu" not in _places(fresh)


def test_a_user_gazetteer_and_the_graph_resolve_names(fresh, tmp_path):
    own = tmp_path / "my-places.yaml"
    own.write_text("places:\n  - id: greater-tampere\n    name: Tampere Region\n    kind: Region\n    country: FI\n"
                   "    aliases: [Pirkanmaa]\n", encoding="utf-8")
    path = tmp_path / "regions.csv"
    path.write_text("a,ac,b,bc\nPirkanmaa,Finland,Upper Austria,Austria\n", encoding="utf-8")
    columns = "a=a,a_country=ac,b=b,b_country=bc"
    load(fresh, [path], options=ReadOptions(columns=columns, gazetteer=own))
    assert _places(fresh)["greater-tampere"]["name"] == "Tampere Region"
    # Now in the graph: a later list that names the region resolves to it without the gazetteer file.
    later = tmp_path / "later.csv"
    later.write_text("a,ac,b,bc\nTampere Region,FI,Lyon,FR\n", encoding="utf-8")
    load(fresh, [later], options=ReadOptions(columns=columns))
    partners = catalog.run(fresh, "partners", {"place": "greater-tampere"})
    assert {r["partner"] for r in partners} == {"Upper Austria", "Lyon"}


def test_a_generated_list_of_30000_rows_loads_every_distinct_pair_once(cli_env, tmp_path):
    """Countries as written, both-sided pairs with variants, self-pairs and empty cells, mixed in at scale."""
    messy = make_list(30_000, seed=11)
    path = messy.write(tmp_path / "twins-30k.csv", delimiter=";")
    result = run_cli("load", str(path), "--columns", COLUMNS, "--on-error", "skip", "--max-skipped", "50", "-f", "json",
                     env=cli_env, timeout=600)
    assert result.returncode == 0, result.stderr
    summary = {r["what"]: r["count"] for r in json.loads(result.stdout)}
    assert summary["cooperations"] == len(messy.pairs)
    assert summary["rows rejected"] == messy.rejected and summary["rows merged as duplicates"] == messy.merged
    ids = json.loads(run_cli("cypher", "MATCH (p:Place) RETURN p.id AS id, p.geonames AS g, p.name AS name, "
                             "p.country AS c", "-f", "json", env=cli_env).stdout)
    key_of = {r["id"]: f"g{r['g']}" if r["g"] else f"x-{r['id'].split('-')[1]}" for r in ids}
    ranked = run_cli("centrality", "--view", "places", "--top", "1000000", "-f", "json", env=cli_env, timeout=600)
    assert ranked.returncode == 0, ranked.stderr
    degree = {key_of[r["id"]]: r["partners"] for r in json.loads(ranked.stdout)}
    assert degree == dict(messy.degree())
    before = run_cli("stats", "-f", "json", env=cli_env).stdout
    again = run_cli("load", str(path), "--columns", COLUMNS, "--on-error", "skip", "--max-skipped", "50", "-f", "json",
                    env=cli_env, timeout=600)
    counts = {r["what"]: r["count"] for r in json.loads(again.stdout)}
    assert counts["nodes created"] == 0 and counts["relationships created"] == 0
    assert run_cli("stats", "-f", "json", env=cli_env).stdout == before


def test_hubs_of_any_partner_country_in_any_case(fresh, tmp_path):
    """Twins of one Japanese city make it a hub of the bloc Japan, in any case of the bloc's name: all three
    under the default reading, and only the European pilot partners under `via pilots` (Tampere is none)."""
    load(fresh)  # the bundled knowledge base: the pilot partners
    china = {via: catalog.run(fresh, "hubs", {"bloc": "China", "via": via}) for via in ("any", "pilots")}
    path = tmp_path / "japan.csv"
    path.write_text("a,ac,b,bc\nBarcelona,Spain,Osaka,Japan\nDublin,Ireland,大阪,JP\nTampere,Finland,Osaka,JPN\n",
                    encoding="utf-8")
    load(fresh, [path], options=ReadOptions(columns="a=a,a_country=ac,b=b,b_country=bc"))
    hubs = catalog.run(fresh, "hubs", {"bloc": "japan"})
    assert [(h["place"], h["bloc"], h["partners"]) for h in hubs] == [
        ("Osaka", "Japan", ["Barcelona", "Dublin", "Tampere"])]
    hubs = catalog.run(fresh, "hubs", {"bloc": "JAPAN", "via": "pilots"})
    assert [(h["place"], h["bloc"], h["partners"]) for h in hubs] == [("Osaka", "Japan", ["Barcelona", "Dublin"])]
    assert {via: catalog.run(fresh, "hubs", {"bloc": "China", "via": via}) for via in ("any", "pilots")} == china


def test_a_twin_list_without_pilots_has_hubs_and_says_why_a_pilot_reading_is_empty(tmp_path, cli_env):
    """`query hubs` on a list once answered "(no rows)", exit 0, with no hint: hubs counted pilot partners
    only. Every cooperation counts now; `--via pilots` on a list says why it is empty."""
    path = tmp_path / "twins.csv"
    path.write_text("town,country,twin,twin_country\nShanghai,China,Lyon,France\nShanghai,China,Porto,Portugal\n"
                    "Shanghai,China,Chicago,United States\nShanghai,China,Osaka,Japan\nBeijing,China,Paris,France\n",
                    encoding="utf-8")
    columns = "a=town,a_country=country,b=twin,b_country=twin_country"
    assert run_cli("load", str(path), "--columns", columns, env=cli_env).returncode == 0
    hubs = json.loads(run_cli("query", "hubs", "-f", "json", env=cli_env).stdout)
    assert hubs == [{"place": "Shanghai", "bloc": "China", "partner_count": 2, "partners": ["Lyon", "Porto"]}]
    anywhere = json.loads(run_cli("query", "hubs", "-p", "partners=", "-f", "json", env=cli_env).stdout)
    assert anywhere[0]["partner_count"] == 4
    pilots = run_cli("query", "hubs", "--via", "pilots", env=cli_env)
    assert pilots.returncode == 0 and "no rows: the graph holds no pilot projects" in pilots.stderr
    many = run_cli("query", "hubs", "-p", "min_partners=5", env=cli_env)
    assert "no place has 5 or more partners here; the most is 2 (Shanghai)" in many.stderr
    typo = run_cli("query", "hubs", "--via", "pilot", env=cli_env)
    assert typo.returncode == 2 and "did you mean 'pilots'" in typo.stderr
    one = run_cli("query", "hubs", "-p", "partners=", "-p", "min_partners=1", "-p", "limit=1", "-f", "csv",
                  env=cli_env)
    assert one.stdout.splitlines()[1].startswith("Shanghai,China,4,")
    assert len(one.stdout.splitlines()) == 2 and "1 rows shown, the first in rank order; there are more" in one.stderr
    assert "there are more" not in run_cli("query", "hubs", "-p", "limit=1", env=cli_env).stderr  # exactly one


def test_a_graph_an_earlier_version_wrote_says_why_hubs_is_empty(tmp_path, cli_env):
    """A graph written before the partner names were kept (with the counts, PARTNERS_WITH and the Partnered
    label, or without them) answers hubs with nothing until its next write: the answer says so, and a load
    of the same file again brings it up to date."""
    path = tmp_path / "twins.csv"
    path.write_text("town,country,twin,twin_country\nShanghai,China,Lyon,France\nShanghai,China,Porto,Portugal\n",
                    encoding="utf-8")
    columns = "a=town,a_country=country,b=twin,b_country=twin_country"
    assert run_cli("load", str(path), "--columns", columns, env=cli_env).returncode == 0
    with open_store(settings=resolve(cli_env["CITYGRAPH_URI"], None)) as store:  # as an earlier version left it
        store.write("MATCH (p:Place) SET p.partner_names = NULL REMOVE p:Partnered")
    stale = run_cli("query", "hubs", env=cli_env)
    assert stale.returncode == 0 and "last written by an earlier citygraph" in stale.stderr
    assert run_cli("load", str(path), "--columns", columns, env=cli_env).returncode == 0
    hubs = json.loads(run_cli("query", "hubs", "-f", "json", env=cli_env).stdout)
    assert [h["place"] for h in hubs] == ["Shanghai"]


def _coops(store) -> dict[str, list[str]]:
    rows = store.read("MATCH (c:Cooperation)-[ci:CITED_IN]->(:Source) RETURN c.id AS id, collect(ci.source) AS sources")
    return {r["id"]: sorted(r["sources"]) for r in rows}


def _partners(store, place: str) -> set[str]:
    rows = store.read("MATCH (:Place {id: $id})-[r:COOPERATES_WITH]-(p) RETURN p.id AS id, r.sources AS sources",
                      {"id": place})
    return {r["id"] for r in rows}


def test_replace_retracts_what_only_the_earlier_version_stated(fresh, tmp_path, cli_env):
    """A corrected file loaded again used to leave what its earlier version stated (a removed partner still
    showed, citing a line that no longer said so); `--replace` retracts it, and keeps what others state."""
    header = "city1,country1,city2,country2\n"
    for name, rows in {"v1/twins.csv": ["Lyon,France,Turin,Italy", "Lyon,France,Milan,Italy",
                                        "Porto,Portugal,Bordeaux,France", "Bergen,Norway,Seattle,USA"],
                       "v2/twins.csv": ["Porto,Portugal,Bordeaux,France", "Lyon,France,Turin,Italy"],
                       "other/milan.csv": ["Milan,Italy,Lyon,France"]}.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    options = ReadOptions(columns="a=city1,a_country=country1,b=city2,b_country=country2")
    load(fresh, [tmp_path / "v1/twins.csv", tmp_path / "other/milan.csv"], options=options)
    assert _partners(fresh, "lyon") == {"turin-it", "milan-it"} and "bergen-no" in _places(fresh)

    plain = load(fresh, [tmp_path / "v2/twins.csv"], options=options)  # without --replace: v1's facts stay
    assert plain.retraction is None and len(_coops(fresh)) == 4

    done = load(fresh, [tmp_path / "v2/twins.csv"], options=options, replace=True)
    assert done.retraction.documents == ["twins"]
    assert done.retraction.nodes == 3  # Bergen–Seattle and its two towns; what v2 restates only loses citations
    assert _coops(fresh) == {"twinning-bordeaux-fr-porto-pt": ["twins:2"], "twinning-lyon-turin-it": ["twins:3"],
                             "twinning-lyon-milan-it": ["milan:2"]}
    assert _partners(fresh, "lyon") == {"turin-it", "milan-it"}
    milan = fresh.read("MATCH (:Place {id: 'lyon'})-[r:COOPERATES_WITH]-(:Place {id: 'milan-it'}) "
                       "RETURN r.sources AS s")
    assert [r["s"] for r in milan] == [["milan:2"]]
    places = _places(fresh)
    assert "bergen-no" not in places and "seattle-us" not in places and "porto-pt" in places
    census = graph_stats(fresh)
    again = load(fresh, [tmp_path / "v2/twins.csv"], options=options, replace=True)
    assert graph_stats(fresh) == census and again.retraction.nodes == 0
    env = cli_env
    columns = ["--columns", "a=city1,a_country=country1,b=city2,b_country=country2"]
    assert run_cli("load", str(tmp_path / "v1/twins.csv"), *columns, env=env).returncode == 0
    out = run_cli("load", str(tmp_path / "v2/twins.csv"), *columns, "--replace", "-f", "json", env=env)
    replaced = "replaced twins, and the citations of twins.csv: 5 nodes"  # Milan too, here
    assert out.returncode == 0 and replaced in out.stderr, out.stderr
    assert {"what": "retracted nodes", "count": 5} in json.loads(out.stdout)
    partners = run_cli("query", "partners", "-p", "place=Lyon", "-f", "json", env=env)
    assert {r["partner"] for r in json.loads(partners.stdout)} == {"Turin"}


GERMAN = [["Stadt", "Land", "Partnerstadt", "Partnerland", "seit"],
          ["München", "Deutschland", "Kiew", "Ukraine", "1989"],
          ["Nürnberg", "Deutschland", "Shenzhen", "VR China", "1997"],
          ["Augsburg", "Deutschland", "Nagahama", "Japan", "1959"]]
GERMAN_COLUMNS = ReadOptions(columns="a=Stadt,a_country=Land,b=Partnerstadt,b_country=Partnerland,date=seit")


def _pairs_and_dates(store) -> set[tuple[str, str, str]]:
    rows = store.read("MATCH (c:Cooperation)-[:INVOLVES]->(p:Place) WITH c, collect(p.id) AS ids "
                      "RETURN c.date AS date, ids")
    return {(*sorted(r["ids"]), r["date"]) for r in rows}


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_title_above_the_header_and_a_source_note_below_the_list(fresh, tmp_path, suffix):
    """A sheet as a ministry publishes it: a title and a blank row above the header, a source note below the
    list. The header is the first row naming every column asked for; the closing note is left out and counted,
    not a rejected row; rows keep their own line numbers."""
    rows = [["Städtepartnerschaften in Bayern (Stand 2023)"], [], *GERMAN, [], ["Quelle: Bayerische Staatskanzlei"]]
    path = tmp_path / f"bayern{suffix}"
    if suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as f:
            csv.writer(f, delimiter=";").writerows(rows)
    else:
        import openpyxl

        book = openpyxl.Workbook()
        for row in rows:
            book.active.append(row)
        book.save(path)
    result = load(fresh, [path], options=GERMAN_COLUMNS)
    assert _pairs_and_dates(fresh) == {("kyiv-ua", "munich-de", "1989"), ("nuremberg-de", "shenzhen-cn", "1997"),
                                       ("augsburg-de", "nagahama-jp", "1959")}
    counts = dict(result.counts.summary())
    assert counts["rows rejected"] == 0 and counts["closing notes left out (rows of one cell below a list)"] == 1
    cited = fresh.read("MATCH (c:Cooperation)-[ci:CITED_IN]->(:Source) WHERE c.date = '1959' RETURN ci.source AS id")
    assert [r["id"] for r in cited] == ["bayern:6"]


def test_a_one_cell_row_between_pairs_is_still_a_rejected_row(tmp_path):
    path = tmp_path / "gap.csv"
    path.write_text("Stadt,Land,Partnerstadt,Partnerland,seit\nMünchen,Deutschland,Kiew,Ukraine,1989\n"
                    "Augsburg,,,,\nNürnberg,Deutschland,Shenzhen,China,1997\n", encoding="utf-8")
    read = read_paths([path], GERMAN_COLUMNS)
    assert [r.where for r in read.rejected] == [f"{path}:3"] and read.counts.notes == 0


def test_a_header_nowhere_in_the_first_rows_names_the_missing_columns(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("Title\nfrom,to\nLyon,Kobe\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"'Stadt'.*not in the header: Title"):
        read_paths([path], GERMAN_COLUMNS)


def test_a_cell_that_names_several_partners_pairs_the_town_with_each(fresh, tmp_path):
    """A town and all its partners in one row, as many published lists have them ('Chicago, United States;
    Osaka, Japan' or one per line in a spreadsheet cell): one cooperation per partner, each citing the row. A
    row one of whose partners is wrong is rejected whole, naming it; nothing of it is written."""
    path = tmp_path / "partners.csv"
    path.write_text('city,country,twin towns\nHamburg,Germany,"Chicago, United States; Osaka, Japan;"\n'
                    'Lyon,France,"Beersheba, Israel\nMontreal, Canada"\n'
                    'Turin,Italy,"Detroit, United States; Atlantis, Nowhere"\n', encoding="utf-8")
    options = ReadOptions(columns={"a": "city", "a_country": "country", "b": "twin towns"})
    read = read_paths([path], options)
    assert [(r.where, r.reason) for r in read.rejected] == [
        (f"{path}:5", "no country is given for 'Atlantis, Nowhere' and no town of that name was found anywhere: "
                      "add a country column, or write it 'Town, Country'")]
    load(fresh, [path], options=options, on_error="skip", max_skipped=50)
    rows = fresh.read("MATCH (c:Cooperation)-[ci:CITED_IN]->(:Source) MATCH (c)-[:INVOLVES]->(p:Place) "
                      "WITH c, ci.source AS source, collect(p.id) AS ids RETURN source, ids")
    assert {(r["source"], tuple(sorted(r["ids"]))) for r in rows} == {
        ("partners:2", ("chicago-us", "hamburg-de")), ("partners:2", ("hamburg-de", "osaka-jp")),
        ("partners:3", ("beersheba-il", "lyon")), ("partners:3", ("lyon", "montreal-ca"))}


def test_a_town_merged_over_its_partners_rows_is_the_town_of_each(tmp_path):
    """A spreadsheet as people lay one out: the town (and its country) merged over the rows of its partners.
    Read-only openpyxl gives those rows empty cells; the sheet's merged ranges fill them."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in [["Partnerships of two cities"], ["city", "country", "partner", "partner country"],
                ["Hamburg", "Germany", "Chicago", "United States"], [None, None, "Osaka", "Japan"],
                [None, None, "Shanghai", "China"], ["Lyon", "France", "Beersheba", "Israel"]]:
        sheet.append(row)
    sheet.merge_cells("A1:D1")  # the title, above the header
    sheet.merge_cells("A3:A5")
    sheet.merge_cells("B3:B5")
    path = tmp_path / "merged.xlsx"
    book.save(path)
    read = read_paths([path], ReadOptions(columns={"a": "city", "a_country": "country", "b": "partner",
                                                   "b_country": "partner country"}))
    assert read.rejected == []
    found = sorted((c.sources[0].line_start, tuple(sorted(i.id for i in c.involves)))
                   for c in read.dataset.cooperations)
    assert found == [
        (3, ("chicago-us", "hamburg-de")), (4, ("hamburg-de", "osaka-jp")), (5, ("hamburg-de", "shanghai-cn")),
        (6, ("beersheba-il", "lyon"))]
