"""Lists as the web publishes them: one country column or none, ``Town, Region`` and ``Town, Country`` cells,
territories and historic names, and skips a person notices."""

from __future__ import annotations

from pathlib import Path

import pytest

from citygraph.core.errors import RowsRejected
from citygraph.loaders import OnError, ReadOptions, load
from citygraph.model.countries import country_code
from tests.conftest import run_cli

LISTS = Path(__file__).resolve().parent.parent / "fixtures" / "lists"
ONE_COUNTRY = ReadOptions(columns={"a": "city", "a_country": "country", "b": "sister"})


def _pairs(store) -> set[tuple[str, str]]:
    rows = store.read("MATCH (c:Cooperation)-[:INVOLVES]->(p:Place) WITH c, collect(p.id) AS ids "
                      "RETURN ids ORDER BY c.id")
    return {tuple(sorted(r["ids"])) for r in rows}


def _place(store, place_id: str) -> dict:
    rows = store.read("MATCH (p:Place {id: $id}) RETURN p.name AS name, p.country AS country, p.bloc AS bloc, "
                      "p.aliases AS aliases, p.geonames AS geonames", {"id": place_id})
    assert rows, f"no place {place_id}"
    return rows[0]


def test_a_list_that_names_one_sides_country_loads_every_pair(fresh):
    result = load(fresh, [LISTS / "one-country.csv"], options=ONE_COUNTRY)
    pairs = _pairs(fresh)
    assert len(pairs) == 12
    la = _place(fresh, "los-angeles-us")
    assert la["country"] == "US" and "Los Angeles, California" in la["aliases"]  # as written stays an alias
    assert _place(fresh, "brest-fr")["country"] == "FR"  # Brest, France: not Brest in Belarus
    assert _place(fresh, "dushanbe-tj")["bloc"] == "Tajikistan"  # a bare name, found worldwide
    counts = dict(result.counts.summary())
    assert counts["places resolved without a country (review them)"] >= 8


def test_a_region_picks_the_namesake_in_it_and_a_name_that_is_two_qualifiers_takes_the_one_it_is_in(fresh):
    load(fresh, [LISTS / "one-country.csv"], options=ONE_COUNTRY)
    portland = _place(fresh, "portland-us-4975802")  # Portland, Maine, not the larger Portland, Oregon
    assert portland["name"] == "Portland" and portland["geonames"] == 4975802
    columbus = [p for a, b in _pairs(fresh) for p in (a, b) if p.startswith("columbus-")]
    assert columbus == ["columbus-us-4188985"]  # Columbus, Georgia: the US state, since Georgia has none
    assert ("bethlehem-ps", "tbilisi-ge") in _pairs(fresh)  # Tbilisi, Georgia: the country
    assert ("kingston-ca", "stanley-fk") in _pairs(fresh)


def test_a_list_with_no_country_at_all(fresh, tmp_path: Path):
    path = tmp_path / "bare.csv"
    path.write_text("from,to\nKyoto,Dushanbe\n\"Hayward, California\",Ouagadougou\nKyoto,Paris\n", encoding="utf-8")
    load(fresh, [path], options=ReadOptions(columns={"a": "from", "b": "to"}))
    assert _pairs(fresh) == {("dushanbe-tj", "kyoto-jp"), ("hayward-us", "ouagadougou-bf"), ("kyoto-jp", "paris-fr")}


def test_a_gazetteer_place_written_town_country_is_the_gazetteers_place(fresh, tmp_path: Path):
    """'Lyon, France' in a list without a country column is the gazetteer's Lyon, as 'Lyon' in a France column
    is: it was the world's town lyon-fr, so one city had two ids across lists."""
    qualified, columns = tmp_path / "qualified.csv", tmp_path / "columns.csv"
    qualified.write_text('from,to\n"Lyon, France","Kobe, Japan"\n', encoding="utf-8")
    columns.write_text("from,from_country,to,to_country\nLyon,France,Osaka,Japan\n", encoding="utf-8")
    load(fresh, [qualified], options=ReadOptions(columns={"a": "from", "b": "to"}))
    load(fresh, [columns], options=ReadOptions(columns={"a": "from", "a_country": "from_country", "b": "to",
                                                        "b_country": "to_country"}))
    assert _pairs(fresh) == {("kobe-jp", "lyon"), ("lyon", "osaka-jp")}


