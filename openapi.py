"""The OpenAPI description of the JSON API under /api: what each route takes and gives back."""

from __future__ import annotations

ERROR = {"$ref": "#/components/schemas/Error"}
AS_OF = {"name": "as_of", "in": "query", "schema": {"type": "string", "format": "date"},
         "description": "The day deadline statuses are judged on (due, overdue, superseded); default today."}
QUERY_PARAMETERS = [
    {"name": "q", "in": "query", "schema": {"type": "string"},
     "description": 'Words, "phrases", AND / OR / NOT, brackets, truncated words (vaccin*) and fields such as '
                    'document:ltp-2019.'},
    {"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["relevance", "date", "deadline"]}},
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
    AS_OF,
    *({"name": name, "in": "query", "schema": {"type": "string"}, "description": f"Keep only this {name}."}
      for name in ("kind", "document", "publisher", "year", "actor", "theme", "deadline", "status")),
]
ID = [{"name": "ident", "in": "path", "required": True, "schema": {"type": "string"},
       "description": "A document id (ltp-2019) or a commitment id."}]


OBJECT, LIST = {"type": "object"}, {"type": "array", "items": {"type": "object"}}


def operation(summary: str, parameters: list[dict] | None = None, not_found: bool = False,
              returns: dict = OBJECT) -> dict:
    responses = {"200": {"description": "OK", "content": {"application/json": {"schema": returns}}},
                 "400": {"description": "Bad input", "content": {"application/json": {"schema": ERROR}}}}
    if not_found:
        responses["404"] = {"description": "No such thing", "content": {"application/json": {"schema": ERROR}}}
    return {"get": {"summary": summary, "parameters": parameters or [], "responses": responses}}


def openapi(base_url: str) -> dict:
    """The description, with the server it is served from."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "policygraph", "version": "1",
                 "description": "Commitments in public policy documents, their lineage, and search over them."},
        "servers": [{"url": base_url.rstrip("/")}],
        "paths": {
            "/api/search": operation("Search commitments, passages and documents (give q, a filter, or both; "
                                     "neither is a 400)", QUERY_PARAMETERS),
            "/api/documents": operation("Every document, oldest first", returns=LIST),
            "/api/document/{ident}": operation("A document: its sections, commitments and links", ID, True),
            "/api/commitment/{ident}": operation("A commitment with its status and lineage", [*ID, AS_OF], True),
            "/api/priorities": operation("The priorities and ambitions documents are organised around",
                                         returns=LIST),
            "/api/lineage/{ident}": operation("What a document or commitment descends from", ID, True),
            "/api/openapi.json": operation("This description"),
        },
        "components": {"schemas": {"Error": {
            "type": "object", "required": ["ok", "error", "status"],
            "properties": {"ok": {"const": False}, "error": {"type": "string"}, "status": {"type": "integer"}},
        }}},
    }
