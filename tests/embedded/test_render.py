"""The pyvis page: offline, escaped, and drawn by a real headless Chromium."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from citygraph.loaders.dataset.model import Dataset
from citygraph.loaders.read import bundled_dataset
from citygraph.loaders.write.writer import write_dataset
from citygraph.views.render import network_data, render_page, shown, write_page
from tests.conftest import run_cli

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>"]


@pytest.fixture
def kb(fresh):
    dataset = bundled_dataset()
    dataset.extend(Dataset.model_validate({"places": [
        {"id": "evil", "name": "<script>window.pwned=1</script> \"Q\" &amp;", "kind": "City", "country": "CN"}],
        "cooperations": [{"id": "evil-coop", "title": "<img src=x onerror=alert(1)>", "channel": "business",
                          "involves": ["evil", "lyon"]}]}))
    write_dataset(fresh, dataset)
    return fresh


def test_page_has_no_remote_assets(kb, tmp_path):
    page = render_page(kb, tmp_path / "net.html").read_text(encoding="utf-8")
    assert not re.search(r"<(script|link)[^>]+(src|href)\s*=\s*[\"']?(https?:)?//", page)
    assert "<script>window.pwned" not in page
    data = network_data(kb)
    assert any(n["label"].startswith("<script>") for n in data["nodes"])  # kept as text


def test_focus_and_bloc(kb):
    focus = network_data(kb, focus="Chengdu")
    labels = {n["label"] for n in focus["nodes"]}
    assert "Chengdu" in labels and "Barcelona" in labels and "Pune" not in labels


def test_page_in_headless_chromium(kb, tmp_path):
    if CHROMIUM is None:
        pytest.fail("chromium is not installed; .ci/run installs Debian's chromium")
    out = tmp_path / "net.html"
    render_page(kb, out)
    data = network_data(kb)
    probe = tmp_path / "probe.html"
    html = out.read_text(encoding="utf-8").replace("</body>", """<script>
