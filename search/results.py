"""What a search returns, whichever index answered it: the hits of one page and the total."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class Hit:
    document_id: int
    filename: str
    score: float
    tier: str
    date: dt.date | None
    snippet: str  # HTML: escaped text with <mark> around the hits
    title: str = ""  # what the document is (search.titles): its number and subject, else the file name


@dataclass
class Results:
    query: str
    total: int
    hits: list[Hit] = field(default_factory=list)
    more: bool = False  # the total was counted up to a cap: there are at least this many
