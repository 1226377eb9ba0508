"""Administration: users (add, disable, reset a first password) and complaint categories.
Every change is written to the audit log. A first password is shown once, in the answer to the
request that made it, and never stored anywhere but as its hash."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from sqlalchemy import func, select

from records import audit, sessions
from records import users as accounts
from records.models import MAX_ID, Category, Role, User
from thai.citizen_id import masked
from webui.auth import roles
from webui.i18n import error_text, translate

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.url_value_preprocessor
def _no_huge_ids(_endpoint, values):
    if values and any(v > MAX_ID for k, v in values.items() if k.endswith("_id")):
        abort(404)


def _archive():
    return current_app.extensions["archive"]


def _render_users(issued: dict | None = None, problem: str = "", values: dict | None = None, status: int = 200):
    with _archive().db.session() as s:
        rows = list(s.scalars(select(User).order_by(User.id)))
        for u in rows:
            _ = u.area  # loaded for the template
        return render_template(
            "admin_users.html",
            rows=rows,
            roles=list(Role),
            issued=issued,
            problem=problem,
            values=values or {},
            masked=masked,
        ), status


@bp.before_request
def _ministry_only():
    """Users and categories are managed by administrators at the ministry (central) only: an
    administrator of a province or district could otherwise hand out central accounts."""
    from flask import abort, g

    from records.models import AreaKind

    if g.user is None or g.user.role.value != "admin" or g.user.area.kind != AreaKind.central:
        abort(403)


@bp.get("/users")
@roles("admin")
def users():
    return _render_users()


@bp.post("/users")
@roles("admin")
def add_user():
    values = {k: request.form.get(k, "").strip() for k in ("citizen_id", "name", "role", "area_code")}
    if not values["name"]:
        return _render_users(
            problem=error_text("required", {"field": translate("adm_name")}), values=values, status=422
        )
    try:
        user, password = accounts.add_user(
            _archive().db,
            values["citizen_id"],
            values["name"],
            values["role"],
            values["area_code"],
            audited=True,
            by=g.user,
        )
    except accounts.UserError as e:
        return _render_users(problem=error_text(e.code, e.params, str(e)), values=values, status=422)
    return _render_users(
        issued={"user_id": user.id, "name": user.name, "citizen_id": masked(user.citizen_id), "password": password}
    )


def _user_or_404(s, user_id: int) -> User:
    user = s.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.post("/users/<int:user_id>/active")
@roles("admin")
def set_active(user_id: int):
    active = request.form.get("active") == "1"
    if user_id == g.user.id and not active:
        flash(translate("adm_not_yourself"), "error")
        return redirect(url_for("admin.users"))
    with _archive().db.session() as s:
        user = _user_or_404(s, user_id)
        before = user.active
        user.active = active
        audit.record(
            _archive().db,
            "change",
            "user",
            user.id,
            user=g.user,
            before={"active": before},
            after={"active": active},
            session=s,
        )
        s.commit()
        name = user.name
    if not active:  # a disabled user's sessions end now, not at their next request
        sessions.end_others(_archive().db, user_id)
    flash(translate("adm_enabled" if active else "adm_disabled", name=name), "ok")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/reset")
@roles("admin")
def reset(user_id: int):
    with _archive().db.session() as s:
        user = _user_or_404(s, user_id)
        name, cid = user.name, user.citizen_id
    password = accounts.reset_password(_archive().db, user_id, audited=True, by=g.user)
    return _render_users(issued={"user_id": user_id, "name": name, "citizen_id": masked(cid), "password": password})


# --- categories --------------------------------------------------------------------------------


def _render_categories(problem: str = "", status: int = 200):
    with _archive().db.session() as s:
        rows = list(s.scalars(select(Category).order_by(Category.position, Category.id)))
        tops = [c for c in rows if c.parent_id is None]
        subs = {c.id: [x for x in rows if x.parent_id == c.id] for c in tops}
        return render_template("admin_categories.html", tops=tops, subs=subs, problem=problem), status


@bp.get("/categories")
@roles("admin")
def categories():
    return _render_categories()


def _cat_values(c: Category) -> dict:
    return {
        "name_th": c.name_th,
        "name_en": c.name_en,
        "parent_id": c.parent_id,
        "needs_detail": c.needs_detail,
        "active": c.active,
    }


@bp.post("/categories")
@roles("admin")
def add_category():
    f = request.form
    name_th = f.get("name_th", "").strip()
    if not name_th:
        return _render_categories(error_text("required", {"field": translate("adm_name_th")}), 422)
    with _archive().db.session() as s:
        parent = None
        if f.get("parent_id"):
            pid = f.get("parent_id", type=int) or 0
            parent = s.get(Category, pid) if 0 < pid <= MAX_ID else None
            if parent is None or parent.parent_id is not None:
                return _render_categories(error_text("bad_value", {"field": translate("adm_parent")}), 422)
        siblings = Category.parent_id == parent.id if parent else Category.parent_id.is_(None)
        position = (s.scalar(select(func.max(Category.position)).where(siblings)) or 0) + 1
        cat = Category(
            name_th=name_th[:128],
            name_en=f.get("name_en", "").strip()[:128],
            parent_id=parent.id if parent else None,
            needs_detail=f.get("needs_detail") == "1",
            active=True,
            position=position,
        )
        s.add(cat)
        s.flush()
        audit.record(_archive().db, "create", "category", cat.id, user=g.user, after=_cat_values(cat), session=s)
        s.commit()
    flash(translate("adm_category_added", name=name_th), "ok")
    return redirect(url_for("admin.categories"))


@bp.post("/categories/<int:category_id>")
@roles("admin")
def change_category(category_id: int):
    f = request.form
    with _archive().db.session() as s:
        cat = s.get(Category, category_id)
        if cat is None:
            abort(404)
        before = _cat_values(cat)
        if "name_th" in f:
            name_th = f.get("name_th", "").strip()
            if not name_th:
                return _render_categories(error_text("required", {"field": translate("adm_name_th")}), 422)
            cat.name_th, cat.name_en = name_th[:128], f.get("name_en", "").strip()[:128]
            cat.needs_detail = f.get("needs_detail") == "1"
        if "active" in f:
            cat.active = f.get("active") == "1"
        after = _cat_values(cat)
        changed = {k: v for k, v in after.items() if before[k] != v}
        if changed:
            audit.record(
                _archive().db,
                "change",
                "category",
                cat.id,
                user=g.user,
                before={k: before[k] for k in changed},
                after=changed,
                session=s,
            )
        s.commit()
    flash(translate("adm_category_saved"), "ok")
    return redirect(url_for("admin.categories"))
