"""Curating links over the web: off unless EDIT_TOKEN is set, then behind that token and a CSRF check.

The CSRF check is a signed double submit: a random cookie (SameSite=Strict, HttpOnly) and a form field
holding its HMAC under a key derived from the edit token. Another site can neither read the cookie nor
forge the field, and nothing is kept on the server, so any number of workers agree.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from pathlib import Path

from flask import Blueprint, Response, current_app, g, redirect, request, url_for

from corpus.errors import BadInput, PolicygraphError
from graph.curation import new_decision
from graph.datadir import curate_data_dir

edits = Blueprint("edits", __name__)
COOKIE = "pg_csrf"


class Forbidden(PolicygraphError):
    status = 403


def editing_enabled() -> bool:
    return bool(current_app.config.get("EDIT_TOKEN"))


def csrf_field() -> str:
    """The hidden field's value for this browser, setting its cookie on the way out if it has none."""
    nonce = request.cookies.get(COOKIE) or g.setdefault("new_csrf_nonce", secrets.token_urlsafe(32))
    return _sign(nonce)


def set_csrf_cookie(response: Response) -> Response:
    nonce = g.pop("new_csrf_nonce", None)
    if nonce:
        response.set_cookie(COOKIE, nonce, httponly=True, samesite="Strict", secure=request.is_secure)
    return response


def _sign(nonce: str) -> str:
    key = hashlib.sha256(b"policygraph csrf|" + current_app.config["EDIT_TOKEN"].encode()).digest()
    return hmac.new(key, nonce.encode(), hashlib.sha256).hexdigest()


def check_request() -> None:
    """:raises Forbidden: unless editing is on, the token is right and the CSRF field matches the cookie."""
    if not editing_enabled():
        raise Forbidden("editing is off on this server (set POLICYGRAPH_EDIT_TOKEN to turn it on)")
    token = request.form.get("token", "")
    if not hmac.compare_digest(token.encode(), current_app.config["EDIT_TOKEN"].encode()):
        raise Forbidden("the edit token is wrong")
    nonce, field = request.cookies.get(COOKIE, ""), request.form.get("csrf", "")
    if not nonce or not hmac.compare_digest(field, _sign(nonce)):
        raise Forbidden("the form has expired or did not come from this site; reload the page and try again")


@edits.post("/curate")
def curate():
    """Confirm or reject a suggested link, then go back to the commitment's page."""
    check_request()
    decision = request.form.get("decision", "")
    later, earlier = request.form.get("later", ""), request.form.get("earlier", "")
    by = request.form.get("by", "").strip() or "web curator"
    if decision not in ("confirm", "reject"):
        raise BadInput(f"decision must be confirm or reject, not {decision[:20]!r}")
    curate_data_dir(Path(current_app.config["DATA_DIR"]), new_decision(decision, later, earlier, by[:100]))
    return redirect(url_for("pages.commitment", commitment_id=later), code=303)
