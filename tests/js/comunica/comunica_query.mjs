// Runs a SPARQL SELECT query with Comunica against a SPARQL endpoint and prints the bindings as JSON.
// Usage: node comunica_query.mjs ENDPOINT_URL QUERY   (used by tests/test_web_live.py)
import { QueryEngine } from "@comunica/query-sparql";

const [endpoint, query] = process.argv.slice(2);
const engine = new QueryEngine();
const stream = await engine.queryBindings(query, {
  sources: [{ type: "sparql", value: endpoint }],
  lenient: false,
});
const rows = await stream.toArray();
const plain = rows.map((bindings) => Object.fromEntries([...bindings].map(([name, term]) => [name.value, term.value])));
process.stdout.write(JSON.stringify(plain) + "\n");
