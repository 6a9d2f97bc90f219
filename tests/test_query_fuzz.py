"""A short run of the query fuzzer (``fuzz/fuzz_query.py``): generated queries through the safety check
and a query pool capped at 256 MiB a worker and 2 s a query. Nothing but a refusal, an answer, a
syntax error or a limit error may come out, and no worker may die for another reason."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "fuzz"))
from fuzz_query import check, make_store, queries  # noqa: E402

from aseankg.querying import QueryPool, wait_for_workers  # noqa: E402

MIB = 1 << 20


@pytest.fixture(scope="module")
def pool(tmp_path_factory):
    with QueryPool(make_store(tmp_path_factory.mktemp("fuzz")), size=2, memory=1024) as workers:
        assert wait_for_workers(workers, 2, 60)
        yield workers


@settings(max_examples=60, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=queries())
def test_generated_queries(pool, text):
    assert check(pool, text, 2.0) in {"refused", "answered", "syntax", "timeout", "over-limit"}
