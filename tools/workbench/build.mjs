// `make assets`: the vendored bundle and its CSS, minified, into graph/serve/static/, with the licences of
// every package that went into it listed beside them.
import { build } from "esbuild";
import { readFileSync, writeFileSync, copyFileSync } from "node:fs";
import { dirname, join } from "node:path";

const out = "../../graph/serve/static";
const result = await build({
  entryPoints: ["src/vendor.js"], bundle: true, minify: true, format: "iife", target: "es2020",
  outfile: join(out, "vendor.min.js"), metafile: true, legalComments: "none",
});
copyFileSync("node_modules/@neo4j-cypher/codemirror/css/cypher-codemirror.css", join(out, "cypher-codemirror.css"));

// Each package whose code is in the bundle: its name, version and licence, and its licence text.
const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (match && !packages.has(match[1])) packages.set(match[1], join("node_modules", match[1]));
}
const sections = [...packages].sort().map(([name, dir]) => {
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  let text = "";
  for (const file of ["LICENSE", "LICENSE.md", "LICENSE.txt", "license", "LICENCE"]) {
    try { text = readFileSync(join(dir, file), "utf8"); break; } catch { /* next */ }
  }
  return `${name} ${pkg.version} — ${pkg.license}\n\n${text.trim() || "(no licence file shipped; see the licence named above)"}`;
});
writeFileSync(join(out, "LICENSES.txt"),
  "The packages bundled into vendor.min.js (built by `make assets` from tools/workbench/package-lock.json)\n\n" +
  sections.join("\n\n" + "-".repeat(78) + "\n\n") + "\n");
console.log(`vendor.min.js from ${packages.size} packages`);
