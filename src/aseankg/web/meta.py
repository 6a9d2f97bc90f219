"""The service's own pages: ``/health`` (liveness) and ``/openapi.json`` (``/`` is the home page, ``home``)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from .cors import shared
from .describe import openapi

bp = Blueprint("meta", __name__)


@bp.get("/health")
def health():
    """Liveness: the store's location and the query worker processes' ids (general and quick lane)."""
    endpoint = current_app.extensions["aseankg"]
    pool = endpoint.pool
    return jsonify(status="ok", store=endpoint.store.location, read_only=not endpoint.allow_update,
                   workers=pool.pids("general") if pool is not None else [],
                   quick_workers=pool.pids("quick") if pool is not None else [])


@bp.get("/openapi.json")
@shared
def openapi_document():
    """The OpenAPI document: every route of the app."""
    return jsonify(openapi(allow_update=current_app.extensions["aseankg"].allow_update, app=current_app))
