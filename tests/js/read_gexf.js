// Parse a GEXF file with graphology-gexf and print what a client sees, as JSON:
// node and edge counts, the graph type, and the attributes of the nodes and edges asked for.
// Usage: node read_gexf.js FILE [NODE_ID ...]
const fs = require("fs");
const { MultiGraph } = require("graphology");
const gexf = require("graphology-gexf");

const [file, ...wanted] = process.argv.slice(2);
const graph = gexf.parse(MultiGraph, fs.readFileSync(file, "utf-8"));
const nodes = {};
for (const id of wanted) nodes[id] = graph.hasNode(id) ? graph.getNodeAttributes(id) : null;
const edges = [];
graph.forEachEdge((edge, attributes, source, target) => {
  if (wanted.includes(source) && wanted.includes(target)) edges.push({ source, target, attributes });
});
process.stdout.write(JSON.stringify({
  order: graph.order, size: graph.size, type: graph.type, nodes, edges,
}));
