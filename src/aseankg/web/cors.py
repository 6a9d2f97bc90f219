"""Cross-origin reads (CORS): the data the app serves may be fetched by a page of any other site.

Nothing the app serves depends on who asks (no cookies, no accounts; updates need a bearer token the
browser never sends on its own), so a response open to every origin gives away nothing a plain
``curl`` would not. ``/sparql`` answers with ``HEADERS`` (its own blueprint); the other views open to
other origins are marked with ``@shared``: entity pages in every form, ``ego.json``, ``/export`` and
``/openapi.json``. Their answers, errors included, carry ``Access-Control-Allow-Origin: *``, and the
``OPTIONS`` preflight that Flask answers for them (a client that sends a long ``Accept``, as Comunica
does, is preflighted) says which methods and headers may follow.

>>> from flask import Flask
>>> app = Flask(__name__)
>>> init_app(app)
>>> app.add_url_rule("/data", "data", shared(lambda: "data"))
>>> app.add_url_rule("/page", "page", lambda: "page")
>>> client = app.test_client()
>>> client.get("/data").headers["Access-Control-Allow-Origin"]
'*'
>>> "Access-Control-Allow-Origin" in client.get("/page").headers
False
>>> client.options("/data").headers["Access-Control-Allow-Methods"]
'GET, HEAD, OPTIONS'
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Response, current_app, request

from .security import set_missing

#: What a read-only view tells other origins: anyone may read, with GET and an ``Accept`` header.
HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept",
    "Access-Control-Max-Age": "86400",
}
#: The attribute that marks a view function as open to other origins.
MARK = "cors_shared"


def shared(view: Callable) -> Callable:
    """Mark ``view`` as readable from any origin (``init_app`` adds the headers to its answers)."""
    setattr(view, MARK, True)
    return view


def add_headers(response: Response, headers: dict[str, str] = HEADERS) -> Response:
    """Set the CORS ``headers`` on ``response`` (a view that set one itself keeps its own value)."""
    return set_missing(response, headers)


def _for_shared_views(response: Response) -> Response:
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    if view is not None and getattr(view, MARK, False):
        add_headers(response)
    return response


def init_app(app: Flask) -> None:
    """Add the CORS headers to every answer of the views marked ``shared``, preflights and errors too."""
    app.after_request(_for_shared_views)