setTimeout(function () {
  var c = window.citygraph, el = document.createElement('pre'); el.id = 'probe';
  el.textContent = JSON.stringify({nodes: c.nodes.length, edges: c.edges.length, stable: c.stable,
                                   pwned: window.pwned || 0, title: document.title});
  document.body.appendChild(el);
}, 4000);
</script></body>""")
    probe.write_text(html, encoding="utf-8")
    dom = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=15000",
                          "--dump-dom", probe.as_uri()], capture_output=True, text=True, timeout=120)
    match = re.search(r'<pre id="probe">(.*?)</pre>', dom.stdout)
    assert match, dom.stderr[-2000:]
    result = json.loads(
        match.group(1).replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    )
    assert result["nodes"] == len(data["nodes"]) and result["edges"] == len(data["edges"])
    assert result["pwned"] == 0
    shot = Path("tests/output")
    shot.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            CHROMIUM,
            *FLAGS,
            f"--user-data-dir={tmp_path / 'profile2'}",
            "--virtual-time-budget=15000",
            "--window-size=1400,900",
            f"--screenshot={shot.resolve() / 'network.png'}",
            out.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (shot / "network.png").stat().st_size > 10_000


def test_still_layout_places_every_node_deterministically():
    import networkx as nx

    from citygraph.views.render import still_layout

    g = nx.barabasi_albert_graph(1500, 2, seed=3)
    g.add_edge("lonely-a", "lonely-b")
    a, b = still_layout(g, core=200), still_layout(g, core=200)
    assert set(a) == set(g) and a == b
    # A node outside the core sits close to a placed neighbour.
    core = set(sorted(g, key=lambda m: (-g.degree(m), str(m)))[:200])
    leaf = next(n for n in g if n not in core and any(m in core for m in g.neighbors(n)))
    assert min(((a[leaf][0] - a[m][0]) ** 2 + (a[leaf][1] - a[m][1]) ** 2) ** 0.5 for m in g.neighbors(leaf)) < 0.07


def test_hubs_stand_out_and_countries_are_not_drawn(kb):
    data = network_data(kb)
    nodes = {n["id"]: n for n in data["nodes"]}
    assert not {"china", "india", "spain"} & set(nodes)
    assert nodes["shantou"]["value"] > nodes["wuhan"]["value"] and nodes["chengdu"]["value"] > nodes["wuhan"]["value"]
    assert {"barcelona", "dublin", "andalucia"} <= set(nodes["shantou"]["reach"])  # through its organisations
    assert max(e["width"] for e in data["edges"]) <= 6


def test_focus_reaches_through_organisations_and_sub_places(kb):
    shantou = {n["label"] for n in network_data(kb, focus="Shantou")["nodes"]}
    assert {"Dublin", "Fingal", "Barcelona", "Andalucía"} <= shantou
    assert "Fingal" in {n["label"] for n in network_data(kb, focus="Chengdu")["nodes"]}


def test_legend_and_tooltips_read_as_text(kb):
    ports = network_data(kb, channel="port")
    assert set(ports["legend"]["channels"]) <= {"port", "located"} and "Europe" in ports["legend"]["regions"]
    assert "South Asia" not in ports["legend"]["regions"] or any(n["bloc"] == "India" for n in ports["nodes"])
    data = network_data(kb)
    assert set(data["legend"]["regions"]) == {"Europe", "East Asia", "South Asia"}  # regions, not 60 countries
    colours = list(data["legend"]["regions"].values()) + list(data["legend"]["channels"].values())
    assert len(colours) == len(set(colours))  # no two categories share a colour
    chengdu = next(n for n in data["nodes"] if n["id"] == "chengdu")
    assert "成都" in chengdu["title"] and "成都" in chengdu["aliases"]
    titles = "\n".join(e["title"] for e in data["edges"])
    assert "Tourism routes" in titles and "fingal-chengdu-tourism" not in titles


def test_render_refuses_an_unknown_bloc_and_says_when_nothing_matches(cli_env, tmp_path):
    from tests.conftest import run_cli

    assert run_cli("load", env=cli_env).returncode == 0
    unknown = run_cli("render", "--bloc", "Atlantis", "-o", str(tmp_path / "a.html"), env=cli_env)
    assert unknown.returncode == 2 and "known: China, Europe, India" in unknown.stderr
    assert run_cli("render", "--channel", "ports", "-o", str(tmp_path / "b.html"), env=cli_env).returncode == 2
    empty = run_cli("render", "--bloc", "india", "--channel", "port", "-o", str(tmp_path / "c.html"), env=cli_env)
    assert empty.returncode == 0 and "nothing matches" in empty.stderr


def test_search_and_click_in_headless_chromium(kb, tmp_path):
    if CHROMIUM is None:
        pytest.fail("chromium is not installed; .ci/run installs Debian's chromium")
    out = render_page(kb, tmp_path / "net.html")
    probe = tmp_path / "probe.html"
    probe.write_text(out.read_text(encoding="utf-8").replace("</body>", """<script>
