"""Snippets: a window of a document's text around the best match of a query, HTML-escaped, the
matches in <mark> (whichever index found the document)."""

from __future__ import annotations

import html
import re

from search.thai_analyzer import query_key, squash

SNIPPET_CONTEXT = 70


def snippet(text: str, query: str, context: int = SNIPPET_CONTEXT) -> str:
    """A window of the text around the best match, HTML-escaped, hits in <mark>."""
    s, offs = squash(text)
    keys = [query_key(query)] + [query_key(p) for p in query.split()]
    spans: list[tuple[int, int]] = []
    for k in dict.fromkeys(k for k in keys if k):
        for m in re.finditer(re.escape(k), s):
            spans.append((offs[m.start()], offs[m.end() - 1] + 1))
        if spans and k == keys[0]:
            break
    if not spans and keys[0] and s:
        from rapidfuzz import fuzz

        al = fuzz.partial_ratio_alignment(keys[0], s)
        if al and al.score >= 60 and al.dest_end > al.dest_start:
            spans.append((offs[al.dest_start], offs[al.dest_end - 1] + 1))
    if not spans:
        head = text[: context * 2]
        return html.escape(re.sub(r"\s+", " ", head)) + ("…" if len(text) > len(head) else "")
    spans.sort()
    first = spans[0]
    start = max(0, first[0] - context)
    end = min(len(text), first[1] + context)
    ws = text.rfind(" ", start - 15, first[0]) if start > 0 else -1
    start = ws + 1 if ws > 0 and ws > start - 15 else start
    out: list[str] = ["…" if start > 0 else ""]
    pos = start
    for a, b in spans:
        if a < pos or b > end:
            continue
        out.append(html.escape(text[pos:a]))
        out.append("<mark>" + html.escape(text[a:b]) + "</mark>")
        pos = b
    out.append(html.escape(text[pos:end]))
    out.append("…" if end < len(text) else "")
    return re.sub(r"\s+", " ", "".join(out)).strip()
