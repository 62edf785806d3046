"""Text reuse between documents and the diffusion of policy it traces.

- :func:`find_reuse` finds the passages documents share (winnowed character
  fingerprints for candidates, seed-and-extend alignment for passages) and
  directs each pair by date;
- :mod:`policynlp.reuse.diffusion` turns the pairs into a diffusion network,
  adoption measures per source document, and a table crossing reuse with
  citations.
"""

from .align import align
from .diffusion import adoption, adoption_curves, citation_crosscheck, diffusion_graph
from .find import Reuse, direction, find_reuse
from .shingles import candidate_pairs, fingerprints, skeleton

__all__ = ["Reuse", "adoption", "adoption_curves", "align", "candidate_pairs", "citation_crosscheck",
           "diffusion_graph", "direction", "find_reuse", "fingerprints", "skeleton"]
