// The citygraph workbench's page. Every text from the graph is set as text (textContent), never as HTML.
// The libraries come from vendor.min.js (sigma.js, graphology, Neo4j's Cypher editor).
"use strict";
(() => {
  const { Graph, Sigma, forceAtlas2, createCypherEditor } = window.citygraphVendor;
  const meta = (name) => document.querySelector(`meta[name="citygraph-${name}"]`).content;
  const CSRF = meta("csrf");
  const $ = (id) => document.getElementById(id);
  const state = { info: null, graph: new Graph({ multi: false, type: "undirected" }), sigma: null,
                  expanded: new Set(), lastResult: null, cypher: "MATCH (p:Place) RETURN p.name AS name, p.bloc AS bloc LIMIT 25" };

  // ---- elements -------------------------------------------------------------------------------------------
  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === "text") node.textContent = v;
      else if (k === "class") node.className = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    }
    for (const child of children) if (child != null) node.append(child);
    return node;
  }
  const clear = (node) => { while (node.firstChild) node.firstChild.remove(); return node; };
  function status(text, error = false) { const s = $("status"); s.textContent = text; s.classList.toggle("error", error); }

  // ---- the API --------------------------------------------------------------------------------------------
  async function api(path, body) {
    const options = body === undefined ? {} : { method: "POST", body: JSON.stringify(body),
      headers: { "content-type": "application/json", "x-csrf-token": CSRF } };
    const started = performance.now();
    const response = await fetch(path, options);
    const text = await response.text();
    let value;
    try { value = JSON.parse(text); } catch { value = { error: text }; }
    if (!response.ok) { status(value.error || response.statusText, true); throw new Error(value.error || text); }
    status(`${Math.round(performance.now() - started)} ms`);
    return value;
  }
  const get = (path, params) => api(`${path}?${new URLSearchParams(params)}`);

  // ---- tabs -----------------------------------------------------------------------------------------------
  function tabs(attr, onShow) {
    document.querySelectorAll(`[data-${attr}]`).forEach((button) => button.addEventListener("click", () => {
      const name = button.dataset[attr];
      document.querySelectorAll(`[data-${attr}]`).forEach((b) => b.classList.toggle("on", b === button));
      document.querySelectorAll(attr === "tab" ? ".pane" : ".view").forEach((p) => p.classList.toggle("on", p.id === name));
      if (onShow) onShow(name);
    }));
  }
  function show(attr, name) { document.querySelector(`[data-${attr}="${name}"]`).click(); }

  // ---- the network ----------------------------------------------------------------------------------------
  const colour = (node) => (state.info && state.info.regions[node.region]) || "#888";
  function addNode(node, near) {
    const g = state.graph;
    if (g.hasNode(node.key)) return false;
    const angle = Math.random() * 2 * Math.PI, at = near ? g.getNodeAttributes(near) : { x: 0, y: 0 };
    g.addNode(node.key, { label: node.name, x: at.x + Math.cos(angle) * 10, y: at.y + Math.sin(angle) * 10,
      size: 6, color: colour(node), node });
    return true;
  }
  function addEdge(edge) {
    const g = state.graph;
    if (!g.hasNode(edge.source) || !g.hasNode(edge.target) || g.hasEdge(edge.source, edge.target)) return;
    const channel = edge.channels.find((c) => c !== "pilot");
    g.addEdge(edge.source, edge.target, { size: Math.min(1 + edge.weight, 6), edge,
      color: (channel && state.info.channels[channel]) || (edge.ways.includes("pilot") ? "#444" : "#aaa") });
  }
  function relayout() {
    const g = state.graph;
    g.forEachNode((key, a) => g.setNodeAttribute(key, "size",
      4 + Math.min(14, 2 * Math.sqrt(a.node.places || g.degree(key)))));
    $("network-hint").hidden = g.order > 0;
    if (g.order > 1) forceAtlas2.assign(g, { iterations: 120, settings: { ...forceAtlas2.inferSettings(g), slowDown: 5 } });
    legend();
    if (state.sigma) { state.sigma.refresh(); state.sigma.getCamera().animatedReset({ duration: 300 }); }
  }
  function legend() {
    const regions = new Set();
    state.graph.forEachNode((_, a) => regions.add(a.node.region));
    const box = clear($("legend"));
    for (const region of Object.keys(state.info.regions)) {
      if (regions.has(region)) box.append(el("div", {}, el("span", { class: "swatch", style: `background:${state.info.regions[region]}` }), region));
    }
    box.hidden = regions.size === 0;
  }
  async function expand(key) {
    const found = await get("/api/expand", { key });
    if (!found) return;
    addNode(found.node);
    for (const n of found.neighbours) addNode(n, key);
    for (const e of found.edges) addEdge(e);
    state.expanded.add(key);
    relayout();
    showNode(found);
  }
  async function overview() {
    const countries = await get("/api/overview", {});
    networkOf(countries);
    const drawn = countries.edges.length < countries.links ? `, the ${countries.edges.length} heaviest drawn` : "";
    status(`${countries.nodes.length} countries, ${countries.links} links between them${drawn}: click one to open it`);
  }
  async function openCountry(key) {
    const found = await get("/api/country", { code: key.split(":")[1] });
    found.nodes.forEach((n) => addNode(n, key));
    found.edges.forEach(addEdge);
    relayout();
  }
  function mountSigma() {
    state.sigma = new Sigma(state.graph, $("sigma"), { enableEdgeEvents: true, renderEdgeLabels: false,
      allowInvalidContainer: true,  // the network tab may be hidden while a result is drawn into it
      labelRenderedSizeThreshold: 0, labelDensity: 1, labelGridCellSize: 80, defaultEdgeType: "line" });
    state.sigma.on("clickNode", ({ node }) => (node.startsWith("country:") ? openCountry(node) : expand(node)));
    $("overview").addEventListener("click", overview);
    $("clear").addEventListener("click", () => { state.graph.clear(); relayout(); clear($("details")); });
    state.sigma.on("clickEdge", ({ edge }) => {
      const [a, b] = state.graph.extremities(edge);
      showLink(a, b);
    });
  }

  // ---- details: a node, a link ----------------------------------------------------------------------------
  function sourcesView(sources) {
    const box = el("div");
    for (const s of sources) {
      const where = el("div", { class: "where", text: [s.title || s.document, s.file, s.source].filter(Boolean).join(" · ") });
      const item = el("div", { class: "source" }, where);
      for (const line of s.lines) item.append(el("blockquote", { class: "line", text: `${line.locator}: ${line.text.trim()}` }));
      if (s.missing) item.append(el("div", { class: "missing", text: s.missing }));
      box.append(item);
    }
    return box;
  }
  function nodeTitle(node) {
    const bits = [node.kind, node.country, node.bloc].filter(Boolean).join(" · ");
    return el("div", {}, el("h2", { text: node.name }), el("div", { class: "kind", text: bits }),
      node.aliases.length ? el("div", { class: "kind", text: `also: ${node.aliases.join(", ")}` }) : null);
  }
  async function showNode(found) {
    const box = clear($("details"));
    box.append(nodeTitle(found.node));
    const list = el("ul", { class: "partners" });
    for (const n of found.neighbours) {
      const edge = found.edges.find((e) => e.target === n.key);
      list.append(el("li", { "data-key": n.key, onclick: () => showLink(found.node.key, n.key) },
        n.name, el("span", { class: "kind", text: `${n.kind || n.label} · ${edge.ways.join(", ")}` })));
    }
    const more = found.more ? ` (and ${found.more} more)` : "";
    box.append(el("h3", { text: `${found.neighbours.length} neighbours${more}: click one for the facts` }), list);
    box.append(el("div", { class: "row" }, el("button", { text: "Show on the map", onclick: () => mapOf({ focus: found.node.id }) })));
    const cited = await get("/api/provenance/node", { key: found.node.key });
    box.append(el("h3", { text: `${found.node.name} is cited in` }), sourcesView(cited));
  }
  async function showLink(a, b) {
    const { facts, total } = await get("/api/provenance/link", { a, b });
    const names = [a, b].map((k) => (state.graph.hasNode(k) ? state.graph.getNodeAttribute(k, "label") : k.split(":")[1]));
    const box = clear($("details"));
    box.append(el("h2", { text: `${names[0]} – ${names[1]}` }));
    if (total > facts.length) box.append(el("p", { class: "hint", text: `the first ${facts.length} of ${total} facts` }));
    if (!facts.length) box.append(el("p", { class: "hint", text: "No cooperation or pilot joins these two directly; they are neighbours through where one sits." }));
    for (const f of facts) {
      const how = { pilot: "pilot project", cooperation: "cooperation", through: `cooperation of ${f.between.join(" and ")}` }[f.how];
      box.append(el("div", { class: "fact", "data-fact": f.fact }, el("h3", { text: f.title }),
        el("div", { class: "kind", text: `${how} · ${f.channel || ""}` }), sourcesView(f.sources)));
    }
  }

  // ---- search ---------------------------------------------------------------------------------------------
  let searching = 0;
  async function search(text) {
    const mine = ++searching;
    const hits = text.trim() ? await get("/api/search", { q: text }) : [];
    if (mine !== searching) return;
    const list = clear($("hits"));
    for (const hit of hits) {
      list.append(el("li", { "data-key": hit.key, onclick: () => openHit(hit) }, hit.name,
        el("span", { class: "kind", text: [hit.kind || hit.label, hit.country].filter(Boolean).join(" · ") })));
    }
    if (!hits.length && text.trim()) list.append(el("li", { class: "hint", text: "Nothing of that name." }));
    show("tab", "results");
  }
  function openHit(hit) {
    show("view", "network");
    if (state.graph.someNode((key) => key.startsWith("country:"))) state.graph.clear();  // leave the overview
    expand(hit.key);
  }

  // ---- queries --------------------------------------------------------------------------------------------
  function paramInput(p) {
    let input;
    if (p.choices.length) {
      input = el("select", { name: p.name });
      if (!p.required && p.default === "") input.append(el("option", { value: "", text: "(any)" }));
      for (const c of p.choices) input.append(el("option", { value: c, text: c }));
      if (p.default != null) input.value = p.default;
    } else if (p.type === "bool") {
      input = el("input", { type: "checkbox", name: p.name });
      input.checked = Boolean(p.default);
    } else {
      input = el("input", { name: p.name, type: p.type === "int" || p.type === "float" ? "number" : "text" });
      if (p.minimum != null) input.min = p.minimum;
      if (p.default != null) input.value = Array.isArray(p.default) ? p.default.join(", ") : p.default;
    }
    const note = `${p.type}${p.required ? ", required" : ""}${p.help ? " — " + p.help : ""}`;
    return el("label", {}, p.name, " ", el("small", { text: note }), input);
  }
  function formValues(form, q) {
    const values = {};
    for (const p of q.params) {
      const input = form.querySelector(`[name="${p.name}"]`);
      if (p.type === "bool") values[p.name] = input.checked;
      else if (input.value !== "" || p.choices.length) values[p.name] = input.value;
    }
    return values;
  }
  async function loadQueries() {
    const box = clear($("queries"));
    box.append(el("p", { class: "hint", text: "The named queries, as forms. Run one, or see its Cypher as Neo4j Browser takes it." }));
    for (const q of await get("/api/queries", {})) {
      const form = el("form", { "data-query": q.name });
      q.params.forEach((p) => form.append(paramInput(p)));
      const cypher = el("pre", { class: "cypher", hidden: "" });
      const run = el("button", { type: "submit", text: "Run" });
      const see = el("button", { type: "button", text: "Show Cypher", onclick: async () => {
        cypher.textContent = (await api(`/api/query/${q.name}/cypher`, { params: formValues(form, q) })).cypher;
        cypher.hidden = false;
      } });
      form.append(el("div", { class: "row" }, run, see), cypher);
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        showResult(await api(`/api/query/${q.name}`, { params: formValues(form, q) }), q.name);
      });
      box.append(el("details", { class: "query" }, el("summary", { text: q.name }),
        el("div", { class: "body" }, el("p", { text: q.description }), form)));
    }
  }

  // ---- results: table, network, map -----------------------------------------------------------------------
  function cellText(value) {
    if (value == null) return "";
    if (typeof value !== "object") return String(value);
    if (Array.isArray(value)) return value.map(cellText).join(", ");
    if (value.labels) return `(${value.labels.join(":")} ${value.properties.name || value.properties.id || ""})`;
    return JSON.stringify(value);
  }
  function showResult(result, name) {
    state.lastResult = result;
    const box = clear($("table"));
    const count = result.total > result.rows.length ? `${result.rows.length} of ${result.total}` : `${result.total}`;
    box.append(el("p", { class: "hint", text: `${name}: ${count} row(s)` }));
    const table = el("table", { class: "rows" });
    table.append(el("tr", {}, ...result.columns.map((c) => el("th", { text: c }))));
    for (const row of result.rows) table.append(el("tr", {}, ...result.columns.map((c) => el("td", { text: cellText(row[c]) }))));
    box.append(table);
    if (result.graph.nodes.length) {
      if (result.drawn < result.total) box.append(el("p", { class: "hint", text: `the network and the map show the first ${result.drawn} rows` }));
      box.append(el("div", { class: "row" },
        el("button", { text: "Show as a network", onclick: () => { show("view", "network"); networkOf(result.graph); } }),
        el("button", { text: "Show on the map", onclick: () => mapOf({ places: placesOf(result) }) })));
    }
    show("view", "table");
  }
  function placesOf(result) { return [...new Set(result.graph.nodes.filter((n) => n.label === "Place").map((n) => n.id))].join(","); }
  function networkOf(graph) {
    state.graph.clear();
    graph.nodes.forEach((n) => addNode(n));
    graph.edges.forEach(addEdge);
    relayout();
  }
  function mapOf(params) { $("map-frame").src = `/map?${new URLSearchParams(params)}`; show("view", "map"); }

  // ---- Cypher ---------------------------------------------------------------------------------------------
  function mountEditor() {
    const { editor } = createCypherEditor($("editor"), { value: state.cypher, lineNumbers: true, lineWrapping: true, theme: "light" });
    editor.onValueChanged((value) => { state.cypher = value; });
    editor.onKeyDown((event) => { if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) runCypher(); });
    state.editor = editor;
    $("run-cypher").addEventListener("click", runCypher);
  }
  async function runCypher() { showResult(await api("/api/cypher", { text: state.cypher }), "cypher"); }

  // ---- review ---------------------------------------------------------------------------------------------
  function reviewCard(item) {
    const card = el("div", { class: `card ${item.status}`, "data-key": item.key });
    card.append(el("span", { class: "state", text: item.status }), el("h3", { text: `${item.name}` }),
      el("div", { class: "kind", text: `${item.section} · ${item.id}` }));
    if (item.review) card.append(el("div", { class: "note", text: item.review }));
    card.append(sourcesView(item.lines));
    const fields = el("div", { hidden: "" });
    for (const [name, value] of Object.entries(item.fields)) {
      const input = el("input", { name, value });
      fields.append(el("label", {}, name, input));
    }
    const decide = (action, extra) => api("/api/review/decide", { key: item.key, action, fields: extra }).then(renderReview);
    const values = () => Object.fromEntries([...fields.querySelectorAll("input")].map((i) => [i.name, i.value]));
    card.append(fields, el("div", { class: "row" },
      el("button", { text: "Accept", "data-action": "accept", onclick: () => decide("accept") }),
      el("button", { text: "Edit", "data-action": "edit", onclick: () => { fields.hidden = false; } }),
      el("button", { text: "Save edit", "data-action": "save-edit", onclick: () => decide("edit", values()) }),
      el("button", { text: "Reject", "data-action": "reject", onclick: () => decide("reject") })));
    return card;
  }
  function notReadCard(line) {
    const card = el("div", { class: "card", "data-key": line.key });
    card.append(el("h3", { text: `not read: ${line.where}` }), el("blockquote", { class: "line", text: line.text }));
    const title = el("input", { name: "title", placeholder: "title" });
    const channel = el("input", { name: "channel", placeholder: "channel (business, university, port, …)" });
    const parties = el("input", { name: "parties", placeholder: "parties: ids or names, comma-separated" });
    card.append(title, channel, parties, el("div", { class: "row" }, el("button", { text: "Make a cooperation",
      onclick: () => api("/api/review/add", { key: line.key, title: title.value, channel: channel.value,
        parties: parties.value }).then(renderReview) })));
    return card;
  }
  function renderReview(queue) {
    const box = clear($("review"));
    const write = meta("write") === "true";
    box.append(el("p", { class: "hint", text: `${queue.source} → ${queue.out}` + (write ? "" : " (read-only: start with --write to save and load)") }));
    box.append(el("div", { class: "row" },
      el("button", { text: "Save YAML", id: "review-save", onclick: () => api("/api/review/save", {}).then((r) => status(`saved ${r.saved}`)) }),
      el("button", { text: "Load into the graph", id: "review-load", onclick: () => api("/api/review/load", {}).then((r) => {
        status(`loaded ${r.saved}`);
        box.append(el("pre", { class: "cypher", id: "review-summary", text: r.summary.map((x) => `${x.what}: ${x.count}`).join("\n") }));
      }) })));
    queue.items.forEach((item) => box.append(reviewCard(item)));
    if (queue.not_read.length) box.append(el("h3", { text: "Lines not read" }));
    queue.not_read.forEach((line) => box.append(notReadCard(line)));
  }

  // ---- start ----------------------------------------------------------------------------------------------
  async function start() {
    state.info = await get("/api/info", {});
    $("store").textContent = `${state.info.store} · ${state.info.write ? "read-write" : "read-only"}`;
    tabs("tab", (name) => {
      if (name === "cypher" && !state.editor) mountEditor();
      document.querySelector("main").classList.toggle("reviewing", name === "review");
    });
    tabs("view", (name) => { if (name === "network" && state.sigma) state.sigma.refresh(); if (name === "map" && !$("map-frame").src) mapOf({}); });
    mountSigma();
    let timer;
    $("search").addEventListener("input", (e) => { clearTimeout(timer); timer = setTimeout(() => search(e.target.value), 200); });
    $("search-form").addEventListener("submit", (e) => { e.preventDefault(); search($("search").value); });
    await loadQueries();
    if (state.info.review) { $("review-tab").hidden = false; renderReview(await get("/api/review", {})); }
    window.citygraph = { state, expand, search, showLink, overview, openCountry, ready: true };
  }
  start().catch((e) => status(String(e.message || e), true));
})();
