"""The Flask front end: an app factory, thin views (one library call each), one error handler."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import orjson
from flask import Blueprint, Flask, Response, current_app, jsonify, redirect, render_template, request, url_for
from flask.json.provider import JSONProvider
from werkzeug.exceptions import HTTPException

from corpus.dates import parse_day
from corpus.errors import BadQuery, PolicygraphError
from editing import csrf_field, editing_enabled, edits, set_csrf_cookie
from graph.datadir import Data, is_current, open_data
from graph.examples import load_examples
from graph.linkeddata import choose_rdf, page_kind, resource, serialise_graph
from graph.sparql import READ_ONLY, answer, cut_headers, run_query, service_description
from graph.twins import twin
from graph.views import commitment_page, document_page, lineage_page, overview
from openapi import openapi
from search.query import FACETS, search
from settings import from_environment, memory_choice

pages = Blueprint("pages", __name__)
TWIN = "<any(ttl,jsonld,json,csv,nt,rdf):ext>"  # the extensions of a page's data twins
api = Blueprint("api", __name__, url_prefix="/api")


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then POLICYGRAPH_* variables, then `config` (tests, CLI options)."""
    app = Flask(__name__)
    app.json = OrjsonProvider(app)
    app.config.update(from_environment(dict(config or {})))
    app.extensions["policygraph"] = None  # opened on first use, so `serve` can build first
    app.register_blueprint(pages)
    app.register_blueprint(api)
    app.register_blueprint(edits)
    app.jinja_env.globals.update(FACETS=FACETS, editing_enabled=editing_enabled, csrf_field=csrf_field)
    app.register_error_handler(PolicygraphError, render_error)
    app.register_error_handler(HTTPException, render_http_error)
    app.register_error_handler(Exception, render_unexpected)
    app.config["MAX_CONTENT_LENGTH"] = app.config.get("MAX_CONTENT_LENGTH") or MAX_REQUEST_BYTES
    app.after_request(set_csrf_cookie)
    app.after_request(secure_headers)
    return app


class OrjsonProvider(JSONProvider):
    """JSON written by orjson, which writes our frozen dataclasses itself: an uncached search's answer at L took
    2.0 ms through `to_json` and json.dumps, 0.16 ms so, a tenth of the request. Anything else it does not
    know is written as its str(), as `to_json` does."""

    option = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME  # a datetime as str() gives it, as before

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        return self.encode(obj).decode("utf-8")

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return orjson.loads(s)

    def encode(self, obj: Any) -> bytes:
        return orjson.dumps(obj, default=str, option=self.option)

    def response(self, *args: Any, **kwargs: Any) -> Response:
        return self._app.response_class(self.encode(self._prepare_response_obj(args, kwargs)),
                                        mimetype="application/json")


MAX_REQUEST_BYTES = 1024 * 1024  # a POSTed query or form over this is refused with 413
# Scripts and styles from our own origin only (the pages have no inline script or style attribute),
# nothing framed, forms posting only here.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY",
           "Cross-Origin-Opener-Policy": "same-origin",
           "Permissions-Policy": "camera=(), microphone=(), geolocation=()"}


def secure_headers(response: Response) -> Response:
    """The usual security headers on every answer; a Content-Security-Policy on every page."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", CSP)
    return response


def data() -> Data:
    """The current build, opened read-only, and opened again when a rebuild has swapped a new one in."""
    loaded = current_app.extensions.get("policygraph")
    data_dir = Path(current_app.config["DATA_DIR"])
    if loaded is None or not is_current(data_dir, loaded):
        with OPENING:  # one thread opens it: under load, each of a worker's threads read the new build at L
            loaded = current_app.extensions.get("policygraph")
            if loaded is None or not is_current(data_dir, loaded):
                loaded = reopen(data_dir, loaded, current_app.config)
                current_app.extensions["policygraph"] = loaded
    return loaded


OPENING = threading.Lock()


def reopen(data_dir: Path, loaded: Data | None, config: Mapping[str, Any]) -> Data:
    if loaded is not None and config.get("MASTER_COPIES"):
        # the build this worker was forked with shares its pages with the master; freed, they would be
        # copied first. The master replaces this worker soon (server.py).
        current_app.extensions.setdefault("policygraph-forked-with", loaded)
    return open_data(data_dir, int(config["SEARCH_CACHE"]), memory_choice(config),
                     copy=not config.get("MASTER_COPIES"), best_of=int(config["SEARCH_BEST_OF"]))


def wants_html() -> bool:
    """A browser asks for text/html by name; */* alone is a machine client."""
    accept = request.accept_mimetypes
    named = [media for media, _ in accept if media != "*/*"]
    return "text/html" in named and accept.best_match(named) == "text/html"


