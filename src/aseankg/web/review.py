"""Review views: what consolidation chose for an entity, what else was reported, analysts' corrections
(a panel on each entity page), the open conflicts (``/conflicts``), and the correction form's POST
(``/review/id/...``), which needs the server's bearer token (``aseankg serve --allow-update --token T``):
in an ``Authorization: Bearer T`` header or, from the page's form, a ``token`` field. Without it: 403.
"""

from __future__ import annotations

import hmac
from collections import defaultdict

from flask import Blueprint, Response, current_app, redirect, render_template, request

from ..consolidation import claims_about, open_conflicts
from ..corrections import CorrectionError, corrections, record, short, undo
from .pages import entity_iri, not_found, page_href

bp = Blueprint("review", __name__)


def can_correct() -> bool:
    """Whether the server accepts corrections (started with ``--allow-update`` and a token)."""
    ep = current_app.extensions.get("aseankg")
    return bool(ep is not None and ep.allow_update and current_app.config.get("UPDATE_TOKEN"))


def review_panel(store, iri: str) -> dict:
    """The claims about ``iri`` by property (preferred first) and the corrections of ``iri``."""
    from rdflib import URIRef

    by_property = defaultdict(list)
    for claim in claims_about(store, URIRef(iri)):
        by_property[short(claim.property)].append(claim)
    mine = [k for k in corrections(store) if str(k.subject) == iri]
    return {"claims": dict(by_property), "corrections": mine, "editable": can_correct(), "short": short,
            "href": page_href}


def _authorised() -> bool:
    token = current_app.config.get("UPDATE_TOKEN")
    if not can_correct() or not token:
        return False
    given = request.headers.get("Authorization", "")
    if given.startswith("Bearer "):
        given = given[len("Bearer "):]
    else:
        given = request.form.get("token", "")
    return hmac.compare_digest(given.encode(), token.encode())


@bp.post("/review/id/<path:path>")
def correct(path: str):
    """Record a correction (form fields ``action``, ``property``, ``value``, ``reason``, ``by``; or
    ``action=undo`` and ``correction``) and go back to the entity page."""
    if not _authorised():
        return Response("corrections need the bearer token the server was started with "
                        "(aseankg serve --allow-update --token ...)\n", 403, mimetype="text/plain",
                        headers={"WWW-Authenticate": 'Bearer realm="aseankg"'})
    iri = entity_iri(path)
    if iri is None:
        return not_found(f"/id/{path}")
    store = current_app.config["STORE"]
    form = request.form
    try:
        if form.get("action") == "undo":
            undo(store, form.get("correction", ""), analyst=form.get("by") or "web")
        else:
            record(store, form.get("action", ""), iri, form.get("property", ""), form.get("value", ""),
                   reason=form.get("reason", ""), analyst=form.get("by") or "web")
    except CorrectionError as error:
        return Response(f"{error}\n", 400, mimetype="text/plain")
    if hasattr(store, "db"):
        store.db.flush()  # the read-only query workers see the correction
    return redirect(f"/id/{path}#review", 303)


@bp.get("/conflicts")
def conflicts():
    """The open conflicts, most-reported first."""
    from rdflib import URIRef

    rows = [{**r, "entity": URIRef(str(r["entity"])), "property": URIRef(str(r["property"]))}
            for r in open_conflicts(current_app.config["STORE"])]
    return render_template("conflicts.html", rows=rows, short=short, href=page_href)
