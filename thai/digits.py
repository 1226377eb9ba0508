"""Numbers as people type and documents print them: Thai digits (๐–๙) and Arabic digits alike,
with or without dashes, spaces and dots between them."""

from __future__ import annotations

from thai.characters import ARABIC_DIGITS, THAI_DIGITS

FOLD_DIGITS = str.maketrans(THAI_DIGITS, ARABIC_DIGITS)


def fold_digits(text: str) -> str:
    """๑๒๓ → 123."""
    return text.translate(FOLD_DIGITS)


def digits_only(value: object) -> str:
    """The digits of a typed number, Thai or Arabic, without dashes or spaces: '๐๘๑-๒๓๔' → '081234'."""
    return "".join(c for c in fold_digits(str(value or "")) if c.isdigit())


def masked_phone(phone: str) -> str:
    """A phone number as the audit log keeps it: its last four digits (the follow-up key) hidden."""
    return (phone[:-4] + "xxxx") if len(phone) > 4 else phone
