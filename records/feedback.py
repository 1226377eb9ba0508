"""The citizen's word on a closed complaint (the follow-up page, no sign-in: the tracking number
and the last four phone digits are the key): 1–5 stars and a comment, and a request to reopen it
with a reason. Each is kept (the latest counts), reaches the centre on the complaint's page, and
counts in the area's satisfaction figures. Audited without a user."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from records import audit
from records.models import Complaint, ComplaintFeedback, ComplaintStatus
from thai.digits import digits_only, fold_digits
from thai.errors import CodedError

if TYPE_CHECKING:
    from records.db import Database
    from records.models import User


class FeedbackError(CodedError):
    """Feedback refused: `code` says why."""


def _complaint(s: Session, tracking_no: str, phone_last4: str) -> Complaint | None:
    digits = digits_only(phone_last4)
    no = "".join(fold_digits(tracking_no or "").split()).upper()
    c = s.scalar(select(Complaint).where(Complaint.tracking_no == no))
    if c is None or len(digits) != 4 or not c.phone.endswith(digits):
        return None
    return c


def give(
    db: Database,
    tracking_no: str,
    phone_last4: str,
    stars: int | None,
    comment: str = "",
    reopen: bool = False,
    reason: str = "",
) -> ComplaintFeedback:
    """Keep what the citizen said of their closed complaint. FeedbackError: not found (the same
    answer whichever part of the key is wrong), not closed, stars out of 1–5, a reopen request
    without its reason, or nothing said at all."""
    with db.session() as s:
        c = _complaint(s, tracking_no, phone_last4)
        if c is None:
            raise FeedbackError("follow_up_not_found")
        if c.status != ComplaintStatus.closed:
            raise FeedbackError("feedback_not_closed")
        if stars is not None and not 1 <= stars <= 5:
            raise FeedbackError("bad_value", field="stars")
        reason, comment = (reason or "").strip()[:4000], (comment or "").strip()[:4000]
        if reopen and not reason:
            raise FeedbackError("reason_required")
        if stars is None and not comment and not reopen:
            raise FeedbackError("feedback_empty")
        fb = ComplaintFeedback(complaint_id=c.id, stars=stars, comment=comment, reopen_requested=reopen, reason=reason)
        s.add(fb)
        s.flush()
        after = {"stars": stars, "reopen_requested": reopen}
        audit.record(db, "feedback", "complaint", c.tracking_no, user=None, after=after, session=s)
        s.commit()
        s.refresh(fb)
        s.expunge(fb)
        return fb


def of_complaint(session: Session, complaint_id: int) -> list[ComplaintFeedback]:
    """What was said of this complaint, the latest first."""
    q = select(ComplaintFeedback).where(ComplaintFeedback.complaint_id == complaint_id)
    return list(session.scalars(q.order_by(ComplaintFeedback.id.desc())))


@dataclasses.dataclass
class Satisfaction:
    rated: int  # complaints with stars
    average: float | None
    reopen_requests: int


def satisfaction(session: Session, user: User) -> Satisfaction:
    """The satisfaction of the complaints this user may see: each complaint's latest stars."""
    from records.complaints import visible

    latest = (
        select(func.max(ComplaintFeedback.id))
        .where(ComplaintFeedback.stars.isnot(None))
        .group_by(ComplaintFeedback.complaint_id)
    )
    mine = select(Complaint.id).where(visible(session, user))
    rated, avg = session.execute(
        select(func.count(ComplaintFeedback.id), func.avg(ComplaintFeedback.stars)).where(
            ComplaintFeedback.id.in_(latest), ComplaintFeedback.complaint_id.in_(mine)
        )
    ).one()
    reopens = session.scalar(
        select(func.count(func.distinct(ComplaintFeedback.complaint_id))).where(
            ComplaintFeedback.reopen_requested.is_(True), ComplaintFeedback.complaint_id.in_(mine)
        )
    )
    return Satisfaction(int(rated or 0), round(float(avg), 2) if avg is not None else None, int(reopens or 0))
