"""Complaint pages: the list with filters, one complaint (documents, timeline, actions), and
intake at the counter. (Being built: see the issue.)"""
from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("complaints", __name__, url_prefix="/complaints")


@bp.get("")
def index():
    return render_template("error.html", message="…")
