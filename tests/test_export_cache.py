"""``/export`` bodies are kept per store version: the second identical request is served from the
cache (no second build), eight identical requests at once build once, and a build that adds an
article makes the next request build again. Build counts are asserted, never timings."""

from __future__ import annotations

import json
import threading

import pytest

from aseankg import settings
from aseankg.ingest import build_articles
from aseankg.stores import open_store
from aseankg.web import close_app, create_app
from aseankg.web.downloads import export_cache

EXPORT = {"projection": "actors", "format": "json"}


@pytest.fixture()
def store(tmp_path):
    articles = sorted(settings.ARTICLES_DIR.glob("*.txt"))
    kg = open_store(tmp_path / "kg")
    build_articles(articles[:-1], kg)
    yield kg, articles[-1]
    kg.close()


def test_identical_exports_are_built_once_per_store_version(store):
    kg, last = store
    app = create_app(kg, workers=0)
    try:
        client = app.test_client()
        cache = export_cache(app)
        first = client.get("/export", query_string=EXPORT)
        assert first.status_code == 200 and cache.builds == 1
        second = client.get("/export", query_string=EXPORT)
        assert second.status_code == 200 and second.data == first.data
        assert cache.builds == 1  # served from the cache
        assert client.get("/export", query_string={**EXPORT, "format": "gexf"}).status_code == 200
        assert cache.builds == 2  # another format is another file

        assert build_articles([last], kg).added  # a new store version
        third = client.get("/export", query_string=EXPORT)
        assert third.status_code == 200 and cache.builds == 3
        assert len(json.loads(third.data)["nodes"]) >= len(json.loads(first.data)["nodes"])
    finally:
        close_app(app)


def test_eight_identical_exports_at_once_build_one_file(store):
    kg, _ = store
    app = create_app(kg, workers=0)
    try:
        statuses = []

        def fetch():
            statuses.append(app.test_client().get("/export", query_string=EXPORT).status_code)

        threads = [threading.Thread(target=fetch) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        assert statuses == [200] * 8
        assert export_cache(app).builds == 1
    finally:
        close_app(app)
