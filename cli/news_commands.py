"""`damrong news`: activity news of a centre for the public site (records.news), acting as a user."""

from __future__ import annotations

from pathlib import Path

import click

from cli.app import acting_user, emit, fail, main, open_archive


@main.group()
def news() -> None:
    """Activity news on the public site (/news)."""


@news.command("add")
@click.option("--as", "as_cid", required=True, help="citizen ID of the staff member adding it (their centre's news)")
@click.option("--title", required=True, help="the activity's name")
@click.option("--date", "held_on", required=True, help="when it took place (DD/MM/YYYY BE, or YYYY-MM-DD)")
@click.option("--time", "held_at", default="", help="the time it began (HH:MM)")
@click.option("--place", default="")
@click.option("--leader", default="", help="who led it")
@click.option("--participants", default="", help="who took part")
@click.option("--body", default="", help="what was done")
@click.option("--photo", "photos", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--keep-location", is_flag=True, help="keep where the photos were taken (removed otherwise)")
@click.option("--json", "as_json", is_flag=True)
def news_add(as_cid: str, photos: tuple[Path, ...], keep_location: bool, as_json: bool, **fields) -> None:
    """Publish an activity with its photos (resized, their location removed)."""
    from records import news as news_records

    a = open_archive()
    user = acting_user(a, as_cid, as_json)
    try:
        item = news_records.add(a, user, photos=[p.read_bytes() for p in photos], keep_location=keep_location, **fields)
    except news_records.NewsError as e:
        fail(e.code, e.params, as_json)
    out = {
        "id": item.id,
        "title": item.title,
        "date": item.held_on.isoformat(),
        "time": item.held_at,
        "place": item.place,
        "area": item.area.code,
        "photos": [
            {"id": p.id, "sha256": p.sha256, "width": p.width, "height": p.height, "location_kept": p.location_kept}
            for p in item.photos
        ],
        "url": f"/news#news-{item.id}",
    }
    if as_json:
        emit(out)
    else:
        click.echo(f"news {item.id} published: {item.title} ({len(item.photos)} photos)")
