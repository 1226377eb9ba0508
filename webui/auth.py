"""Signing in and who the request is: the login page (citizen ID + password, throttled per
account and per address), the forced change of an administrator-issued first password,
sign-out, bearer tokens for the JSON API, CSRF protection for every form and script request made
with the session cookie, and the `roles` guard for endpoints some roles may not use.

A browser session lives on the server (records.sessions): the signed cookie carries only its
random token, so signing out ends it there, and a copy of the cookie replayed afterwards is
refused; a password change ends the user's other sessions."""

from __future__ import annotations

import datetime as dt
import functools

from flask import Blueprint, abort, current_app, g, jsonify, redirect, render_template, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFError, CSRFProtect

from records import audit, sessions, users
from records.throttle import RateLimit
from thai import messages
from webui.i18n import error_text

bp = Blueprint("auth", __name__)
csrf = CSRFProtect()
PUBLIC = {
    "auth.login",
    "static",
    "favicon",
    "public.follow_up",
    "public.follow_up_json",
    "public.feedback",
    "news.index",
    "news.photo",
    "field.manifest",
    "field.service_worker",
}
LOGIN_ATTEMPTS_PER_ADDRESS = (20, 600)  # per 10 minutes
# paths whose views check who is asking themselves: other installations, each request signed
# (webui.peer_api), and the Open311 api_key (webui.open311_views). The session is not read for
# them, so no CSRF token is asked, and they never redirect to sign-in.
OWN_KEY_PATHS = ("/peer/v1/", "/open311/")


class SessionInterface(SecureCookieSessionInterface):
    """Session cookies marked Secure whenever the request came over HTTPS (or always, with
    `secure_cookies`), HttpOnly and SameSite=Lax always."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def init_app(app, archive) -> None:
    app.session_interface = SessionInterface()
    app.config.update(
        WTF_CSRF_CHECK_DEFAULT=False,
        WTF_CSRF_TIME_LIMIT=None,
        SESSION_COOKIE_SECURE=archive.settings.secure_cookies,
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=10),
    )
    csrf.init_app(app)
    app.extensions["login_limiter"] = RateLimit(archive.db, "sign_in", *LOGIN_ATTEMPTS_PER_ADDRESS)
    app.before_request(_identify)
    app.register_error_handler(CSRFError, _csrf_failed)
    app.register_blueprint(bp)


def _archive():
    return current_app.extensions["archive"]


def is_api() -> bool:
    return request.path.startswith("/api/")


def _identify():
    """Who is asking: a bearer token (API) or the session cookie. Everything but the login page,
    the public follow-up and static files needs one; session requests that change anything need
    the CSRF token too. Paths with a key of their own (OWN_KEY_PATHS) are left to their views."""
    g.user, g.via_token = None, False
    if request.path.startswith(OWN_KEY_PATHS):
        return None
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        g.user, g.via_token = users.user_for_token(_archive().db, header[7:]), True
        if g.user is None:
            return jsonify({"error": "invalid or revoked token"}), 401
    elif session.get("sid"):
        uid = sessions.user_id_of(_archive().db, session["sid"])
        user = users.get(_archive().db, uid) if uid is not None else None
        if user is not None and user.active and session.get("pw") == user.password_hash[-16:]:
            g.user = user
        else:
            session.clear()
    if request.endpoint in PUBLIC:
        if not g.via_token and request.method not in ("GET", "HEAD", "OPTIONS"):
            csrf.protect()
        return None
    if g.user is None:
        if is_api():
            return jsonify({"error": "sign-in required"}), 401
        return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))
    if not g.via_token and request.method not in ("GET", "HEAD", "OPTIONS"):
        csrf.protect()
    if g.user.must_change_password and request.endpoint not in ("auth.password", "auth.logout"):
        if is_api():
            return jsonify({"error": "the first password must be changed before using the API"}), 403
        return redirect(url_for("auth.password"))
    return None


def wants_json() -> bool:
    """The API, or a page's script asking for JSON (it shows `error_display`)."""
    return is_api() or request.is_json or request.accept_mimetypes.best == "application/json"


def refusal(code: str) -> dict[str, str]:
    """A refusal as the API says it ({"error", "message", "message_th"}) and as a page's script
    shows it (`error_display`, in the reader's language): never a bare code or HTTP status."""
    return {
        "error": code,
        "message": messages.text(code, "en"),
        "message_th": messages.text(code, "th"),
        "error_display": error_text(code, {}),
    }


def _csrf_failed(e):
    if wants_json():
        return jsonify(refusal("csrf_failed")), 400
    return render_template("error.html", message=error_text("csrf_failed", {})), 400


def roles(*allowed: str):
    """Only these roles may use the endpoint (auditors read, never change). The set is noted on
    the view, so the templates' `can(endpoint)` (webui.permissions) shows its links to them alone."""

    def wrap(view):
        @functools.wraps(view)
        def inner(*a, **kw):
            if g.user is None or g.user.role.value not in allowed:
                if wants_json():
                    return jsonify(refusal("forbidden")), 403
                abort(403)
            return view(*a, **kw)

        inner.allowed_roles = allowed  # type: ignore[attr-defined]  # read by webui.permissions.can
        return inner

    return wrap


def _safe_next(target: str | None) -> str:
    """Only a path on this site: no scheme, no host, no backslash or control character (which
    browsers may read as `//host`)."""
    from urllib.parse import urlsplit

    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not any(ch == "\\" or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target)
    ):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("documents.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    problem = ""
    if request.method == "POST":
        limiter: RateLimit = current_app.extensions["login_limiter"]
        address = request.remote_addr or "?"
        if limiter.blocked(address):  # failed sign-ins only: a busy office behind one address signs in freely
            problem = error_text("login_locked", {"minutes": LOGIN_ATTEMPTS_PER_ADDRESS[1] // 60})
        else:
            try:
                user = users.authenticate(
                    _archive().db, request.form.get("username", ""), request.form.get("password", "")
                )
            except users.UserError as e:
                problem = error_text(e.code, e.params)
                limiter.allow(address)  # counts this failure
                audit.record(_archive().db, "login_failed", "user", "", user=None)
            else:
                session.clear()
                session.permanent = True
                session["sid"] = sessions.start(_archive().db, user.id, current_app.permanent_session_lifetime)
                session["pw"] = user.password_hash[-16:]
                audit.record(_archive().db, "login", "user", user.id, user=user)
                return redirect(_safe_next(request.form.get("next")))
    return render_template("login.html", problem=problem, next=request.values.get("next", "")), (
        401 if problem else 200
    )


@bp.post("/logout")
def logout():
    if session.get("sid"):
        sessions.end(_archive().db, session["sid"])
        audit.record(_archive().db, "logout", "user", g.user.id if g.user else "", user=g.user)
    session.clear()
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
def password():
    problem = ""
    if request.method == "POST":
        new = request.form.get("new_password", "")
        if new != request.form.get("confirm_password", ""):
            problem = error_text("password_mismatch", {})
        else:
            try:
                users.change_password(_archive().db, g.user.id, request.form.get("old_password", ""), new)
            except users.UserError as e:
                problem = error_text(e.code, e.params)
            else:
                user = users.get(_archive().db, g.user.id)
                if user is None:  # removed this very moment
                    abort(403)
                session["pw"] = user.password_hash[-16:]
                sessions.end_others(_archive().db, user.id, keep=session.get("sid"))
                audit.record(_archive().db, "change_password", "user", user.id, user=user)
                return redirect(url_for("documents.index"))
    return render_template("password.html", problem=problem), (400 if problem else 200)