setTimeout(function () {
  var box = document.getElementById('search'); box.value = '成都'; box.dispatchEvent(new Event('change'));
  var found = window.citygraph.found;
  window.citygraph.network.selectNodes(['shantou']);
  window.citygraph.network.body.emitter.emit('selectNode', {nodes: ['shantou']});
  var all = window.citygraph.shown().length;
  var pick = document.getElementById('programme'); pick.value = 'EU-India'; pick.dispatchEvent(new Event('change'));
  var india = window.citygraph.shown();
  var el = document.createElement('pre'); el.id = 'probe';
  el.textContent = JSON.stringify({found: found, highlighted: window.citygraph.highlighted, all: all, india: india,
                                   panel: document.getElementById('panel-list').textContent});
  document.body.appendChild(el);
}, 3000);
</script></body>"""), encoding="utf-8")
    dom = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=15000",
                          "--dump-dom", probe.as_uri()], capture_output=True, text=True, timeout=120)
    match = re.search(r'<pre id="probe">(.*?)</pre>', dom.stdout)
    assert match, dom.stderr[-2000:]
    result = json.loads(match.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    assert result["found"] == ["chengdu"]
    assert {"barcelona", "dublin", "andalucia"} <= set(result["highlighted"])
    assert "Dublin (Europe)" in result["panel"]
    # The programme filter hides the nodes it leaves without edges: no Chinese place in EU-India.
    assert 0 < len(result["india"]) < result["all"]
    assert {"chandigarh", "pune"} <= set(result["india"]) and not {"chengdu", "shantou"} & set(result["india"])


def test_chinese_and_devanagari_names_draw_as_glyphs_not_boxes(tmp_path):
    """The page's font stack finds fonts for 汕头 and चंडीगढ़ (.ci/run installs Noto CJK and Noto core)."""
    if CHROMIUM is None:
        pytest.fail("chromium is not installed; .ci/run installs Debian's chromium")
    from citygraph.views.render import FONT_STACK

    probe = tmp_path / "glyphs.html"
    probe.write_text("""<!DOCTYPE html><meta charset="utf-8"><body><pre id="probe"></pre><script>
function ink(text) {
  var c = document.createElement('canvas'); c.width = 200; c.height = 60;
  var x = c.getContext('2d'); x.font = '40px """ + FONT_STACK.replace("'", '"') + """'; x.fillText(text, 5, 45);
  return c.toDataURL();
}
var box = ink('\\u0378\\u0379');  // unassigned code points: the missing-glyph box
document.getElementById('probe').textContent = JSON.stringify(
  {han: ink('汕头') !== box, deva: ink('चडगढ') !== ink('\\u0378\\u0379\\u0380\\u0381'),
   box: ink('\\u0378') !== box});
</script>""", encoding="utf-8")
    dom = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=3000",
                          "--dump-dom", probe.as_uri()], capture_output=True, text=True, timeout=120)
    match = re.search(r'<pre id="probe">(.*?)</pre>', dom.stdout)
    assert match, dom.stderr[-2000:]
    result = json.loads(match.group(1).replace("&quot;", '"'))
    assert result["box"], "the missing-glyph reference did not render as expected"
    assert result["han"] and result["deva"], f"names drawn as boxes: {result}"


def test_big_pages_spread_the_core_and_label_only_the_top_nodes():
    import math

    import networkx as nx

    from citygraph.views.render import TOP_LABELS, _label_top, still_layout

    g = nx.barabasi_albert_graph(1500, 2, seed=3)
    g.add_edge("lonely-a", "lonely-b")
    pos = still_layout(g, core=200)
    radii = sorted(math.hypot(*pos[n]) for n in g if isinstance(n, int))
    assert radii[int(0.8 * len(radii))] <= 1.3  # the bulk stays in the middle …
    assert min(math.hypot(*pos[n]) for n in ("lonely-a", "lonely-b")) >= 1.3  # … what is apart sits around it
    nodes = [{"id": i, "label": f"n{i}", "value": i} for i in range(100)]
    _label_top(nodes)
    labelled = [n["id"] for n in nodes if n["label"]]
    assert len(labelled) == TOP_LABELS and min(labelled) == 100 - TOP_LABELS


def test_size_by_a_chosen_centrality(kb):
    by_partners = {n["id"]: n["value"] for n in network_data(kb)["nodes"]}
    by_pagerank = network_data(kb, size_by="pagerank")
    values = {n["id"]: n["value"] for n in by_pagerank["nodes"]}
    assert values != by_partners and "pagerank" in by_pagerank["legend"]["size"]
    assert all(v >= 1.0 for v in values.values())


