"""Possible duplicates of a complaint, across every centre in the country: the same citizen ID, the
same respondent (compared by thai.respondents.respondent_key), a near-duplicate summary or
petition text, the same category at the same place (sub-district, or within 250 m) within a
window. Each candidate comes with its score (0–1) and the reasons.

Near-duplicate text: a MinHash sketch (datasketch) of the text's character trigrams (spaces and
punctuation out, digits folded: OCR typos and Thai's unspaced words cost a few trigrams, not
whole words), stored as 16 bands of 4 values (complaint_text_bands, one indexed key each);
complaints sharing a band are the candidates, and their real trigram Jaccard similarity is
computed from their text. Every lookup is an indexed equality or range, so a check stays fast
with millions of complaints.

What a user may learn of a candidate outside their area is its metadata only (tracking number,
centre, status, date, category, the reasons): never its summary, names or documents
(`Candidate.as_json`). The caller audits lookups that reach outside the user's area."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import math
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, delete, select
from sqlalchemy.orm import Session

from records import areas, audit
from records.models import Complainant, Complaint, ComplaintTextBand
from thai.citizen_id import masked
from thai.dates import thai_time
from thai.digits import fold_digits
from thai.respondents import respondent_key

if TYPE_CHECKING:
    from records.db import Database
    from records.models import User

NUM_PERM, BANDS = 64, 16  # 16 bands of 4: a pair with trigram Jaccard 0.5 shares a band 64% of the time
ROWS = NUM_PERM // BANDS
SEED = 20261202
MIN_TEXT_SIMILARITY = 0.3  # below this, two summaries are not "the same story"
PLACE_WINDOW_DAYS = 90
NEAR_M = 250
PER_SOURCE = 200  # candidates taken from each lookup (newest first)
MIN_SCORE = 0.6  # similar text alone needs a similarity of 0.64 (bench/duplicates.py)
WEIGHTS = {
    "same_citizen_id": 0.45,
    "same_respondent": 0.35,
    "similar_text": 0.75,  # times the similarity, scaled to 1 at 0.8
    "same_place": 0.25,  # a sub-district is a large place: with something else only
    "nearby": 0.6,  # one spot (FixMyStreet's nearby-report check): shown by itself
}
_NOT_TEXT = re.compile(r"[\s\W_]+", re.UNICODE)


def trigrams(text: str) -> set[str]:
    """The character trigrams of a text as compared (spaces, punctuation out; digits folded)."""
    squashed = _NOT_TEXT.sub("", fold_digits(text or "").lower())
    return {squashed[i : i + 3] for i in range(len(squashed) - 2)}


def similarity(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def band_keys(text: str) -> list[int]:
    """The text's sketch as BANDS signed 63-bit keys ([] for a text too short to compare)."""
    from datasketch import MinHash

    grams = trigrams(text)
    if len(grams) < 4:
        return []
    m = MinHash(num_perm=NUM_PERM, seed=SEED)
    m.update_batch([g.encode("utf-8") for g in grams])
    values = m.hashvalues
    keys = []
    for b in range(BANDS):
        digest = hashlib.blake2b(repr((b, *values[b * ROWS : (b + 1) * ROWS].tolist())).encode(), digest_size=8)
        keys.append(int.from_bytes(digest.digest(), "big", signed=True) >> 1)
    return keys


def remember(session: Session, c: Complaint) -> None:
    """Keep what the check looks a complaint up by (its respondent key and text sketch) current:
    called whenever a complaint is created or its respondent or summary changes."""
    c.respondent_key = respondent_key(c.respondent_name or "")
    if c.id is None:
        session.flush()
    session.execute(delete(ComplaintTextBand).where(ComplaintTextBand.complaint_id == c.id))
    keys = band_keys(c.summary or "")
    session.add_all(ComplaintTextBand(complaint_id=c.id, band=i, band_key=k) for i, k in enumerate(keys))


@dataclasses.dataclass
class Probe:
    """What is known of a complaint being taken in (or of one already held: `of_complaint`)."""

    citizen_id: str = ""
    respondent_name: str = ""
    summary: str = ""
    category_id: int | None = None
    province: str = ""
    district: str = ""
    subdistrict: str = ""
    latitude: float | None = None
    longitude: float | None = None
    at: dt.datetime | None = None
    exclude_id: int | None = None

    @classmethod
    def of_complaint(cls, c: Complaint) -> Probe:
        return cls(
            citizen_id=c.complainant.citizen_id if c.complainant else "",
            respondent_name=c.respondent_name,
            summary=c.summary,
            category_id=c.category_id,
            province=c.incident_province,
            district=c.incident_district,
            subdistrict=c.incident_subdistrict,
            latitude=c.latitude,
            longitude=c.longitude,
            at=c.received_at,
            exclude_id=c.id,
        )


@dataclasses.dataclass
class Candidate:
    complaint: Complaint
    score: float
    reasons: list[str]
    similarity: float
    visible: bool  # within the user's area: its content may be shown

    def as_json(self, lang: str = "th") -> dict[str, Any]:
        c = self.complaint
        out: dict[str, Any] = {
            "tracking_no": c.tracking_no,
            "area": c.area.code,
            "area_name": c.area.name_th if lang == "th" else (c.area.name_en or c.area.name_th),
            "status": c.status.value,
            "received_at": c.received_at.isoformat(),
            "received_on": thai_time(c.received_at).date().isoformat(),  # the day in Thailand
            "category": c.category.name_th if lang == "th" else (c.category.name_en or c.category.name_th),
            "score": round(self.score, 3),
            "reasons": self.reasons,
            "visible": self.visible,
        }
        if self.visible:
            out["complaint_id"] = c.id
            out["summary"] = c.summary
            out["complainant"] = (
                {"name": c.complainant.name_th, "citizen_id": masked(c.complainant.citizen_id)}
                if c.complainant
                else None
            )
        return out


