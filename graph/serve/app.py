"""The workbench's routes: a Starlette app over one :class:`Workbench`, behind the :class:`Guard`.

``GET /`` is the page; ``/static/…`` its script, styles and the vendored
bundle; ``/map`` the explorable map page, drawn from the same store; ``/api/…``
answers JSON. Every error a user can cause is a 400 (or 404) whose body is
``{"error": "…"}`` with the message the CLI would print; anything else is a
500 with one line, its traceback in the log.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from citygraph.core.errors import CitygraphError
from citygraph.serve import review as rv
from citygraph.serve.security import Guard, Guarded
from citygraph.serve.workbench import Workbench

log = logging.getLogger("citygraph.serve")
STATIC = Path(str(files("citygraph.serve") / "static"))
#: The paths that write: the guard refuses them unless the workbench was started to write.
WRITES = ("/api/review/decide", "/api/review/add", "/api/review/save", "/api/review/load")


def _error(e: Exception) -> JSONResponse:
    if isinstance(e, CitygraphError | ValueError):
        return JSONResponse({"error": e.text() if isinstance(e, CitygraphError) else str(e)}, status_code=400)
    log.exception("the workbench failed on a request")
    return JSONResponse({"error": f"the workbench failed ({type(e).__name__}); the server's log has the details"},
                        status_code=500)


def _json(work: Callable[[Request], Any]) -> Callable[[Request], Response]:
    """A sync endpoint (Starlette runs it in a thread) whose result is JSON, and whose errors are answers."""
    def endpoint(request: Request) -> Response:
        try:
            result = work(request)
        except Exception as e:  # noqa: BLE001 - each becomes an answer, never a dropped connection
            return _error(e)
        if result is None:
            return JSONResponse({"error": "not found"}, status_code=404)
        return result if isinstance(result, Response) else JSONResponse(result)
    return endpoint


def _body(request: Request) -> dict[str, Any]:
    import json

    import anyio.from_thread

    raw = anyio.from_thread.run(request.body)
    try:
        value = json.loads(raw or b"{}")
    except ValueError:
        raise ValueError("the request body is not JSON") from None
    if not isinstance(value, dict):
        raise ValueError("the request body is a JSON object")
    return value


class Routes:
    """The endpoints, bound to one workbench, its guard and (where ``serve`` was given one) a review."""

    def __init__(self, bench: Workbench, guard: Guard, review: rv.Review | None, loaders: Any) -> None:
        self.bench, self.guard, self.review, self.loaders = bench, guard, review, loaders

    def page(self, request: Request) -> Response:
        html = (STATIC / "index.html").read_text(encoding="utf-8")
        html = html.replace("{{ csrf }}", self.guard.csrf).replace("{{ write }}", "true" if self.guard.write else
                                                                   "false")
        return HTMLResponse(html.replace("{{ review }}", "true" if self.review else "false"))

    def map_page(self, request: Request) -> Response:
        from citygraph.views.mapdata import map_data
        from citygraph.views.mappage import page

        only = [p for p in request.query_params.get("places", "").split(",") if p]
        focus = request.query_params.get("focus") or None
        data = self.bench.locked(lambda: map_data(self.bench.store, focus=focus, only=only or None))
        return HTMLResponse(page(data, nonce=request.scope["state"]["nonce"]))

    def info(self, request: Request) -> Any:
        return self.bench.info() | {"write": self.guard.write, "review": self.review is not None}

    def search(self, request: Request) -> Any:
        return self.bench.search(request.query_params.get("q", ""))

    def expand(self, request: Request) -> Any:
        limit = int(request.query_params.get("limit", "150"))
        return self.bench.expand(request.query_params.get("key", ""), max(1, min(limit, 2000)))

    def overview(self, request: Request) -> Any:
        return self.bench.overview()

    def country(self, request: Request) -> Any:
        return self.bench.country(request.query_params.get("code", ""))

    def node_provenance(self, request: Request) -> Any:
        return self.bench.node_provenance(request.query_params.get("key", ""))

    def link_provenance(self, request: Request) -> Any:
        return self.bench.link_provenance(request.query_params.get("a", ""), request.query_params.get("b", ""))

    def queries(self, request: Request) -> Any:
        return self.bench.queries()

    def run_query(self, request: Request) -> Any:
        return self.bench.run_query(request.path_params["name"], _body(request).get("params") or {})

    def cypher_of(self, request: Request) -> Any:
        return {"cypher": self.bench.cypher_of(request.path_params["name"], _body(request).get("params") or {})}

    def run_cypher(self, request: Request) -> Any:
        body = _body(request)
        return self.bench.run_cypher(str(body.get("text", "")), body.get("params") or {})

    def review_queue(self, request: Request) -> Any:
        return rv.queue(self.review) if self.review else None

    def decide(self, request: Request) -> Any:
        body = _body(request)
        rv.decide(self._review(), str(body.get("key")), str(body.get("action")), body.get("fields"))
        return rv.queue(self._review())

    def add(self, request: Request) -> Any:
        b = _body(request)
        ident = rv.add_from_line(self._review(), str(b.get("key")), str(b.get("title", "")),
                                 str(b.get("channel", "")), str(b.get("parties", "")))
        return rv.queue(self._review()) | {"added": ident}

    def save(self, request: Request) -> Any:
        return {"saved": str(rv.save(self._review(), self._check))}

    def load(self, request: Request) -> Any:
        def run(store: Any, path: Path, texts: list[Any]) -> Any:
            self.loaders.keep_texts(texts)
            return self.loaders.load(store, [path], replace=True)

        result = self.bench.locked(lambda: rv.load(self._review(), self.bench.store, run, self._check))
        self.bench.forget()
        return {"saved": str(self._review().out), "summary": result.summary()}

    def _review(self) -> rv.Review:
        if self.review is None:
            raise ValueError("this workbench has no review: start it with a report or an extraction to review")
        return self.review

    def _check(self, path: Path) -> None:
        self.bench.locked(lambda: self.loaders.prepare(self.bench.store, [path]))

    def table(self) -> list[Route | Mount]:
        get = [("/api/info", self.info), ("/api/search", self.search), ("/api/expand", self.expand),
               ("/api/overview", self.overview), ("/api/country", self.country),
               ("/api/provenance/node", self.node_provenance), ("/api/provenance/link", self.link_provenance),
               ("/api/queries", self.queries), ("/api/review", self.review_queue)]
        post = [("/api/query/{name}", self.run_query), ("/api/query/{name}/cypher", self.cypher_of),
                ("/api/cypher", self.run_cypher), ("/api/review/decide", self.decide), ("/api/review/add", self.add),
                ("/api/review/save", self.save), ("/api/review/load", self.load)]
        return [Route("/", _json(self.page)), Route("/map", _json(self.map_page)),
                *[Route(path, _json(fn), methods=["GET"]) for path, fn in get],
                *[Route(path, _json(fn), methods=["POST"]) for path, fn in post],
                Mount("/static", StaticFiles(directory=STATIC), name="static")]


def create_app(bench: Workbench, guard: Guard, review: rv.Review | None = None, loaders: Any = None) -> Guarded:
    """The guarded app; ``loaders`` is the loaders' face (``citygraph.loaders``), for the review's save and load."""
    guard.writes = WRITES
    routes = Routes(bench, guard, review, loaders)
    return Guarded(Starlette(routes=routes.table()), guard)