def test_a_trimmed_page_says_how_many_of_how_many_it_shows(kb, tmp_path, cli_env):
    """The page kept the best-connected nodes and the CLI said "2000 nodes", not "of 17,052": both say it now."""
    whole = network_data(kb, max_nodes=50_000)
    cut = network_data(kb, max_nodes=20)
    assert not whole["trimmed"] and whole["total_nodes"] == len(whole["nodes"]) > 20
    assert cut["trimmed"] and len(cut["nodes"]) == 20 and cut["total_nodes"] == len(whole["nodes"])
    page = render_page(kb, tmp_path / "cut.html", max_nodes=20)
    assert f"20 of {len(whole['nodes'])} nodes, the best-connected" in page.read_text(encoding="utf-8")
    assert run_cli("load", env=cli_env).returncode == 0
    out = run_cli("render", "--max-nodes", "20", "-o", str(tmp_path / "cli.html"), env=cli_env)
    said = re.search(r": 20 of (\d+) nodes, the best-connected \(--max-nodes shows more\)", out.stderr)
    assert out.returncode == 0 and said and int(said.group(1)) > 20, out.stderr


def test_a_big_page_opens_on_countries_and_a_click_expands_one_in_chromium(kb, tmp_path):
    """Above a few thousand nodes (here, for the test, ten) the page opens on countries as meta-nodes sized by
    their members; expanding China brings Chengdu back as a node of its own."""
    if CHROMIUM is None:
        pytest.fail("chromium is not installed; .ci/run installs Debian's chromium")
    data = network_data(kb, aggregate_above=10)
    assert data["aggregate"] and "countries (click one to expand it)" in shown(data)
    out = write_page(data, tmp_path / "big.html")
    result = _probed(out, """
  var c = window.citygraph, before = c.clusters(), visibleBefore = c.network.body.nodeIndices.length;
  var china = before.filter(function (id) { return id === 'country:China'; });
  var opened = china.length ? c.expand(china[0]) : false;
  var after = c.clusters(), ids = c.network.body.nodeIndices;
  return {before: before.length, after: after.length, opened: opened,
    visibleBefore: visibleBefore, visibleAfter: ids.length, chengdu: ids.indexOf('chengdu') >= 0};
""", tmp_path)
    countries = len({n["country"] for n in data["nodes"]})
    assert 0 < result["before"] <= countries and result["visibleBefore"] < len(data["nodes"])
    assert result["opened"] and result["after"] == result["before"] - 1
    assert result["visibleAfter"] > result["visibleBefore"] and result["chengdu"]


def test_a_still_page_labels_more_nodes_as_you_zoom_in_in_chromium(kb, tmp_path, monkeypatch):
    """A page drawn still (above 2,000 nodes; here, for the test, 20) opened with 30 labels and kept them at
    every zoom; zoomed in, it labels more of its biggest nodes."""
    if CHROMIUM is None:
        pytest.fail("chromium is not installed; .ci/run installs Debian's chromium")
    from citygraph.views import render

    monkeypatch.setattr(render, "COMFORTABLE_NODES", 20)
    data = network_data(kb)
    assert data["still"] and len(data["nodes"]) > 40
    out = write_page(data, tmp_path / "still.html")
    result = _probed(out, """
  var c = window.citygraph; c.relabel(); var far = c.labels;
  c.network.moveTo({ scale: c.network.getScale() * 3 }); c.relabel();
  var named = c.nodes.get().filter(function (n) { return n.label; }).length;
  return {far: far, near: c.labels, named: named};
""", tmp_path)
    assert result["far"] == 30 and result["near"] > result["far"] and result["named"] == result["near"]


def _probed(page: Path, script: str, tmp_path: Path) -> dict:
    """Run ``script`` (JavaScript returning an object) in ``page`` in headless Chromium after 3 s; its result."""
    probe = tmp_path / "probe.html"
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", """<script>
setTimeout(function () {
  var out = (function () { SCRIPT })();
  var el = document.createElement('pre'); el.id = 'probe'; el.textContent = JSON.stringify(out);
  document.body.appendChild(el);
}, 3000);
</script></body>""".replace("SCRIPT", script)), encoding="utf-8")
    dom = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=15000",
                          "--dump-dom", probe.as_uri()], capture_output=True, text=True, timeout=120)
    match = re.search(r'<pre id="probe">(.*?)</pre>', dom.stdout)
    assert match, dom.stderr[-2000:]
    return json.loads(match.group(1).replace("&quot;", '"'))
