"""Why a file cannot be taken in or processed: `IntakeError`, its code one of the catalogue's
[intake] messages (thai/messages.toml), so the UI can say it in the reader's language."""

from __future__ import annotations

from thai.errors import CodedError


class IntakeError(CodedError):
    """A file cannot be taken in or processed; `code` and `params` say why in any language."""
