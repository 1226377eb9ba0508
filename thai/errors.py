"""The one base of every error a user may read: a code from the message catalogue
(`thai.messages`) and the parameters that fill it, so the same error can be said in Thai at the
counter, in English in a log, and as {"error", "message", "message_th"} by the API. Each layer
derives its own (intake, OCR, users, complaints, scanning, the card reader, the API)."""

from __future__ import annotations

from thai import messages


class CodedError(Exception):
    """`code` names the message; `params` (strings) fill it; str(error) is the English."""

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params: dict[str, str] = {k: str(v) for k, v in params.items()}
        super().__init__(self.message("en"))

    def message(self, lang: str = "en", *, in_words: bool = False) -> str:
        """The error in Thai ("th") or English."""
        return messages.text(self.code, lang, self.params, in_words=in_words)
