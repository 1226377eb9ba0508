"""Production serving: `damrong serve` runs the app under gunicorn (several processes, threads in
each) on Linux, or waitress (threads only) where gunicorn does not run (a Windows counter PC).
The app is made in each gunicorn process after the fork, so no process shares another's
database connections; sessions, rate limits and station card reads are in the database, so it
does not matter which process answers. Access-log lines have citizen IDs masked."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Flask

from records.home import MaskCitizenIds

log = logging.getLogger(__name__)


def _gunicorn_available() -> bool:
    try:
        import gunicorn.app.base  # noqa: F401  (needs fcntl: not on Windows)
    except ImportError:
        return False
    return True


def serve(make_app: Callable[[], Flask], host: str, port: int, processes: int, threads: int) -> None:
    """Serve until SIGINT or SIGTERM (gunicorn: a graceful stop, requests under way finished)."""
    if _gunicorn_available() and processes > 0:
        _serve_gunicorn(make_app, host, port, processes, threads)
    else:
        import waitress

        waitress.serve(make_app(), host=host, port=port, threads=max(1, threads))


def _serve_gunicorn(make_app: Callable[[], Flask], host: str, port: int, processes: int, threads: int) -> None:
    from gunicorn.app.base import BaseApplication
    from gunicorn.glogging import Logger

    class MaskedLogger(Logger):  # type: ignore[misc]  # gunicorn ships no type information
        def setup(self, cfg: Any) -> None:
            super().setup(cfg)
            for target in (self.access_log, self.error_log):
                target.addFilter(MaskCitizenIds())

    class App(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in {
                "bind": f"{host}:{port}",
                "workers": processes,
                "threads": threads,
                "worker_class": "gthread",
                "timeout": 120,
                "graceful_timeout": 30,
                "accesslog": "-",
                "logger_class": MaskedLogger,
                "forwarded_allow_ips": "127.0.0.1,::1",  # nginx on this machine (deploy/) may say https
                "proc_name": "damrong-web",
                "control_socket_disable": True,  # nothing here uses gunicornc; no socket in the home folder
            }.items():
                self.cfg.set(key, value)

        def load(self) -> Flask:
            return make_app()

    App().run()
