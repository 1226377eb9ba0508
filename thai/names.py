"""People's names as Thai documents write them: the personal titles (คำนำหน้านาม) that open a name,
and a written name split into title, first name and last name."""

from __future__ import annotations

import re

# the titles a name may open with: everyday, for children, and the ranks petitions are signed with
TITLES = ("ว่าที่ร้อยตรี", "นางสาว", "เด็กชาย", "เด็กหญิง", "พ.ต.ท.", "จ.ส.ต.", "ร.ต.", "ด.ช.", "ด.ญ.", "นาย", "นาง")
# a regular expression for any title (the longest first, so นางสาว is never read as นาง + สาว…)
TITLE_PATTERN = "|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True))


def split_name(name: str) -> tuple[str, str, str]:
    """Title, first name, last name of a name as a petition writes it (นายสมศักดิ์ ทองประเสริฐ)."""
    name = re.sub(r"\s+", " ", name or "").strip()
    title = next((t for t in sorted(TITLES, key=len, reverse=True) if name.startswith(t)), "")
    rest = name[len(title) :].strip().split(" ")
    first = rest[0] if rest else ""
    last = " ".join(rest[1:])
    return title, first, last