def test_a_country_or_region_in_parentheses_qualifies_the_town(fresh, tmp_path: Path):
    """'Osaka (Japan)' and 'Columbus (Georgia)' read as 'Osaka, Japan' and 'Columbus, Georgia'; a town whose own
    name has parentheses ('Frankfurt (Oder)', 'Halle (Saale)') stays that town. Before, every such cell was
    rejected: no town of that name anywhere."""
    path = tmp_path / "paren.csv"
    path.write_text("from,to\nLyon (France),Osaka (Japan)\nFrankfurt (Oder),Columbus (Georgia)\n"
                    "Halle (Saale),Kanazawa (Japan)\n", encoding="utf-8")
    load(fresh, [path], options=ReadOptions(columns={"a": "from", "b": "to"}))
    assert _pairs(fresh) == {("lyon", "osaka-jp"), ("columbus-us-4188985", "frankfurt-oder-de"),
                             ("halle-saale-de", "kanazawa-jp")}
    assert "Osaka (Japan)" in _place(fresh, "osaka-jp")["aliases"]  # as written stays an alias


@pytest.mark.parametrize(("written", "code"), [
    ("Palestinian Territories", "PS"), ("State of Palestine", "PS"), ("Falkland Islands", "FK"),
    ("Falkland Islands (Malvinas)", "FK"), ("Netherlands Antilles", "AN"), ("Northern Cyprus", "CY"),
])
def test_territories_and_historic_names(written, code):
    assert country_code(written) == code


def test_territories_load_with_their_bloc(fresh):
    load(fresh, [LISTS / "one-country.csv"], options=ONE_COUNTRY)
    assert _place(fresh, "bethlehem-ps")["bloc"] == "Palestine"
    assert _place(fresh, "willemstad-an")["bloc"] == "Netherlands Antilles"
    assert _place(fresh, "kyrenia-cy")["country"] == "CY"


def _mostly_bad(tmp_path: Path) -> Path:
    rows = ["city,country,sister"] + [f"Berlin,Germany,Nowherevillexq{i}" for i in range(3)]
    rows += ["Berlin,Germany,Paris", "Berlin,Germany,Kyoto", "Munich,Germany,Nowhere Atlantis", "Lyon,Atlantis,Kyoto"]
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_skipping_more_than_the_threshold_fails_and_writes_nothing(fresh, tmp_path: Path):
    path = _mostly_bad(tmp_path)
    with pytest.raises(RowsRejected, match=r"more rows would be skipped than the 10% allowed") as e:
        load(fresh, [path], options=ReadOptions(columns={"a": "city", "a_country": "country", "b": "sister"}),
             on_error=OnError.SKIP)
    assert len(e.value.rejected) == 5 and fresh.is_empty()
    assert "4 × no country is given for" in str(e.value) and "1 × country" in str(e.value)
    load(fresh, [path], options=ReadOptions(columns={"a": "city", "a_country": "country", "b": "sister"}),
         on_error=OnError.SKIP, max_skipped=80)
    assert len(_pairs(fresh)) == 2


def test_the_cli_groups_skipped_rows_by_reason_and_exits_5_over_the_threshold(tmp_path: Path, cli_env):
    path = _mostly_bad(tmp_path)
    args = ("load", str(path), "--columns", "a=city,a_country=country,b=sister", "--on-error", "skip")
    over = run_cli(*args, env=cli_env)
    assert over.returncode == 5 and "(--max-skipped)" in over.stderr and "Traceback" not in over.stderr
    assert "skipped 5 of 7 rows or items (71.4%)" in over.stderr
    under = run_cli(*args, "--max-skipped", "80", env=cli_env)
    assert under.returncode == 0, under.stderr
    assert "4 × no country is given for" in under.stderr and "e.g. " in under.stderr


