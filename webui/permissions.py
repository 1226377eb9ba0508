"""Who may use what: the role sets of the endpoints not every role may use, in one place. The
views take them in their `roles(...)` guard (webui.auth), which notes the set on the view; the
templates ask `can('counter.counter')`, which reads that same set, so a link or a control is
shown exactly to the roles the endpoint lets in."""

from __future__ import annotations

from flask import current_app, g

INTAKE_ROLES = ("counter", "officer", "admin")  # counter, scanning, upload, complainants
WORK_ROLES = ("officer", "admin")  # works complaints
AUDIT_ROLES = ("auditor", "admin")  # reads the audit log
CASE_FILE_ROLES = ("auditor", "admin", "officer")  # exports a case file
STATS_ROLES = ("officer", "auditor", "admin")  # the dashboard and the month-end reports
REPORT_ISSUE_ROLES = ("officer", "admin")  # issues a month-end report
MAP_ROLES = ("counter", "officer", "auditor", "admin")  # the incident map: who reads the complaint list
FIELD_ROLES = ("field",)  # a sub-district field team's phone pages
ADMIN_ROLES = ("admin",)


def allowed_roles(endpoint: str) -> tuple[str, ...] | None:
    """The roles the endpoint's guard lets in; None when it has no guard (every signed-in user)."""
    view = current_app.view_functions.get(endpoint)
    if view is None:
        raise KeyError(f"no endpoint {endpoint!r}")
    return getattr(view, "allowed_roles", None)


def can(endpoint: str) -> bool:
    """May the signed-in user use this endpoint (by role; areas are checked by the view)?"""
    user = g.get("user")
    if user is None:
        return False
    allowed = allowed_roles(endpoint)
    return allowed is None or user.role.value in allowed
