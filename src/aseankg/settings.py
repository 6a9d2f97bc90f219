"""Settings declared in one place: resource locations and defaults, each overridable.

>>> from aseankg import settings
>>> settings.ONTOLOGY.name
'aseankg.ttl'
"""

from __future__ import annotations

import os
from pathlib import Path

#: The project folder holding ``ontology/``, ``data/`` and ``queries/``; the package is meant to be
#: installed in editable mode from a checkout, so it is two levels above this file.
PROJECT_ROOT = Path(os.environ.get("ASEANKG_HOME", Path(__file__).resolve().parents[2]))

ONTOLOGY = PROJECT_ROOT / "ontology" / "aseankg.ttl"
SHAPES = PROJECT_ROOT / "ontology" / "shapes.ttl"
GAZETTEER_DIR = PROJECT_ROOT / "data" / "gazetteer"
ARTICLES_DIR = PROJECT_ROOT / "data" / "articles"
QUERIES_DIR = PROJECT_ROOT / "queries"
#: Precision per extraction rule, measured by ``aseankg evaluate --format rules`` (consolidation.py).
RULE_PRECISION_FILE = PROJECT_ROOT / "data" / "rule_precision.csv"

#: Where the embedded store lives unless ``--store`` or ``ASEANKG_STORE`` says otherwise.
DEFAULT_STORE = "aseankg-store"

#: Namespaces of the vocabulary contract (DESIGN.md).
ONTOLOGY_NS = "https://w3id.org/aseankg/ontology#"
ID_NS = "https://w3id.org/aseankg/id/"
#: Named graphs that are not article graphs.
REFERENCE_GRAPH = ID_NS + "graph/reference"
ONTOLOGY_GRAPH = ID_NS + "graph/ontology"
INFERENCE_GRAPH = ID_NS + "graph/inferred"
#: Every claimed value of a single-valued property, ranked, and the preferred ones (consolidation.py).
CONSOLIDATED_GRAPH = ID_NS + "graph/consolidated"
#: Analysts' corrections (corrections.py): never written by a build.
CORRECTIONS_GRAPH = ID_NS + "graph/corrections"

#: Input size cap for one article file, in bytes.
MAX_ARTICLE_BYTES = 5 * 1024 * 1024
#: Longest sentence the extractor sees, in characters: longer ones are cut at spaces (extraction grows
#: with the square of a sentence's length: 80k characters took 1.8 s, 160k 7.2 s).
MAX_SENTENCE_CHARS = 2_000
#: Seconds extraction and checking may take for one article before it is quarantined (builds run in the
#: main thread: the budget is a SIGALRM timer, and does not apply elsewhere).
ARTICLE_TIME_BUDGET = 30.0
#: Problems reported one by one per input file (a JSON Lines file of a million empty records is one
#: summary line past these, not a million quarantine reports).
MAX_PROBLEMS_PER_FILE = 100


def store_location(explicit: str | os.PathLike | None = None) -> str:
    """The store to use: the explicit argument, else ``$ASEANKG_STORE``, else the default folder."""
    return str(explicit or os.environ.get("ASEANKG_STORE") or DEFAULT_STORE)
