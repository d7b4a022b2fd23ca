"""The map: places where they are, arcs between the right places, offline, and nothing dropped silently."""

from __future__ import annotations

import json
import re
import subprocess
import xml.etree.ElementTree as ET

import pytest

from citygraph.loaders.options import ReadOptions
from citygraph.loaders.pipeline import load
from citygraph.views.mapdata import great_circle, map_data
from citygraph.views.worldmap import Projection, svg, write_map
from tests.conftest import run_cli
from tests.embedded.test_render import CHROMIUM, FLAGS

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
    radius = {g.get("data-id"): float(g.find(f"{SVG}circle").get("r")) for g in root.iter(f"{SVG}g")}
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


def test_a_place_without_coordinates_is_listed_not_dropped(kb, tmp_path):
    path = tmp_path / "tiny.csv"
    path.write_text("a,ac,b,bc\nZqxvil,Germany,Barcelona,Spain\n", encoding="utf-8")
    load(kb, [path], options=ReadOptions(columns="a=a,a_country=ac,b=b,b_country=bc"))
    out, data = write_map(kb, tmp_path / "map.html")
    assert data.unplaced == ["Zqxvil"]
    page = out.read_text(encoding="utf-8")
    legend = json.loads(re.search(r"var legend = (\{.*?\});", page).group(1))
    assert legend["unplaced"] == ["Zqxvil"]
    assert not re.search(r"<(script|link|img)[^>]+(src|href)\s*=", page)  # offline: nothing fetched


def test_map_command_formats_and_errors(cli_env, tmp_path):
    assert run_cli("load", env=cli_env).returncode == 0
    result = run_cli("map", "--focus", "Chengdu", "-f", "svg", "-o", str(tmp_path / "c.svg"), env=cli_env)
    assert result.returncode == 0 and "wrote" in result.stderr
    assert ET.parse(tmp_path / "c.svg").getroot().tag == f"{SVG}svg"
    assert run_cli("map", "--focus", "Atlantis", "-o", str(tmp_path / "x.html"), env=cli_env).returncode == 2
    assert run_cli("map", "-f", "gif", env=cli_env).returncode == 2
    png = run_cli("map", "-f", "png", "-o", str(tmp_path / "m.png"), env=cli_env)
    assert png.returncode == 0 and (tmp_path / "m.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_search_finds_chengdu_by_its_native_name_in_chromium(kb, tmp_path):
    if CHROMIUM is None:
        pytest.fail("chromium is not installed; .ci/run installs Debian's chromium")
    out, _ = write_map(kb, tmp_path / "map.html")
    probe = tmp_path / "probe.html"
    probe.write_text(out.read_text(encoding="utf-8").replace("</body>", """<script>
var box = document.getElementById('search'); box.value = '成都'; box.dispatchEvent(new Event('input'));
var hits = Array.prototype.map.call(document.querySelectorAll('.place.hit'), function (g) { return g.dataset.id; });
var off = document.querySelector('input[data-channel="port"]');
off.checked = false; off.dispatchEvent(new Event('change'));
var hidden = document.querySelectorAll('.arc.hidden').length;
off.checked = true; off.dispatchEvent(new Event('change'));
var india = document.querySelector('input[data-bloc="India"]');
india.checked = false; india.dispatchEvent(new Event('change'));
var shownIndian = document.querySelectorAll('.place[data-bloc="India"]:not(.hidden)').length;
var shownChinese = document.querySelectorAll('.place[data-bloc="China"]:not(.hidden)').length;
var el = document.createElement('pre'); el.id = 'probe';
el.textContent = JSON.stringify({hits: hits, found: document.getElementById('found').textContent, hidden: hidden,
                                 indian: shownIndian, chinese: shownChinese});
document.body.appendChild(el);
</script></body>"""), encoding="utf-8")
    dom = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=5000",
                          "--dump-dom", probe.as_uri()], capture_output=True, text=True, timeout=120)
    match = re.search(r'<pre id="probe">(.*?)</pre>', dom.stdout)
    assert match, dom.stderr[-2000:]
    result = json.loads(match.group(1).replace("&quot;", '"'))
    assert result["hits"] == ["chengdu"] and result["found"] == "1 place(s) found"
    assert result["hidden"] >= 1  # port-only arcs are hidden when port is unticked
    assert result["indian"] == 0 and result["chinese"] > 0  # unticking a bloc hides its places, not the others
