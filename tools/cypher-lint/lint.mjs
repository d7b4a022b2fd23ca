// Reads {"schema": DbSchema, "queries": [{"name", "query", "parameters"}]} on stdin and
// prints [{"name", "diagnostics": [{severity, message, line, column}]}] on stdout,
// using Neo4j's own Cypher front end (@neo4j-cypher/language-support), offline.
import { lintCypherQuery } from '@neo4j-cypher/language-support';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const { schema, queries } = JSON.parse(input);
const out = queries.map(({ name, query, parameters }) => {
  const dbSchema = { ...schema, parameters: parameters ?? {} };
  const { diagnostics } = lintCypherQuery(query, dbSchema);
  return {
    name,
    diagnostics: diagnostics.map((d) => ({
      severity: d.severity === 1 ? 'error' : d.severity === 2 ? 'warning' : 'info',
      message: d.message,
      line: (d.range?.start?.line ?? 0) + 1,
      column: (d.range?.start?.character ?? 0) + 1,
    })),
  };
});
process.stdout.write(JSON.stringify(out));
