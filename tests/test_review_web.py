"""The review panel, the conflicts page and the correction form, which needs the bearer token."""

from __future__ import annotations

from pathlib import Path

import pytest

from aseankg import settings
from aseankg.consolidation import SCHEMA
from aseankg.corrections import corrections
from aseankg.ingest import build_articles
from aseankg.store import EmbeddedStore
from aseankg.web import close_app, create_app

CONFLICTING = Path(__file__).parent / "fixtures" / "conflicting"
PAGE = "/id/meeting/asean-summit-47"
FORM = {"action": "assert", "property": str(SCHEMA.startDate), "value": "2025-10-25", "reason": "programme"}


@pytest.fixture
def store(tmp_path):
    s = EmbeddedStore(tmp_path / "kg")
    build_articles([CONFLICTING], s)
    yield s
    s.close()


def make(store, **options):
    return create_app(store, workers=0, **options)


def test_entity_page_shows_preferred_and_also_reported_values(store):
    app = make(store)
    html = app.test_client().get(PAGE, headers={"Accept": "text/html"}).get_data(as_text=True)
    close_app(app)
    assert 'id="review"' in html and "preferred (span" in html and "also reported: 2025-10-27" in html
    assert 'class="correct"' not in html  # no form on a read-only server


def test_conflicts_page_lists_open_conflicts(store):
    app = make(store)
    html = app.test_client().get("/conflicts").get_data(as_text=True)
    close_app(app)
    assert "id:meeting/asean-summit-47" in html and "schema:startDate" in html


def test_correction_needs_the_token(store):
    app = make(store, allow_update=True, token="s3cret")
    client = app.test_client()
    assert 'class="correct"' in client.get(PAGE, headers={"Accept": "text/html"}).get_data(as_text=True)
    assert client.post("/review" + PAGE, data=FORM).status_code == 403
    assert client.post("/review" + PAGE, data={**FORM, "token": "wrong"}).status_code == 403
    assert client.post("/review" + PAGE, data=FORM, headers={"Authorization": "Bearer nope"}).status_code == 403
    assert corrections(store) == []
    answer = client.post("/review" + PAGE, data={**FORM, "token": "s3cret"})
    assert answer.status_code == 303
    assert [str(k.value) for k in corrections(store)] == ["2025-10-25"]
    kid = corrections(store)[0].id
    assert client.post("/review" + PAGE, data={"action": "undo", "correction": kid},
                       headers={"Authorization": "Bearer s3cret"}).status_code == 303
    close_app(app)
    assert corrections(store)[0].undone


def test_read_only_server_refuses_corrections(store):
    app = make(store)
    assert app.test_client().post("/review" + PAGE, data={**FORM, "token": "x"}).status_code == 403
    close_app(app)
    assert settings.CORRECTIONS_GRAPH not in store.named_graphs()
