"""The map: places where they are, arcs between the right places, offline, and nothing dropped silently."""

from __future__ import annotations

import json
import random
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from citygraph.loaders.options import ReadOptions
from citygraph.loaders.pipeline import load
from citygraph.views.mapdata import great_circle, map_data
from citygraph.views.worldmap import Projection, svg, write_map
from tests.conftest import run_cli
from tests.embedded.test_render import CHROMIUM, FLAGS

#: WebGL in software, for deck.gl in headless Chromium (no GPU here).
WEBGL = ["--enable-unsafe-swiftshader", "--use-angle=swiftshader"]

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def kb(fresh):
    load(fresh)
    return fresh


def _drawn(data) -> tuple[ET.Element, Projection]:
    """The SVG, and the projection worked out again here from the coordinates (not taken from the drawing)."""
    curves = [great_circle(data.places[lk["a"]], data.places[lk["b"]]) for lk in data.links]
    points = [*data.places.values(), *({"lon": x, "lat": y} for c in curves for x, y in c)]
    return ET.fromstring(svg(data)), Projection.around(points)


def _inverse(proj: Projection, x: float, y: float) -> tuple[float, float]:
    return proj.west + x / proj.scale, proj.north - y / proj.scale


def test_places_sit_at_their_coordinates_and_arcs_join_the_right_ones(kb):
    data = map_data(kb)
    root, proj = _drawn(data)
    circles = {g.get("data-id"): g.find(f"{SVG}circle") for g in root.iter(f"{SVG}g")}
    for place, (lat, lon) in {"barcelona": (41.39, 2.16), "chengdu": (30.67, 104.07), "malaga": (36.72, -4.42),
                              "shantou": (23.35, 116.68)}.items():
        c = circles[place]
        got_lon, got_lat = _inverse(proj, float(c.get("cx")), float(c.get("cy")))
        assert (got_lon, got_lat) == (pytest.approx(lon, abs=0.1), pytest.approx(lat, abs=0.1)), place
    arcs = {frozenset((a.get("data-a"), a.get("data-b"))): a for a in root.iter(f"{SVG}path") if a.get("data-a")}
    for a, b in (("barcelona", "chengdu"), ("malaga", "shantou")):
        points = re.findall(r"[ML]([\d.]+),([\d.]+)", arcs[frozenset((a, b))].get("d"))
        ends = {(float(x), float(y)) for x, y in (points[0], points[-1])}
        assert ends == {(float(circles[p].get("cx")), float(circles[p].get("cy"))) for p in (a, b)}
        # A great circle from Europe to China bends north of the straight line between its ends.
        middle = points[len(points) // 2]
        assert float(middle[1]) < min(float(points[0][1]), float(points[-1][1]))


def test_hubs_are_drawn_largest(kb):
    root, _ = _drawn(map_data(kb))
    radius = {g.get("data-id"): float(g.find(f"{SVG}circle").get("r")) for g in root.iter(f"{SVG}g")
              if g.get("class") == "place"}
    assert radius["chengdu"] == max(radius[p] for p in ("chengdu", "wuhan", "guangzhou", "pune"))
    assert not any(pid in radius for pid in ("china", "india", "spain"))  # countries are not places on a map


def test_focus_and_channel_keep_what_they_name(kb):
    focus = map_data(kb, focus="Shantou")
    assert {"shantou", "barcelona", "dublin", "malaga"} <= set(focus.places)
    assert all("shantou" in (lk["a"], lk["b"]) for lk in focus.links)
    ports = map_data(kb, channel="port")
    assert ports.links and all("port" in lk["channels"] for lk in ports.links)
    india = map_data(kb, bloc="india")
    assert {"chandigarh", "pune"} <= set(india.places) and "chengdu" not in india.places


def _payload(page: str) -> dict:
    return json.loads(re.search(r'<script id="map-data" type="application/json">(.*?)</script>', page, re.S).group(1))


def _outside_the_bundle(page: str) -> str:
    """The page without the inlined deck.gl bundle (its code holds URLs in strings it never fetches)."""
    return re.sub(r"<script>.*?</script>", "", page, count=1, flags=re.S)


def test_a_place_without_coordinates_is_listed_not_dropped(kb, tmp_path):
    path = tmp_path / "tiny.csv"
    path.write_text("a,ac,b,bc\nZqxvil,Germany,Barcelona,Spain\n", encoding="utf-8")
    load(kb, [path], options=ReadOptions(columns="a=a,a_country=ac,b=b,b_country=bc"))
    out, data = write_map(kb, tmp_path / "map.html")
    assert data.unplaced == ["Zqxvil"]
    page = out.read_text(encoding="utf-8")
    assert _payload(page)["unplaced"] == ["Zqxvil"]
    assert not re.search(r"<(script|link|img)[^>]+(src|href)\s*=", _outside_the_bundle(page))  # nothing fetched


def test_places_are_coloured_by_world_region_not_by_country(kb, tmp_path):
    path = tmp_path / "far.csv"
    path.write_text("a,ac,b,bc\nLyon,France,Belize City,Belize\nLyon,France,Bogotá,Colombia\n"
                    "Lyon,France,Yokohama,Japan\n", encoding="utf-8")
    load(kb, [path], options=ReadOptions(columns="a=a,a_country=ac,b=b,b_country=bc"))
    payload = _payload(write_map(kb, tmp_path / "map.html")[0].read_text(encoding="utf-8"))
    region = {p["id"]: p["region"] for p in payload["places"]}
    assert (region["lyon"], region["chengdu"], region["pune"]) == ("Europe", "East Asia", "South Asia")
    assert region["belize-city-bz"] == "North America" and region["bogota-co"] == "South America"
    assert len(set(payload["regions"].values())) == len(payload["regions"])  # one colour each, none shared
    root = ET.fromstring(svg(map_data(kb)))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts[0].startswith("Cooperation map:") and {"Europe", "East Asia", "port"} <= set(texts)  # legend


def test_map_command_formats_and_errors(cli_env, tmp_path):
    assert run_cli("load", env=cli_env).returncode == 0
    result = run_cli("map", "--focus", "Chengdu", "-f", "svg", "-o", str(tmp_path / "c.svg"), env=cli_env)
    assert result.returncode == 0 and "wrote" in result.stderr
    assert ET.parse(tmp_path / "c.svg").getroot().tag == f"{SVG}svg"
    assert run_cli("map", "--focus", "Atlantis", "-o", str(tmp_path / "x.html"), env=cli_env).returncode == 2
    assert run_cli("map", "-f", "gif", env=cli_env).returncode == 2
    png = run_cli("map", "-f", "png", "-o", str(tmp_path / "m.png"), env=cli_env)
    assert png.returncode == 0 and (tmp_path / "m.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _probe(page: Path, script: str, tmp_path: Path) -> dict:
    """Run ``script`` in the page in headless Chromium (WebGL in software, no network) once the map is
    drawn (the page says it is stable and deck.gl has sized its canvas to the map's laid-out box), and return what
    the script returned. After six seconds of the page's time the script runs anyway, so a map that never
    settles fails on what it shows, not on a timeout."""
    probe = page.with_name("probe.html")
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", """<script>
(function wait(left) {
  var c = window.citygraph, box = document.getElementById('map'), canvas = box.querySelector('canvas');
  var sized = canvas && box.clientWidth > 0 && Math.abs(canvas.width - box.clientWidth * window.devicePixelRatio) <= 1;
  if (!(c && c.stable && sized) && left > 0) { setTimeout(function () { wait(left - 1); }, 100); return; }
  var out; try { out = (function () { SCRIPT })(); } catch (e) { out = {error: String(e)}; }
  var el = document.createElement('pre'); el.id = 'probe'; el.textContent = JSON.stringify(out);
  document.body.appendChild(el);
})(60);
</script></body>""".replace("SCRIPT", script)), encoding="utf-8")
    dom = subprocess.run([CHROMIUM, *FLAGS, *WEBGL, f"--user-data-dir={tmp_path / 'profile'}",
                          "--virtual-time-budget=8000", "--window-size=1400,900", "--dump-dom", probe.as_uri()],
                         capture_output=True, text=True, timeout=180)
    match = re.search(r'<pre id="probe">(.*?)</pre>', dom.stdout)
    assert match, dom.stderr[-2000:]
    result = json.loads(match.group(1).replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<")
                        .replace("&gt;", ">"))
    assert "error" not in result, result
    return result


def test_search_filters_and_tooltips_in_chromium(kb, tmp_path):
    if CHROMIUM is None:
        pytest.fail("chromium is not installed; .ci/run installs Debian's chromium")
    out, data = write_map(kb, tmp_path / "map.html")
    result = _probe(out, """
var c = window.citygraph, before = c.visible.links;
var box = document.getElementById('search'); box.value = '成都'; box.dispatchEvent(new Event('input'));
var found = document.getElementById('found').textContent, at = c.target;
function untick(kind, key) {
  var input = document.querySelector('#' + kind + ' input[data-key="' + key + '"]');
  input.checked = false; input.dispatchEvent(new Event('change'));
}
untick('channels', 'port');
var withoutPorts = c.visible.links;
untick('regions', 'South Asia');
var canvas = document.querySelector('#map canvas');
return {before: before, found: found, at: [at.longitude, at.latitude], withoutPorts: withoutPorts,
        withoutSouthAsia: c.visible.links, places: c.places.length, canvas: canvas ? canvas.width : 0,
        tip: c.tooltipOf('places', c.places.find(function (p) { return p.id === 'chengdu'; }))};
""", tmp_path)
    assert result["before"] == len(data.links) and result["places"] == len(data.places)
    assert result["found"] == "1 place(s) found"
    assert result["at"] == [pytest.approx(104.07, abs=0.1), pytest.approx(30.67, abs=0.1)]  # flown to Chengdu
    ports = sum(1 for lk in data.links if lk["channels"] == ["port"])
    assert ports and result["withoutPorts"] == result["before"] - ports
    assert result["withoutSouthAsia"] < result["withoutPorts"]
    assert result["canvas"] > 800  # drawn with WebGL, filling the window beside the panel
    assert result["tip"].startswith("Chengdu (China, East Asia):")


def _spread(tmp_path: Path) -> Path:
    """Eighty places spread over Europe and China, paired across, and Yokohama–Vancouver over the Pacific."""
    rng = random.Random(5)
    places = [{"id": f"e{i}", "name": f"E{i}", "kind": "City", "country": "FR",
               "lat": 43 + rng.random() * 8, "lon": -1 + rng.random() * 10} for i in range(40)]
    places += [{"id": f"c{i}", "name": f"C{i}", "kind": "City", "country": "CN",
                "lat": 24 + rng.random() * 14, "lon": 104 + rng.random() * 16} for i in range(40)]
    places += [{"id": "yokohama-x", "name": "Yokohama", "kind": "City", "country": "JP", "lat": 35.44, "lon": 139.64},
               {"id": "vancouver-x", "name": "Vancouver", "kind": "City", "country": "CA", "lat": 49.28,
                "lon": -123.12}]
    pairs = [(f"e{i}", f"c{i}") for i in range(40)] + [("yokohama-x", "vancouver-x")]
    cooperations = [{"id": f"k{n}", "title": f"{a} and {b}", "channel": "twinning", "involves": [a, b]}
                    for n, (a, b) in enumerate(pairs)]
    path = tmp_path / "spread.json"
    path.write_text(json.dumps({"places": places, "cooperations": cooperations}), encoding="utf-8")
    return path


def test_zoom_takes_groups_apart_and_pacific_arcs_take_the_short_way_in_chromium(fresh, tmp_path):
    if CHROMIUM is None:
        pytest.fail("chromium is not installed; .ci/run installs Debian's chromium")
    load(fresh, [_spread(tmp_path)])
    out, _ = write_map(fresh, tmp_path / "map.html")
    result = _probe(out, """
var c = window.citygraph;
c.zoomTo(60, 35, 1); var far = Object.assign({}, c.visible);
c.zoomTo(110, 31, 7); var near = Object.assign({}, c.visible);
var pacific = c.links.find(function (l) {
  return c.places[l.a].name === 'Yokohama' || c.places[l.b].name === 'Yokohama';
});
var lons = pacific.path.map(function (p) { return p[0]; });
var steps = lons.slice(1).map(function (x, i) { return Math.abs(x - lons[i]); });
return {far: far, near: near, span: Math.max.apply(null, lons) - Math.min.apply(null, lons),
        step: Math.max.apply(null, steps), zoom: c.target.zoom};
""", tmp_path)
    assert result["far"]["groups"] > 0 and result["far"]["places"] < 82  # grouped far out
    assert result["near"]["groups"] == 0 and result["near"]["places"] == 82  # taken apart close in
    assert result["near"]["labels"] > result["far"]["labels"]
    assert result["zoom"] == 7
    # Yokohama to Vancouver runs about 97 degrees over the Pacific, never across the whole map.
    assert result["span"] < 120 and result["step"] < 15