def test_a_generated_one_country_list_of_30000_rows_matches_its_truth(cli_env, tmp_path: Path):
    """Real GeoNames towns, the partner written 'Town, Country', 'Town, State' or bare (where it is the most
    populous of its name): every distinct pair once, and every town's degree as generated."""
    import json

    from tests.fixtures.lists.messy import ONE_COUNTRY_COLUMNS, make_one_country_list

    listed = make_one_country_list(30_000, seed=5)
    path = listed.write(tmp_path / "wiki-30k.csv")
    done = run_cli("load", str(path), "--columns", ONE_COUNTRY_COLUMNS, "--on-error", "skip", "-f", "json",
                   env=cli_env, timeout=900)
    assert done.returncode == 0, done.stderr
    summary = {r["what"]: r["count"] for r in json.loads(done.stdout)}
    assert summary["cooperations"] == len(listed.pairs) and summary["rows rejected"] == listed.rejected
    ids = json.loads(run_cli("cypher", "MATCH (p:Place) RETURN p.id AS id, p.geonames AS g", "-f", "json",
                             env=cli_env).stdout)
    key_of = {r["id"]: f"g{r['g']}" for r in ids}
    ranked = run_cli("centrality", "--view", "places", "--top", "1000000", "-f", "json", env=cli_env, timeout=600)
    degree = {key_of[r["id"]]: r["partners"] for r in json.loads(ranked.stdout)}
    assert degree == dict(listed.degree())


def test_a_list_with_a_header_and_no_rows_exits_5_and_writes_nothing(tmp_path: Path, cli_env):
    path = tmp_path / "cut-short.csv"
    path.write_text("city1,country1,city2,country2\n", encoding="utf-8")
    done = run_cli("load", str(path), "--columns", "a=city1,a_country=country1,b=city2", env=cli_env)
    assert done.returncode == 5 and "cut-short.csv: a list of pairs with a header and no rows" in done.stderr
    assert run_cli("stats", "-f", "json", env=cli_env).stdout.strip() == "[]"


def test_town_region_names_in_report_pairings_and_gazetteer_entries(fresh, tmp_path: Path):
    """`Town, Region` resolves in a report's pairings as in lists, and a gazetteer place named so is found by
    its town's name too; group lists whose second name is a town stay two places."""
    report = tmp_path / "pairs.txt"
    report.write_text("Pairs\n\n1. Hayward, California – Bologna\n   * Exchanges on food markets with Hayward.\n\n"
                      "2. Lyon, France - Wuhan, China\n\n3. Eindhoven, Tampere and Barcelona – Seoul, Suwon\n",
                      encoding="utf-8")
    gazetteer = tmp_path / "mine.yaml"
    gazetteer.write_text("places:\n  - {id: springfield-il, name: 'Springfield, Illinois', kind: City, country: US}\n",
                         encoding="utf-8")
    notes = tmp_path / "notes.txt"
    notes.write_text("Pairs\n\n1. Springfield – Turin\n", encoding="utf-8")
    load(fresh, [report, notes], options=ReadOptions(gazetteer=gazetteer))
    pairs = fresh.read("MATCH (e:Place)<-[:HAS_PARTNER {side: 'Europe'}]-(p:PilotProject)-[:HAS_PARTNER "
                       "{side: 'Partner'}]->(x:Place) RETURN e.id AS e, x.id AS x, x.country AS c ORDER BY e, x")
    assert {(r["e"], r["x"], r["c"]) for r in pairs} >= {
        ("bologna-it", "hayward-us", "US"), ("lyon", "wuhan", "CN"), ("eindhoven-nl", "seoul-kr", "KR"),
        ("tampere-fi", "suwon-kr", "KR"), ("turin-it", "springfield-il", "US")}
    assert fresh.read("MATCH (p:Place {id: 'hayward-us'}) RETURN p.aliases AS a")[0]["a"].count("Hayward, California")
