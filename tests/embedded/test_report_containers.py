"""Reports as they are published: one report as text, Markdown, a web page, Word and PDF reads the same; its
pairings in a table, a sentence, a comma list and a numbered line under a country heading; a block that
names two blocs and becomes no fact is reported; files that cannot be read are refused with one line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from citygraph.loaders import ReadOptions, extract
from tests.conftest import run_cli
from tests.fixtures.reports.containers import NOT_READ, PILOTS, write_all

SUFFIXES = (".txt", ".md", ".html", ".docx", ".pdf")


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> dict[str, Path]:
    return write_all(tmp_path_factory.mktemp("containers"))


def _reading(path: Path) -> tuple[dict, list]:
    found = extract([path], ReadOptions())
    return yaml.safe_load(found.text), found.unresolved


def _facts(data: dict) -> dict[str, object]:
    """What a reading states, without its locators (which differ by container)."""
    def coop(c: dict) -> tuple:
        return (c.get("pilot"), tuple(c.get("sectors", ())), c.get("date"), c["channel"],
                tuple(sorted(c.get("involves", ()))))
    return {
        "pilots": sorted((tuple(p["europe"]), tuple(p["partner"]), p["number"]) for p in data["pilots"]),
        "cooperations": sorted(coop(c) for c in data["cooperations"]),
        "organisations": sorted(o["id"] for o in data.get("organisations", [])),
        "events": sorted((e["kind"], e.get("date")) for e in data.get("events", [])),
        "places": sorted(p["id"] for p in data["places"]),
    }


def test_every_container_reads_the_same_pairings_in_every_layout(report):
    readings = {suffix: _reading(report[suffix]) for suffix in SUFFIXES}
    for suffix, (data, _) in readings.items():
        assert {(tuple(p["europe"]), tuple(p["partner"])) for p in data["pilots"]} == PILOTS, suffix
    facts = {suffix: _facts(data) for suffix, (data, _) in readings.items()}
    assert all(f == facts[".txt"] for f in facts.values()), facts
    for suffix, (data, _) in readings.items():  # the programme the document names, whatever the partner country
        assert {p["programme"] for p in data["pilots"]} == {"Urban Partnerships Exchange"}, suffix
        countries = {p["partner"][0]: p["partner_country"] for p in data["pilots"]}
        assert countries["nagoya-jp"] == "Japan" and countries["austin-us"] == "United States", suffix
    rows = {c["pilot"]: c for c in readings[".pdf"][0]["cooperations"]}
    # a PDF cell wrapped over lines is one cell: its topics are the pilot's sectors, its year the start
    assert rows["pilot-gdansk-pl--nagoya-jp"]["sectors"] == ["smart-city", "ports-logistics"]
    assert rows["pilot-gdansk-pl--nagoya-jp"]["date"] == "2018"


def test_a_block_naming_two_blocs_that_is_no_pairing_is_reported_where_it_is(report):
    where = {".txt": ":17", ".md": ":17", ".html": ":paragraph 9", ".docx": ":paragraph 9", ".pdf": ":p1:9"}
    for suffix in SUFFIXES:
        _, unresolved = _reading(report[suffix])
        unread = [u for u in unresolved if u.not_read]
        assert [u.text for u in unread] == [f"not read: {NOT_READ.rstrip('.')}"], suffix
        assert unread[0].where == f"{report[suffix]}{where[suffix]}"
    text = extract([report[".docx"]], ReadOptions()).text
    assert f"# not read: {report['.docx']}:paragraph 9: Graz (Austria)" in text.split("\n\n")[0]


def test_the_heading_gives_the_country_of_a_place_the_towns_lack(report):
    data, _ = _reading(report[".md"])
    place = next(p for p in data["places"] if p["id"] == "ekurhuleni-za")
    assert place["country"] == "ZA" and "kept as written" in place["review"]
    pilot = next(p for p in data["pilots"] if p["partner"] == ["ekurhuleni-za"])
    assert pilot["number"] == 1 and pilot["europe"] == ["turin-it"]


def test_load_counts_the_lines_not_read_and_strict_refuses_them(report, cli_env):
    loaded = run_cli("load", str(report[".pdf"]), "--format", "json", env=cli_env)
    assert loaded.returncode == 0, loaded.stderr
    assert {"what": "lines not read", "count": 1} in yaml.safe_load(loaded.stdout)
    assert f"not read: {report['.pdf']}:p1:9: Graz (Austria)" in loaded.stderr
    hubs = run_cli("cypher", "MATCH (p:PilotProject) RETURN count(p) AS n", "--format", "json", env=cli_env)
    assert yaml.safe_load(hubs.stdout) == [{"n": 7}]
    strict = run_cli("load", str(report[".html"]), "--strict", env={**cli_env, "CITYGRAPH_URI": f"embedded:"
                                                                     f"{report['.html'].parent / 'strict.db'}"})
    assert strict.returncode == 5 and "1 line(s) not read" in strict.stderr and "Traceback" not in strict.stderr


def _encrypted_pdf(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), encrypt="secret")
    c.drawString(72, 720, "1. Lyon – Shantou")
    c.save()
    return path


def _scanned_pdf(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.rect(72, 500, 400, 200, fill=1)  # a page with a picture and no text layer
    c.save()
    return path


def test_unreadable_containers_are_refused_in_one_line_and_nothing_is_written(tmp_path, cli_env):
    damaged_pdf = tmp_path / "damaged.pdf"
    damaged_pdf.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 20)
    damaged_docx = tmp_path / "damaged.docx"
    damaged_docx.write_bytes(b"PK\x03\x04 not a real zip")
    broken_html = tmp_path / "broken.html"  # found by the fuzzer: html.parser rejects a marked section cut short
    broken_html.write_text("<p>Lyon and Shantou</p><![\n0", encoding="utf-8")
    cases = {
        broken_html: "cannot be read as a web page",
        _encrypted_pdf(tmp_path / "locked.pdf"): "encrypted",
        _scanned_pdf(tmp_path / "scan.pdf"): "without a text layer",
        damaged_pdf: "cannot be read as a PDF",
        damaged_docx: "cannot be read as a Word document",
    }
    for path, reason in cases.items():
        out = run_cli("load", str(path), env=cli_env)
        assert out.returncode == 5, (path, out.stderr)
        assert reason in out.stderr and str(path) in out.stderr and "Traceback" not in out.stderr, out.stderr
        assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    count = run_cli("cypher", "MATCH (n) RETURN count(n) AS n", "--format", "json", env=cli_env)
    assert yaml.safe_load(count.stdout) == [{"n": 0}]


def test_numbered_lists_keep_their_numbers_in_markdown_and_word(tmp_path):
    import docx

    md = tmp_path / "numbers.md"
    md.write_text("# Pairs\n\n3. Lyon – Shantou\n4. Dublin – Chengdu\n", encoding="utf-8")
    document = docx.Document()
    for pairing in ("Lyon – Shantou", "Dublin – Chengdu"):
        document.add_paragraph(pairing, style="List Number")
    document.save(str(tmp_path / "numbers.docx"))
    for path, numbers in ((md, [3, 4]), (tmp_path / "numbers.docx", [1, 2])):
        data, _ = _reading(path)
        assert sorted((p["number"], p["partner"][0]) for p in data["pilots"]) == list(
            zip(numbers, ["shantou", "chengdu"], strict=True)), path


def test_group_pairings_alliances_and_other_names_in_parentheses(tmp_path):
    """A group pairing whose European side ends with an alliance of cities, and a partner written with another
    name in parentheses, under a heading that names the partner country (both were dropped in silence)."""
    report = tmp_path / "programme-2017.txt"
    report.write_text("Pairings of the 2017-18 programme\n\nPart A - South Africa\n\n"
                      "1. Aalborg, Aarhus and the Nordic Cities Alliance - Ekurhuleni, Tshwane\n"
                      "   * Staff exchanges on district energy.\n\n"
                      "2. Leeds – eThekwini (Durban)\n   * A visit on port logistics.\n", encoding="utf-8")
    data, unresolved = _reading(report)
    pilots = {p["number"]: (p["europe"], p["partner"]) for p in data["pilots"]}
    assert pilots[1] == (["aalborg-dk", "arhus-dk"], ["ekurhuleni-za", "pretoria-za"])
    assert pilots[2] == (["leeds-gb"], ["durban-za"])
    [group] = [u for u in unresolved if "Nordic Cities Alliance" in u.text]
    assert group.where == f"{report}:5" and "group of places" in group.text
    assert {c["pilot"] for c in data["cooperations"]} == {
        "pilot-aalborg-dk-arhus-dk--ekurhuleni-za-pretoria-za", "pilot-leeds-gb--durban-za"}


def test_organisations_by_their_description_and_their_listing(tmp_path):
    report = tmp_path / "porto.txt"
    report.write_text("Pairings\n\n1. Porto – Curitiba\n"
                      "   * Researchers of the research institute INESC TEC visited the Curitiba Tech Hub.\n"
                      "   * Partners such as Scania and Ericsson met Lyon at the Port of Paranagua.\n"
                      "   * The Universidade do Porto hosted students.\n", encoding="utf-8")
    data, _ = _reading(report)
    kinds = {o["name"]: o["kind"] for o in data["organisations"]}
    assert kinds == {"INESC TEC": "ResearchInstitute", "Curitiba Tech Hub": "Cluster", "Scania": "Company",
                     "Ericsson": "Company", "Port of Paranagua": "Port", "Universidade do Porto": "University"}
    assert all("review" in o for o in data["organisations"])
