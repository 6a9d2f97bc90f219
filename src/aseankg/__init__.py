"""aseankg: a knowledge graph of ASEAN actors, meetings and initiatives, built from news articles."""

__version__ = "0.1.0"
