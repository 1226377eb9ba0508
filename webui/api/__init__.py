"""The JSON API (/api/v1) for other systems and scripts: complaints (intake, changes, status
transitions, their events), the documents filed under them, downloads and full-text search.

Who is asking: a bearer token (`Authorization: Bearer <token>`, records.users.create_token) or
the browser session with its CSRF token (webui.auth). Every read and write goes through
records.complaints, so the area rules are those of the pages: a district sees its own records,
a province its districts' too, the ministry everything. A record that exists but is not the
caller's to see answers exactly like one that does not exist (404). Errors are always JSON:
{"error": code, "message": English, "message_th": Thai}. No response carries a full citizen ID.

The description of every endpoint: webui/openapi.yaml, served at /api/v1/openapi.yaml (to
signed-in callers, like the rest of /api/)."""

from __future__ import annotations

from webui.api import complaints, documents, errors  # noqa: F401  (each adds its routes or handlers to bp)
from webui.api.blueprint import bp

__all__ = ["bp"]
