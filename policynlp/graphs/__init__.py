"""Networks of agencies, documents, programmes, domains and terms.

Every builder returns a networkx graph following one data model
(:mod:`._model`): node ids are ``"<kind>:<name>"`` with attributes ``kind``
(agency, document, programme, domain, term), ``label`` and ``years`` (sorted
list of the years the node is active); edges carry ``relation`` (issued,
co_issued, cites, co_cited, coupled, in_domain, run_by, co_occurs),
``weight`` and ``years``.  Co-occurrence and co-citation are counted on
sparse matrices; the small bipartite builders (co-issuing, multimode) loop
over each document's pairs.

The package follows the pipeline's steps: building (:mod:`.documents`,
:mod:`.multimode`, :mod:`.cooccurrence`), measuring (:mod:`.metrics`),
reducing (:mod:`.reduce`) and laying out for a drawing (:mod:`.layout`).
"""

from ._model import NORMALIZATIONS
from .cooccurrence import cooccurrence_graph
from .documents import bibliographic_coupling, citation_graph, co_citation, co_issuing
from .layout import CORE_NODES, LAYOUT_NODES, core_subgraph, drawable, layout
from .metrics import CLUSTERING_EDGES, EXACT_BETWEENNESS_NODES, communities, edge_table, node_table
from .multimode import multimode_graph, project
from .reduce import backbone, time_slices

__all__ = ["layout", "co_issuing", "citation_graph", "co_citation", "bibliographic_coupling", "multimode_graph", "project",
           "cooccurrence_graph", "time_slices", "node_table", "edge_table", "communities", "backbone", "core_subgraph",
           "drawable", "NORMALIZATIONS", "EXACT_BETWEENNESS_NODES", "CLUSTERING_EDGES", "LAYOUT_NODES", "CORE_NODES"]
