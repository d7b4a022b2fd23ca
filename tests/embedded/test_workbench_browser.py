"""The workbench in a real browser (Playwright driving Debian's Chromium): what an analyst does with it.

Each page runs with a dead proxy for every origin but loopback, and every
request it makes is recorded: the page must ask nothing of another origin.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Page, sync_playwright

from tests.conftest import REPORTS, run_cli
from tests.embedded.serving import Served, own_texts, serving
from tests.embedded.test_render import CHROMIUM, FLAGS
from tests.fixtures.reports.containers import NOT_READ, write_all

REPORT_2016 = "world-cities-eu-china-pilots-2016.txt"
READY = "() => window.citygraph && window.citygraph.ready"


def _env(db: Path) -> dict[str, str]:
    return {**os.environ, "CITYGRAPH_URI": f"embedded:{db}"}


@pytest.fixture(scope="module")
def loaded_db(tmp_path_factory) -> Iterator[Path]:
    """The bundled base, the first shared report (its text kept), and a place whose name holds markup."""
    folder = tmp_path_factory.mktemp("workbench")
    hostile = folder / "hostile.yaml"
    hostile.write_text(yaml.safe_dump({"documents": [{"id": "notes", "title": "Notes"}], "places": [
        {"id": "markup-town", "name": "<script>window.owned=1</script><img src=x onerror=window.owned=2>",
         "kind": "City", "country": "FR", "sources": ["notes:1"]}]}), encoding="utf-8")
    with own_texts(folder / "texts"):  # only this module's loads' texts, for the cited lines
        for args in (("load",), ("load", str(REPORTS / REPORT_2016)), ("load", str(hostile))):
            done = run_cli(*args, env=_env(folder / "g.db"))
            assert done.returncode == 0, done.stderr
        yield folder / "g.db"


@contextmanager
def opened(served: Served) -> Iterator[tuple[Page, list[str]]]:
    """The workbench page, ready, and the list of every URL it requested."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            *[f for f in FLAGS if f != "--headless" and not f.startswith("--proxy-bypass-list")],  # loopback direct
            "--enable-unsafe-swiftshader", "--use-angle=swiftshader"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        requested: list[str] = []
        page.on("request", lambda r: requested.append(r.url))
        page.goto(served.url)
        page.wait_for_function(READY, timeout=60_000)
        try:
            yield page, requested
        finally:
            browser.close()


def _only_own_origin(served: Served, requested: list[str]) -> None:
    outside = [u for u in requested if not (u.startswith(served.base + "/") or u.startswith("data:"))]
    assert not outside, outside


def test_search_expand_and_see_the_cited_line(loaded_db):
    line = (REPORTS / REPORT_2016).read_text(encoding="utf-8").splitlines()
    with serving(loaded_db) as served, opened(served) as (page, requested):
        page.fill("#search", "成都")
        page.click("#hits li[data-key='Place:chengdu']")
        for partner in ("barcelona", "dublin", "lyon"):
            page.wait_for_selector(f"#details .partners li[data-key='Place:{partner}']")
        in_view = page.evaluate("() => ['barcelona', 'dublin', 'lyon'].map("
                                "(p) => window.citygraph.state.graph.hasEdge('Place:chengdu', 'Place:' + p))")
        assert in_view == [True, True, True]  # drawn as links of the network, not only listed
        page.click("#details .partners li[data-key='Place:barcelona']")
        quote = page.wait_for_selector("#details .fact[data-fact='eu-china-2'] blockquote.line")
        locator, _, text = quote.inner_text().partition(": ")
        assert text == line[int(locator) - 1].strip()  # the report's own line, found by its number
        page.click("[data-view=map]")
        page.wait_for_function("() => document.getElementById('map-frame').contentWindow.citygraph !== undefined",
                               timeout=120_000)
        _only_own_origin(served, requested)


