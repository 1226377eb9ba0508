"""Thai citizen ID numbers: checksum, parsing typed input (Thai or Arabic digits, dashes,
spaces) and masking for listings and logs (1-1017-xxxxx-03-0), also inside any text.

Who sees a full citizen ID: the counter clerk reading the card or typing the number, and the
document page of a petition (its fields are checked against the paper there) for the roles that
work the record in its area — and the case file, which is the complete legal record an auditor
takes (its complaint.json holds the ID so the file stands on its own). Everywhere else — lists,
search results, the JSON API, the audit log and the server's logs — an ID is masked."""

from __future__ import annotations

import re

from thai.digits import fold_digits


def checksum_ok(digits: str) -> bool:
    """Digit 13 = (11 − Σ dᵢ·(13−i) mod 11) mod 10."""
    if len(digits) != 13 or not digits.isdigit():
        return False
    total = sum(int(d) * (13 - i) for i, d in enumerate(digits[:12]))
    return (11 - total % 11) % 10 == int(digits[12])


def parse(value: str) -> str:
    """'๑-๑๐๑๗-๐๐๑๑๐-๐๓-๐' or '1 1017 00110 03 0' → 13 Arabic digits; ValueError when it is not
    a valid citizen ID (wrong length or checksum)."""
    digits = re.sub(r"[\s\-]", "", fold_digits(value or ""))
    if not re.fullmatch(r"\d{13}", digits):
        raise ValueError("a citizen ID has 13 digits")
    if not checksum_ok(digits):
        raise ValueError("the citizen ID's check digit is wrong")
    return digits


def formatted(digits: str) -> str:
    return f"{digits[0]}-{digits[1:5]}-{digits[5:10]}-{digits[10:12]}-{digits[12]}"


def masked(digits: str | None) -> str:
    """1-1017-xxxxx-03-0: enough to tell people apart at the counter, not enough to misuse."""
    if not digits or len(digits) != 13:
        return "x-xxxx-xxxxx-xx-x"
    return f"{digits[0]}-{digits[1:5]}-xxxxx-{digits[10:12]}-{digits[12]}"


# 13 digits, Thai or Arabic, maybe split by spaces, dashes or a snippet's <mark> tags
_ID_RUN = re.compile(r"\d(?:(?:[\s\-]|</?mark>){0,3}\d){12}")


def mask_in_text(text: str) -> str:
    """Every 13-digit run in a text (a citizen ID, as a document, a search snippet or a logged
    URL may hold one) with its digits 6–10 hidden, the rest as it was."""

    def hide(m: re.Match[str]) -> str:
        out, n = [], 0
        for part in re.split(r"(</?mark>)", m.group(0)):
            if part.startswith("<"):
                out.append(part)
                continue
            for ch in part:
                if ch.isdigit():
                    n += 1
                    out.append("x" if 6 <= n <= 10 else ch)
                else:
                    out.append(ch)
        return "".join(out)

    return _ID_RUN.sub(hide, text)
