// The workbench's vendored libraries, one bundle: the page's own script (graph/serve/static/app.js) reads
// them from window.citygraphVendor.
import { createCypherEditor } from "@neo4j-cypher/codemirror";
import Graph from "graphology";
import forceAtlas2 from "graphology-layout-forceatlas2";
import Sigma from "sigma";

window.citygraphVendor = { Graph, Sigma, forceAtlas2, createCypherEditor };
