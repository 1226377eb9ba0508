"""Errors of the JSON API, always in one shape: {"error": code, "message": English, "message_th":
Thai}, the code and its words from the message catalogue — whoever raised them (the API, the
records' and intake's coded errors, Flask's HTTP errors, the sign-in and role guards)."""

from __future__ import annotations

from flask import current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from thai import messages
from thai.errors import CodedError
from webui.api.blueprint import bp

ERROR_STATUS = {"forbidden": 403, "bad_transition": 409, "internal": 500}


class ApiError(CodedError):
    """A request the API refuses, with its HTTP status; the code is the catalogue's."""

    def __init__(self, status: int, code: str, **params: object) -> None:
        super().__init__(code, **params)
        self.status = status


def error_body(code: str, params: dict | None = None, message: str | None = None) -> dict:
    """{"error", "message", "message_th"}: the English keeps the JSON names of fields and statuses
    (a program reads them), the Thai names them in words."""
    params = params or {}
    return {
        "error": code,
        "message": message or messages.text(code, "en", params),
        # an unknown field is named as it was sent: the caller must find that key
        "message_th": messages.text(code, "th", params, in_words=code != "unknown_field"),
    }


def error_response(status: int, code: str, message: str | None = None, **params):
    return jsonify(error_body(code, params, message)), status


@bp.errorhandler(ApiError)
def _api_error(e: ApiError):
    return error_response(e.status, e.code, **e.params)


@bp.errorhandler(CodedError)  # ComplaintError, UserError, IntakeError: the records' and intake's codes
def _records_error(e: CodedError):
    status = ERROR_STATUS.get(e.code, 400)
    if e.code == "not_found":  # the complaint or document itself; a missing reference is a bad request
        status = 404 if e.params.get("field") in ("complaint", "document") else 400
    body = error_body(e.code, e.params)
    problems = getattr(e, "problems", [])
    if len(problems) > 1:  # a request checked as a whole: the first is the error, all are listed
        body["errors"] = [error_body(p.code, p.params) for p in problems]
    return jsonify(body), status


@bp.errorhandler(HTTPException)
def _http_error(e: HTTPException):
    return _http_body(e.code or 500, e.name)


@bp.errorhandler(500)
def _server_error(e):
    return _http_body(500, "internal server error")


def _http_body(status: int, detail: str):
    if status == 413:
        limit = current_app.extensions["archive"].settings.max_file_mb
        return error_response(413, "too_big_file", limit=limit)
    if status == 404:  # an unknown path, or an id the app's pages answer 404 for
        return error_response(404, "not_found", field="resource")
    code = {
        400: "bad_request",
        401: "unauthorized",
        403: "forbidden",
        405: "method_not_allowed",
        410: "gone",
        500: "server_error",
    }.get(status, "http_error")
    return error_response(status, code, detail=detail)


@bp.after_app_request
def _api_errors_as_json(resp):
    """Every error under /api/ in the one JSON shape, whoever answered it: the sign-in and role
    guards ({"error": "<sentence>"}) and the app's HTML error pages (unknown paths and ids)."""
    if resp.status_code < 400 or not request.path.startswith("/api/"):
        return resp
    if resp.is_json:
        body = resp.get_json(silent=True)
        if not (isinstance(body, dict) and set(body) == {"error"} and isinstance(body["error"], str)):
            return resp
        sentence = body["error"]
        if resp.status_code == 401:
            code = "invalid_token" if "token" in sentence else "unauthorized"
        elif resp.status_code == 403:
            code = "password_change_required" if "password" in sentence else "forbidden"
        else:
            code = {400: "bad_request", 404: "not_found"}.get(resp.status_code, "http_error")
        new, _ = error_response(resp.status_code, code, message=sentence, detail=sentence, field="resource")
    elif resp.mimetype == "text/html":
        new, _ = _http_body(resp.status_code, resp.status)
    else:
        return resp
    new.status_code = resp.status_code
    for k, v in resp.headers.items():
        if k.lower() in ("www-authenticate", "allow", "retry-after"):
            new.headers[k] = v
    return new
