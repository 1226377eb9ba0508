"""The Flask app factory: configuration passed in, one blueprint per area, no import-time globals."""

from __future__ import annotations

import logging
import secrets
from typing import Any

from flask import Flask, g, jsonify, render_template, request
from sqlalchemy.exc import OperationalError
from werkzeug.routing import IntegerConverter, Map

from records import disk
from records.areas import centre_name
from records.home import Archive, mask_logs
from records.models import MAX_ID
from thai import messages
from thai.dates import thai_time
from webui import i18n
from webui.api.errors import error_body
from webui.permissions import can
from webui.worker import IngestWorker


def _secret_key(archive) -> str:
    if archive.settings.secret_key:
        return archive.settings.secret_key
    path = archive.settings.home / "secret_key"
    if not path.is_file():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


class RowNumber(IntegerConverter):
    """`<int:…>` in every route: a whole number up to the largest row id. A larger one matches
    no route, so it is a 404 like any id that names nothing — never an overflow in the driver."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def _refused_upload(code: str, params: dict[str, object]) -> dict[str, object]:
    """An upload refused before any file was read, in the shape the upload page shows per file."""
    return {
        "documents": [
            {
                "filename": None,
                "state": "rejected",
                "error_code": code,
                "error": messages.text(code, "en", params),
                "error_display": i18n.error_text(code, params),
            }
        ]
    }


def create_app(archive=None, start_worker: bool = True) -> Flask:
    archive = archive or Archive()
    mask_logs(logging.getLogger("werkzeug"))  # the access log: search URLs carry what was typed
    app = Flask(__name__)
    app.url_map.converters["int"] = RowNumber
    app.config.update(
        SECRET_KEY=_secret_key(archive),
        MAX_CONTENT_LENGTH=archive.settings.max_file_mb << 20,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="damrong_session",
        JSON_AS_ASCII=False,
    )
    app.extensions["archive"] = archive
    if archive.settings.proxy_hops > 0:  # behind nginx (deploy/): the client's address, not the proxy's
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = archive.settings.proxy_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]
    # with processing = "workers" this process reads nothing: `damrong worker` processes do
    worker = IngestWorker(archive)
    app.extensions["ingest_worker"] = worker
    if start_worker and archive.settings.processing == "web":
        worker.start()
    from exchange.courier import Courier

    courier = Courier(archive)  # the outbox to other installations (`damrong peer`)
    app.extensions["peer_courier"] = courier
    if start_worker and archive.settings.processing == "web" and archive.settings.peer_courier:
        courier.start()

    from webui import auth
    from webui.admin_views import bp as admin_bp
    from webui.api import bp as api_bp
    from webui.audit_views import bp as audit_bp
    from webui.case_file_views import bp as case_file_bp
    from webui.centres import bp as centres_bp
    from webui.complaint_views import bp as complaints_bp
    from webui.counter import bp as counter_bp
    from webui.documents import bp as documents_bp
    from webui.duplicate_views import bp as duplicates_bp
    from webui.field_views import bp as field_bp
    from webui.map_views import bp as map_bp
    from webui.news_views import bp as news_bp
    from webui.open311_views import bp as open311_bp
    from webui.peer_api import bp as peer_bp
    from webui.peer_views import bp as peer_views_bp
    from webui.public_views import bp as public_bp
    from webui.receipt_views import bp as receipt_bp
    from webui.report_views import bp as reports_bp
    from webui.scan_views import ScanProcesses
    from webui.scan_views import bp as scan_bp
    from webui.scan_views import station_bp as scan_station_bp
    from webui.search_views import bp as search_bp
    from webui.stats_views import bp as stats_bp

    app.extensions["scan_processes"] = ScanProcesses(archive)
    auth.init_app(app, archive)
    app.register_blueprint(documents_bp)
    app.register_blueprint(complaints_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(public_bp)
    app.register_blueprint(case_file_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(centres_bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(counter_bp)
    app.register_blueprint(scan_bp)
    app.register_blueprint(scan_station_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(duplicates_bp)
    app.register_blueprint(receipt_bp)
    app.register_blueprint(news_bp)
    app.register_blueprint(field_bp)
    app.register_blueprint(stats_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(map_bp)
    auth.csrf.exempt(peer_bp)
    app.register_blueprint(peer_bp)
    app.register_blueprint(peer_views_bp)
    app.register_blueprint(open311_bp)

    # the icon browsers ask for by this name, whatever the page links (base.html links the SVG)
    app.add_url_rule("/favicon.ico", "favicon", lambda: app.send_static_file("favicon.svg"))

    @app.before_request
    def _lang():
        i18n.current_language(archive.settings.default_language)

    @app.after_request
    def _remember_lang(resp):
        if request.args.get("lang") in i18n.LANGUAGES:
            resp.set_cookie("lang", request.args["lang"], max_age=3600 * 24 * 365, samesite="Lax")
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        return resp

    @app.context_processor
    def _helpers():
        return {
            "t": i18n.translate,
            "lang": g.get("lang", "th"),
            "user": g.get("user"),
            "be_date": i18n.format_date,
            "lang_url": i18n.lang_url,
            "error_text": i18n.error_text,
            "can": can,
            "centre_name": centre_name,
        }

    @app.errorhandler(403)
    def _forbidden(e):
        return render_template("error.html", message=i18n.translate("forbidden_page")), 403

    @app.errorhandler(404)
    @app.errorhandler(410)
    def _not_found(e):
        return render_template("error.html", message=i18n.translate("page_not_found")), e.code

    @app.errorhandler(OSError)
    @app.errorhandler(OperationalError)
    def _disk_full(e):
        """A full disk says so, in the reader's language (507), and nothing stored is touched;
        any other such error is a server error as before."""
        if not disk.is_full(e, archive.settings.home):
            raise e
        text = i18n.error_text("disk_full", {})
        if request.path.startswith("/api/") or request.path == "/upload" or request.is_json:
            body = {**error_body("disk_full"), "error_display": text, **_refused_upload("disk_full", {})}
            return jsonify(body), 507
        return render_template("error.html", message=text), 507

    @app.errorhandler(413)
    def _too_large(e):
        return jsonify(_refused_upload("too_big_file", {"limit": archive.settings.max_file_mb})), 413

    app.jinja_env.filters["be_date"] = i18n.format_date
    app.jinja_env.filters["local_time"] = lambda d: thai_time(d) if d else d
    return app
