"""Extraction quality on the seed articles, scored against our own gold (``tests/gold/seeds.json``,
format in docs/gold-format.md) by the project's own evaluator (``aseankg.evaluation``, the one
``aseankg evaluate`` runs): the suite needs nothing outside the repository."""

import pytest

from aseankg import settings
from aseankg.evaluation import KINDS, evaluate

GOLD = settings.PROJECT_ROOT / "tests" / "gold" / "seeds.json"

#: What the extractor reaches on the seeds today; a drop below any of these fails the suite.
FLOORS = {
    "meetings": 0.85, "meetings (precision)": 0.95, "persons": 0.95, "persons (precision)": 0.95,
    "person countries": 0.95, "person roles": 0.65, "meeting cities": 0.9, "meeting start dates": 0.9,
    "meeting start dates (precision)": 0.9, "attendance+chair": 0.95, "attendance+chair (precision)": 0.9,
    "chairmanships": 0.95, "initiatives+documents": 0.75, "initiatives+documents (precision)": 0.85,
    "adopted": 0.6, "organizations": 0.7, "partnerships": 0.95, "coordinators": 0.95,
    "boilerplate kept out": 1.0,
}


@pytest.fixture(scope="module")
def scored():
    result = evaluate(GOLD, [settings.ARTICLES_DIR])
    assert len(result.articles) == 5 and not result.not_found
    figures = {}
    for s in result.scores:
        figures[s.kind] = s.recall
        figures[f"{s.kind} (precision)"] = s.precision
    return figures


def test_every_kind_of_fact_is_scored():
    assert {f.removesuffix(" (precision)") for f in FLOORS} <= set(KINDS)


@pytest.mark.parametrize("fact", sorted(FLOORS))
def test_seed_extraction_meets_its_floor(scored, fact):
    assert scored[fact] is not None and scored[fact] >= FLOORS[fact], f"{fact}: {scored[fact]} < {FLOORS[fact]}"
