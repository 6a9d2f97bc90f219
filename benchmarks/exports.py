"""Exports: the ``full`` projection of a large store, written as GEXF 1.3 and GraphML.

Times reading the network out of the store (``projections.project``, ``full``) and writing each
file (``exports.write_gexf`` / ``write_graphml``), and reports the node and edge counts reached.
"""

from __future__ import annotations

from pathlib import Path

from aseankg.exports import write_gexf, write_graphml
from aseankg.projections import project

from .measure import Stats, timed
from .triples import build_store

#: Nodes in the ``full`` projection per synthetic triple (measured: 16,254 nodes from 342,673 quads).
NODES_PER_TRIPLE = 1 / 21


def measure(nodes: int, scratch: str, *, runs: int, log=print) -> dict:
    """Export the ``full`` projection of a store sized for about ``nodes`` nodes."""
    triples = int(nodes / NODES_PER_TRIPLE)
    store, _, _ = build_store(None, triples, scratch=scratch)
    out: dict = {"target_nodes": nodes, "quads": store.triple_count()}
    project_times, gexf_times, graphml_times = [], [], []
    graph = None
    folder = Path(scratch)
    for _ in range(runs):
        seconds, graph = timed(lambda: project(store, "full"))
        project_times.append(seconds)
        gexf_times.append(timed(lambda g=graph: write_gexf(g, folder / "full.gexf", dynamic=True))[0])
        graphml_times.append(timed(lambda g=graph: write_graphml(g, folder / "full.graphml"))[0])
    out.update({"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
                "project_seconds": Stats.of(project_times).as_dict(2),
                "gexf_seconds": Stats.of(gexf_times).as_dict(2),
                "graphml_seconds": Stats.of(graphml_times).as_dict(2),
                "gexf_mib": round((folder / "full.gexf").stat().st_size / 2**20, 1),
                "graphml_mib": round((folder / "full.graphml").stat().st_size / 2**20, 1)})
    log(f"exports: {out['nodes']} nodes, {out['edges']} edges: project {out['project_seconds']['median']} s, "
        f"GEXF {out['gexf_seconds']['median']} s, GraphML {out['graphml_seconds']['median']} s")
    store.close()
    return out