def wants_json() -> bool:
    """Errors as JSON for the API and for machine clients of /sparql; as a page for browsers."""
    if request.path.startswith("/api/"):
        return True
    if request.path.startswith("/sparql"):
        return not wants_html()
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


def error_response(message: str, status: int):
    body = {"ok": False, "error": message, "status": status}
    if wants_json():
        return jsonify(body), status
    return render_template("error.html", **body), status


def render_error(exc: PolicygraphError):
    body, status = error_response(str(exc), exc.status)
    retry = getattr(exc, "retry_after", None)  # a busy server says when asking again is worth it
    return (body, status, {"Retry-After": str(retry)}) if retry else (body, status)


def render_http_error(exc: HTTPException):
    return error_response(exc.description or exc.name, exc.code or 500)


def render_unexpected(exc: Exception):
    current_app.logger.exception("unexpected error")
    return error_response("an unexpected error happened; it has been logged", 500)


def search_args() -> dict[str, Any]:
    """The search asked for in the URL: every filter is in it, so a search can be shared as a link."""
    return {"query": request.args.get("q", ""), "sort": request.args.get("sort", "relevance") or "relevance",
            "filters": {name: request.args.get(name, "") for name in FACETS if request.args.get(name)},
            "page": max(1, request.args.get("page", 1, type=int) or 1),
            "as_of": request.args.get("as_of", "")}


def run_search(size: int):
    args = search_args()
    results = search(data().index, args["query"], args["filters"], limit=size, offset=(args["page"] - 1) * size,
                     sort=args["sort"], today=parse_day(args["as_of"]))
    return results, args


def to_json(value: Any) -> Any:
    if is_dataclass(value):  # not dataclasses.asdict, which deep-copies everything first: a third of a search
        return {name: to_json(getattr(value, name)) for name in field_names(type(value))}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    return value if isinstance(value, (str, int, float, bool, type(None))) else str(value)


@cache
def field_names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(kind))


@pages.get("/")
def home():
    return render_template("home.html", overview=overview(data()))


@pages.get(f"/index.{TWIN}")
def home_twin(ext: str):
    return twin_response(overview(data()), ext)


@pages.get("/search")
def search_page():
    args = search_args()
    if not args["query"].strip() and not args["filters"]:
        return render_template("search.html", results=None, size=0, **args)
    size = current_app.config["PAGE_SIZE"]
    try:
        results, args = run_search(size)
    except BadQuery as exc:  # shown under the query as typed, so that it can be put right there
        return render_template("search.html", results=None, size=0, error=str(exc), **args), exc.status
    return render_template("search.html", results=results, size=size, **args)


@pages.get("/doc/<doc_id>")
def document(doc_id: str):
    return render_template("document.html", page=document_page(data(), doc_id))


@pages.get("/commitment/<commitment_id>")
def commitment(commitment_id: str):
    return render_template("commitment.html", page=commitment_page(data(), commitment_id))


@pages.get("/lineage/<ident>")
def lineage(ident: str):
    return render_template("lineage.html", page=lineage_page(data(), ident))


def twin_response(page, ext: str) -> Response:
    """A page's twin: the API's JSON, or the page's triples or table from graph.twins."""
    if ext == "json":
        return jsonify(page)
    body, media_type = twin(data(), page, ext)
    return Response(body, mimetype=media_type)


