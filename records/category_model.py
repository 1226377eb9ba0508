"""Categories learned from the archive: a classifier trained on what people confirmed — every
saved complaint's category (its sub category where it has one), chosen or checked by the clerk on
the form — over the Thai words of its summary (scikit-learn: TF-IDF of nlpo3 words and word pairs,
logistic regression), like paperless-ngx's learned matching. It suggests the category of a newly
read petition from its subject; until enough complaints are confirmed (`category_min_train`),
the keyword rules of `ingest.fields.petition` do it alone (the cold start).

The model is a file in the home (HOME/models/category.joblib, written whole or not at all) with
what it was trained on; `maybe_retrain` trains it again once `category_retrain_every` more
complaints are confirmed (the background worker asks every few minutes; `damrong categories
train` at once). A model file that is missing, unreadable or from another scikit-learn is no
model: the keywords answer."""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from records.models import Category, Complaint
from thai.words import segment

if TYPE_CHECKING:
    from records.db import Database
    from records.home import Archive

log = logging.getLogger(__name__)
MODEL_FILE = Path("models") / "category.joblib"
MAX_TRAIN = 50_000  # the newest confirmed complaints a model learns from (seconds to train, not hours)
_cache: dict[Path, tuple[float, dict[str, Any] | None]] = {}
_lock = threading.Lock()


def thai_words(text: str) -> list[str]:
    """The features' words: nlpo3's segmentation, spaces and punctuation dropped."""
    return [w for w in segment(text) if w.strip() and any(c.isalnum() for c in w)]


@dataclass
class Suggestion:
    name: str  # the category's Thai name (a sub category's where it is one), as the field holds it
    probability: float


_LABEL = func.coalesce(Complaint.subcategory_id, Complaint.category_id)  # its sub category, else its category


def _training_set(db: Database) -> tuple[list[str], list[int]]:
    """The newest MAX_TRAIN confirmed complaints' summaries and categories."""
    with db.session() as s:
        rows = s.execute(
            select(Complaint.summary, _LABEL)
            .join(Category, Category.id == _LABEL)
            .where(Category.active.is_(True), Complaint.summary != "")
            .order_by(Complaint.id.desc())
            .limit(MAX_TRAIN)
        ).all()
    return [r[0] for r in rows], [int(r[1]) for r in rows]


def confirmed_count(db: Database) -> int:
    """How many complaints are confirmed (counted in the database: the worker asks often)."""
    with db.session() as s:
        n = s.scalar(
            select(func.count(Complaint.id))
            .join(Category, Category.id == _LABEL)
            .where(Category.active.is_(True), Complaint.summary != "")
        )
    return int(n or 0)


def train(archive: Archive) -> dict[str, Any] | None:
    """Train on every confirmed complaint and store the model; None (and no model written) when
    there are too few to learn from (fewer than `category_min_train`, or one category only)."""
    import joblib
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_score
    from sklearn.pipeline import make_pipeline

    texts, labels = _training_set(archive.db)
    kinds = set(labels)
    if len(texts) < archive.settings.category_min_train or len(kinds) < 2:
        return None
    with archive.db.session() as s:
        names = {c.id: c.name_th for c in s.scalars(select(Category).where(Category.id.in_(kinds)))}

    def model() -> Any:
        return make_pipeline(
            TfidfVectorizer(
                tokenizer=thai_words, token_pattern=None, lowercase=False, ngram_range=(1, 2), sublinear_tf=True
            ),
            LogisticRegression(max_iter=2000, C=10.0),
        )

    smallest = min(labels.count(k) for k in kinds)
    folds = min(5, smallest)
    accuracy = float(cross_val_score(model(), texts, labels, cv=folds).mean()) if folds >= 2 else None
    fitted = model().fit(texts, labels)
    meta = {
        "trained_on": len(texts),
        "confirmed": confirmed_count(archive.db),
        "categories": len(kinds),
        "accuracy_cv": round(accuracy, 3) if accuracy is not None else None,
        "trained_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    path = archive.settings.home / MODEL_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    joblib.dump({"model": fitted, "names": names, "meta": meta}, tmp)
    os.replace(tmp, path)
    log.info("category model trained on %d complaints, %d categories", len(texts), len(kinds))
    return meta


def _load(home: Path) -> dict[str, Any] | None:
    path = home / MODEL_FILE
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return None
    with _lock:
        cached = _cache.get(path)
        if cached and cached[0] == mtime:
            return cached[1]
        try:
            import joblib

            loaded: dict[str, Any] | None = joblib.load(path)
            if not isinstance(loaded, dict) or "model" not in loaded:
                raise ValueError("not a category model")
        except Exception as e:  # a damaged or foreign file is no model
            log.warning("category model %s unusable (%s): keywords only", path, type(e).__name__)
            loaded = None
        _cache[path] = (mtime, loaded)
        return loaded


def meta(home: Path) -> dict[str, Any] | None:
    loaded = _load(home)
    return dict(loaded["meta"]) if loaded else None


def suggest(home: Path, subject: str) -> Suggestion | None:
    """The learned category of a subject, with the model's probability; None without a model."""
    loaded = _load(home)
    if loaded is None or not subject.strip():
        return None
    probs = loaded["model"].predict_proba([subject])[0]
    best = int(probs.argmax())
    label = int(loaded["model"].classes_[best])
    name = loaded["names"].get(label)
    return Suggestion(name, round(float(probs[best]), 3)) if name else None


def maybe_retrain(archive: Archive) -> dict[str, Any] | None:
    """Train again when `category_retrain_every` complaints were confirmed since the last model
    (or there is none and enough are); the model's figures when it trained, else None."""
    current = meta(archive.settings.home)
    done = current.get("confirmed", current["trained_on"]) if current else 0
    n = confirmed_count(archive.db)
    due = archive.settings.category_retrain_every if current else 0
    if n < archive.settings.category_min_train or n - done < max(1, due):
        return None
    return train(archive)


def apply(home: Path, values: dict[str, Any], confidence: dict[str, Any], min_probability: float) -> None:
    """Put the learned category into a petition's suggested fields (in place) where the model is
    at least `min_probability` sure of it; the keyword rules' suggestion stays otherwise."""
    subject = str(values.get("subject") or "")
    if "category" not in values or not subject:
        return
    learned = suggest(home, subject)
    if learned and learned.probability >= min_probability:
        values["category"], confidence["category"] = learned.name, min(0.99, learned.probability)