def test_hubs_from_its_form_and_a_cypher_query(loaded_db):
    with serving(loaded_db) as served, opened(served) as (page, requested):
        page.click("[data-tab=queries]")
        page.click("details.query:has(form[data-query=hubs]) summary")
        page.select_option("form[data-query=hubs] select[name=via]", "pilots")
        page.click("form[data-query=hubs] button[type=submit]")
        page.wait_for_selector("#table table.rows td")
        rows = page.eval_on_selector_all("#table table.rows tr", "(trs) => trs.map("
                                         "(tr) => [...tr.children].map((td) => td.textContent))")
        header, body = rows[0], rows[1:]
        top = {r[header.index("place")]: r[header.index("partner_count")] for r in body
               if r[header.index("partner_count")] == "3"}
        assert top == {"Chengdu": "3", "Shantou": "3"}
        page.click("form[data-query=hubs] button:text('Show Cypher')")
        shown = page.wait_for_selector("form[data-query=hubs] pre.cypher:not([hidden])")
        assert ':param via => "pilots";' in shown.inner_text()
        page.click("[data-tab=cypher]")
        page.click("#editor .cm-content")
        page.keyboard.press("Control+A")
        page.keyboard.type("MATCH (p:Place {bloc: 'India'}) RETURN p.name AS name ORDER BY name")
        page.click("#run-cypher")
        page.wait_for_selector("#table td:text-is('Pune')")
        _only_own_origin(served, requested)


def test_a_name_holding_markup_stays_text(loaded_db):
    with serving(loaded_db) as served, opened(served) as (page, _):
        page.fill("#search", "script")
        hit = page.wait_for_selector("#hits li[data-key='Place:markup-town']")
        assert hit.inner_text().startswith("<script>window.owned=1</script><img")
        hit.click()
        page.wait_for_selector("#details h2")
        assert page.inner_text("#details h2").startswith("<script>")
        assert page.evaluate("() => window.owned") is None
        assert page.evaluate("() => document.querySelectorAll('#hits img, #details img, #hits script').length") == 0


def test_review_accept_edit_reject_add_then_load(tmp_path):
    report = write_all(tmp_path / "report")[".docx"]
    db, out = tmp_path / "g.db", tmp_path / "reviewed.yaml"
    with serving(db, "--write", str(report), "--out", str(out)) as served, opened(served) as (page, requested):
        page.click("[data-tab=review]")
        card = "#review .card[data-key='{}']"
        page.click(card.format("places/gdansk-pl") + " button[data-action=accept]")
        page.wait_for_selector(card.format("places/gdansk-pl") + ".accepted")
        edited = card.format("places/ekurhuleni-za")
        page.click(edited + " button[data-action=edit]")
        page.fill(edited + " input[name=name]", "City of Ekurhuleni")
        page.click(edited + " button[data-action=save-edit]")
        page.wait_for_selector(edited + ".edited")
        rejected = card.format("cooperations/exchange-2019-l4")
        assert "Gdańsk" in page.inner_text(rejected + " blockquote.line")  # the item stands beside its line
        page.click(rejected + " button[data-action=reject]")
        page.wait_for_selector(rejected, state="detached")
        unread = page.wait_for_selector("#review .card[data-key^='not-read/']")
        assert unread.inner_text().count(NOT_READ.rstrip(".")) >= 1
        unread.query_selector("input[name=title]").fill("Observers at the Kobe meetings")
        unread.query_selector("input[name=channel]").fill("government")
        unread.query_selector("input[name=parties]").fill("Graz (Austria), Kobe (Japan)")
        unread.query_selector("button").click()
        page.wait_for_selector("#review .card.added")
        page.click("#review-load")
        page.wait_for_selector("#review-summary")
        _only_own_origin(served, requested)
    saved = yaml.safe_load(out.read_text(encoding="utf-8"))
    place = {p["id"]: p for p in saved["places"]}
    assert "review" not in place["gdansk-pl"] and place["ekurhuleni-za"]["name"] == "City of Ekurhuleni"
    graph = run_cli("cypher", "MATCH (p:Place) WHERE p.id IN ['ekurhuleni-za', 'graz-at', 'kobe-jp'] "
                    "RETURN p.id AS id, p.name AS name ORDER BY id", "-f", "json", env=_env(db))
    assert json.loads(graph.stdout) == [{"id": "ekurhuleni-za", "name": "City of Ekurhuleni"},
                                        {"id": "graz-at", "name": "Graz"}, {"id": "kobe-jp", "name": "Kobe"}]
    coops = run_cli("cypher", "MATCH (c:Cooperation) RETURN c.id AS id", "-f", "json", env=_env(db))
    ids = {r["id"] for r in json.loads(coops.stdout)}
    assert "exchange-2019-l4" not in ids and "observers-at-the-kobe-meetings" in ids
    joined = run_cli("cypher", "MATCH (:Place {id: 'graz-at'})-[r:COOPERATES_WITH]-(:Place {id: 'kobe-jp'}) "
                     "RETURN r.sources AS s", "-f", "json", env=_env(db))
    assert json.loads(joined.stdout)[0]["s"]  # the new link cites the line it was made from
