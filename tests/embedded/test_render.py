"""The pyvis page: offline, escaped, and drawn by a real headless Chromium."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from citygraph.loaders.model import Dataset
from citygraph.loaders.read import bundled_dataset
from citygraph.loaders.writer import write_dataset
from citygraph.render import network_data, render_page

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

    from citygraph.render import still_layout

    g = nx.barabasi_albert_graph(1500, 2, seed=3)
    g.add_edge("lonely-a", "lonely-b")
    a, b = still_layout(g, core=200), still_layout(g, core=200)
    assert set(a) == set(g) and a == b
    # A node outside the core sits close to a placed neighbour.
    core = set(sorted(g, key=lambda m: (-g.degree(m), str(m)))[:200])
    leaf = next(n for n in g if n not in core and any(m in core for m in g.neighbors(n)))
    assert min(((a[leaf][0] - a[m][0]) ** 2 + (a[leaf][1] - a[m][1]) ** 2) ** 0.5 for m in g.neighbors(leaf)) < 0.07