def _newest(q: Select[int], n: int = PER_SOURCE) -> Select[int]:
    return q.order_by(Complaint.received_at.desc()).limit(n)


def _ids(session: Session, q: Select[int]) -> list[int]:
    return list(session.scalars(_newest(q)))


def _near(lat: float, lon: float, c: Complaint) -> bool:
    if c.latitude is None or c.longitude is None:
        return False
    dy = (c.latitude - lat) * 111_320
    dx = (c.longitude - lon) * 111_320 * math.cos(math.radians(lat))
    return math.hypot(dx, dy) <= NEAR_M


def _score(reasons: Iterable[str], sim: float) -> float:
    miss = 1.0
    for r in reasons:
        w = WEIGHTS[r] * (min(1.0, sim / 0.8) if r == "similar_text" else 1.0)
        miss *= 1 - w
    return 1 - miss


def check(session: Session, user: User, probe: Probe, limit: int = 5, min_score: float = MIN_SCORE) -> list[Candidate]:
    """The possible duplicates of `probe` anywhere in the country, best first (at most `limit`)."""
    found: dict[int, set[str]] = {}

    def add(ids: Iterable[int], reason: str) -> None:
        for i in ids:
            if i != probe.exclude_id:
                found.setdefault(i, set()).add(reason)

    cid = re.sub(r"\D", "", fold_digits(probe.citizen_id or ""))
    if len(cid) == 13:
        people = select(Complainant.id).where(Complainant.citizen_id == cid)
        add(_ids(session, select(Complaint.id).where(Complaint.complainant_id.in_(people))), "same_citizen_id")
    key = respondent_key(probe.respondent_name)
    if key:
        add(_ids(session, select(Complaint.id).where(Complaint.respondent_key == key)), "same_respondent")
    grams = trigrams(probe.summary)
    keys = band_keys(probe.summary)
    text_ids: list[int] = []
    if keys:
        sharing = select(ComplaintTextBand.complaint_id).where(ComplaintTextBand.band_key.in_(keys)).distinct()
        text_ids = list(session.scalars(sharing.limit(PER_SOURCE * 2)))
    at = probe.at or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    window = (at - dt.timedelta(days=PLACE_WINDOW_DAYS), at + dt.timedelta(days=PLACE_WINDOW_DAYS))
    if probe.category_id and probe.province and (probe.subdistrict or probe.district):
        q = select(Complaint.id).where(
            Complaint.category_id == probe.category_id,
            Complaint.incident_province == probe.province,
            Complaint.received_at.between(*window),
        )
        q = q.where(Complaint.incident_district == probe.district) if probe.district else q
        q = q.where(Complaint.incident_subdistrict == probe.subdistrict) if probe.subdistrict else q
        add(_ids(session, q), "same_place")
    near_ids: list[int] = []
    if probe.category_id and probe.latitude is not None and probe.longitude is not None:
        dlat = NEAR_M / 111_320
        dlon = dlat / max(0.01, math.cos(math.radians(probe.latitude)))
        near_ids = _ids(
            session,
            select(Complaint.id).where(
                Complaint.latitude.between(probe.latitude - dlat, probe.latitude + dlat),
                Complaint.longitude.between(probe.longitude - dlon, probe.longitude + dlon),
                Complaint.category_id == probe.category_id,
                Complaint.received_at.between(*window),
            ),
        )
    ids = set(found) | set(text_ids) | set(near_ids)
    if probe.exclude_id is not None:
        ids.discard(probe.exclude_id)
    if not ids:
        return []
    rows = {c.id: c for c in session.scalars(select(Complaint).where(Complaint.id.in_(ids)))}
    visible = areas.visible_area_ids(session, user.area)
    out = []
    for i, c in rows.items():
        reasons = found.get(i, set())
        sim = similarity(grams, trigrams(c.summary)) if grams else 0.0
        if sim >= MIN_TEXT_SIMILARITY:
            reasons.add("similar_text")
        lat, lon = probe.latitude, probe.longitude
        if i in near_ids and lat is not None and lon is not None and _near(lat, lon, c):
            reasons.add("nearby")
        if not reasons:
            continue
        score = _score(reasons, sim)
        if score < min_score:
            continue
        ordered = [r for r in WEIGHTS if r in reasons]
        out.append(Candidate(c, score, ordered, round(sim, 3), visible is None or c.area_id in visible))
    out.sort(key=lambda x: (-x.score, -x.complaint.received_at.timestamp()))
    return out[:limit]


def outside(candidates: list[Candidate]) -> list[str]:
    """The tracking numbers of candidates outside the user's area (what the audit log notes)."""
    return [c.complaint.tracking_no for c in candidates if not c.visible]


def lookup(
    db: Database, user: User, probe: Probe, limit: int = 5, lang: str = "th", about: str = ""
) -> list[dict[str, Any]]:
    """check() as the callers show it (Candidate.as_json); a lookup that shows anything of
    complaints outside the user's area is audited, with their tracking numbers (`about`: the
    complaint checked, or "" for one being taken in)."""
    with db.session() as s:
        found = check(s, user, probe, limit)
        out = [c.as_json(lang) for c in found]
        seen = outside(found)
    if seen:
        audit.record(db, "duplicate_check", "complaint", about or "intake", user=user, after={"outside": seen})
    return out