@pages.get(f"/doc/<doc_id>.{TWIN}")
def document_twin(doc_id: str, ext: str):
    return twin_response(document_page(data(), doc_id), ext)


@pages.get(f"/commitment/<commitment_id>.{TWIN}")
def commitment_twin(commitment_id: str, ext: str):
    return twin_response(commitment_page(data(), commitment_id), ext)


@pages.get(f"/lineage/<ident>.{TWIN}")
def lineage_twin(ident: str, ext: str):
    return twin_response(lineage_page(data(), ident), ext)


@pages.get(f"/search.{TWIN}")
def search_twin(ext: str):
    return twin_response(run_search(min(100, request.args.get("limit", 100, type=int) or 100))[0], ext)


@pages.get("/id/<path:rest>")
def dereference(rest: str):
    """An IRI under the base: a browser goes to its page (303), an RDF client gets its triples."""
    iri = current_app.config["BASE_URI"] + rest
    wanted = choose_rdf([media for media, _ in request.accept_mimetypes])
    if wanted is None and wants_html():
        kind, ident = page_kind(data().dataset, iri)
        if kind:
            target = url_for("pages.document", doc_id=ident) if kind == "document" else \
                url_for("pages.commitment", commitment_id=ident)
            return redirect(target, code=303)
    body, media_type = serialise_graph(resource(data().dataset, iri), wanted or "ttl")
    return Response(body, mimetype=media_type, headers={"Vary": "Accept"})


def sparql_query() -> str:
    """The query of a SPARQL protocol request: ?query=, a form field, or a direct POST body.

    An update request (the protocol's `update` form field, or a direct `application/sparql-update` body) is
    refused: answered with the service description, as a request without a query is, a client would take
    its 200 for an update done."""
    if "update" in request.values or request.mimetype == "application/sparql-update":
        raise BadQuery(READ_ONLY)
    if request.method == "POST" and request.mimetype == "application/sparql-query":
        return request.get_data(as_text=True)
    return request.values.get("query", "")


@pages.route("/sparql", methods=["GET", "POST"])
def sparql_endpoint():
    query, wanted = sparql_query(), request.values.get("format") or request.values.get("output") or None
    if not query.strip():
        if wants_html():
            return render_template("sparql.html", query="", result=None, examples=load_examples())
        return Response(service_description(request.base_url), mimetype="text/turtle")
    limits = {"timeout": current_app.config["SPARQL_TIMEOUT"], "max_rows": current_app.config["SPARQL_MAX_ROWS"]}
    if wants_html() and not wanted:
        result = run_query(data().dataset, query, **limits)
        return render_template("sparql.html", query=query, result=result,
                               examples=load_examples()), cut_headers(result.cut_at)
    accept = [media for media, _ in request.accept_mimetypes]
    body, media_type, headers = answer(data().dataset, query, accept, wanted, **limits)
    return Response(body, mimetype=media_type, headers=headers)


@api.get("/search")
def api_search():
    size = min(100, request.args.get("limit", current_app.config["PAGE_SIZE"], type=int) or 20)
    return jsonify(run_search(size)[0])


@api.get("/lineage/<ident>")
def api_lineage(ident: str):
    return jsonify(lineage_page(data(), ident).trace)


@api.get("/documents")
def api_documents():
    return jsonify(data().catalogue.documents())


@api.get("/document/<ident>")
def api_document(ident: str):
    return jsonify(document_page(data(), ident))


@api.get("/commitment/<ident>")
def api_commitment(ident: str):
    page = commitment_page(data(), ident)
    day = parse_day(request.args.get("as_of")) or date.today()
    return jsonify(to_json(page) | {"status": page.commitment.status_on(day), "as_of": day.isoformat()})


@api.get("/priorities")
def api_priorities():
    return jsonify(data().catalogue.priorities())


@api.get("/openapi.json")
def api_openapi():
    return jsonify(openapi(request.host_url))
