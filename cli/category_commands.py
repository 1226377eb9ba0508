"""`damrong categories`: the category suggestions learned from confirmed complaints
(records.category_model) — train the model now, or show what it was trained on."""

from __future__ import annotations

import click

from cli.app import emit, main, open_archive


@main.group()
def categories() -> None:
    """The category suggestions learned from the archive's confirmed complaints."""


@categories.command("train")
@click.option("--json", "as_json", is_flag=True)
def categories_train(as_json: bool) -> None:
    """Train the suggestion model on every confirmed complaint now (the worker also does it as
    complaints come in); with too few, the keyword rules go on suggesting alone."""
    from records import category_model

    a = open_archive()
    done = category_model.train(a)
    out = done or {
        "trained_on": 0,
        "confirmed": category_model.confirmed_count(a.db),
        "needed": a.settings.category_min_train,
    }
    if as_json:
        emit(out)
    elif done:
        click.echo(f"trained on {done['trained_on']} complaints, {done['categories']} categories")
    else:
        click.echo(f"not trained: {out['confirmed']} confirmed complaints, {out['needed']} needed")


@categories.command("status")
@click.option("--json", "as_json", is_flag=True)
def categories_status(as_json: bool) -> None:
    """What the model was trained on, and how many complaints are confirmed now."""
    from records import category_model

    a = open_archive()
    m = category_model.meta(a.settings.home)
    out = {"model": m, "confirmed": category_model.confirmed_count(a.db)}
    if as_json:
        emit(out)
    else:
        click.echo(f"model: {m['trained_on']} complaints, {m['trained_at']}" if m else "model: none (keywords only)")
        click.echo(f"confirmed now: {out['confirmed']}")
