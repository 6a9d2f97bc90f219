// Load a node-link JSON export into Cytoscape.js as a web page would: each node and edge object is an
// element's data. Headless, with the usual style (a node shows data(label)). Prints what the page sees, as
// JSON: node and edge counts, the label drawn for each node asked for, and the kinds of the edges.
// Usage: node read_cytoscape.js FILE [NODE_ID ...]
const fs = require("fs");
const cytoscape = require("cytoscape");

const [file, ...wanted] = process.argv.slice(2);
const data = JSON.parse(fs.readFileSync(file, "utf-8"));
const cy = cytoscape({
  headless: true,
  styleEnabled: true,
  elements: { nodes: data.nodes.map((d) => ({ data: d })), edges: data.edges.map((d) => ({ data: d })) },
  style: [{ selector: "node", style: { label: "data(label)" } }],
});
const labels = {};
for (const id of wanted) {
  const node = cy.getElementById(id);
  labels[id] = node.empty() ? null : node.style("label");
}
const kinds = [...new Set(cy.edges().map((edge) => edge.data("kind")))].sort();
const seen = { nodes: cy.nodes().length, edges: cy.edges().length, labels, kinds };
cy.destroy();
// a headless core keeps its render loop timer: leave once the answer is written
process.stdout.write(JSON.stringify(seen), () => process.exit(0));
