"""Activity news (`damrong news add`, the staff form, the public /news page): photos resized and
their location removed unless kept on purpose, the date in the Buddhist Era, every centre's news
on one public page beside the follow-up form, refused input storing nothing."""

from __future__ import annotations

import io
import json

from PIL import Image
from sqlalchemy import func, select

from records.models import NewsItem, NewsPhoto
from tests.conftest import client_for, damrong, make_user

GPS = 0x8825


def _phone_photo(path, size=(3000, 2000)) -> None:
    """A photo as a phone saves it: large, with where it was taken."""
    exif = Image.Exif()
    exif[GPS] = {1: "N", 2: (16.0, 26.0, 0.0), 3: "E", 4: (102.0, 50.0, 0.0)}
    exif[0x0110] = "Phone X"
    Image.new("RGB", size, (30, 90, 160)).save(path, "JPEG", exif=exif.tobytes())


def test_news_added_from_the_command_line_is_public_with_its_location_removed(archive, home, app, tmp_path):
    staff = make_user(archive, "counter", "KKN-01", seed=601, name="นางสาวข่าว ดี")
    photo = tmp_path / "IMG_0001.jpg"
    _phone_photo(photo)
    out = damrong(
        "news",
        "add",
        "--as",
        staff.citizen_id,
        "--title",
        "ศูนย์ดำรงธรรมเคลื่อนที่ ตำบลบ้านเป็ด",
        "--place",
        "ศาลาประชาคมหมู่ ๓",
        "--date",
        "๒/๑๒/๒๕๖๙",
        "--time",
        "๙.๓๐",
        "--leader",
        "นายอำเภอเมืองขอนแก่น",
        "--photo",
        str(photo),
        "--json",
        home=home,
    )
    item = json.loads(out.stdout)
    assert (item["date"], item["time"], item["area"]) == ("2026-12-02", "09:30", "KKN-01")
    [p] = item["photos"]
    assert (p["width"], p["height"], p["location_kept"]) == (1600, 1067, False)
    stored = Image.open(archive.store.path_for(p["sha256"]))
    assert stored.format == "JPEG" and not dict(stored.getexif())  # no position, no phone model

    page = app.test_client().get("/news")  # public: no sign-in
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "ศูนย์ดำรงธรรมเคลื่อนที่ ตำบลบ้านเป็ด" in text and "2 ธ.ค. 2569 09:30" in text
    assert "ศาลาประชาคมหมู่ ๓" in text and "ศูนย์ดำรงธรรมอำเภอเมืองขอนแก่น" in text and "นายอำเภอเมืองขอนแก่น" in text
    assert 'action="/follow-up"' in text  # the follow-up form beside the news
    img = app.test_client().get(f"/news/photos/{p['id']}.jpg")  # public too
    assert img.status_code == 200 and img.mimetype == "image/jpeg"
    assert img.data == archive.store.path_for(p["sha256"]).read_bytes()

    kept = json.loads(
        damrong(
            "news",
            "add",
            "--as",
            staff.citizen_id,
            "--title",
            "ประชุม",
            "--date",
            "2026-12-01",
            "--photo",
            str(photo),
            "--keep-location",
            "--json",
            home=home,
        ).stdout
    )
    assert kept["photos"][0]["location_kept"]
    again = Image.open(archive.store.path_for(kept["photos"][0]["sha256"])).getexif()
    assert again.get_ifd(GPS)[1] == "N" and 0x0110 not in dict(again)  # the place only, on purpose


def test_refused_news_stores_nothing(archive, home, app, tmp_path):
    staff = make_user(archive, "counter", "KKN-01", seed=602)
    auditor = make_user(archive, "auditor", "KKN", seed=603)
    not_a_photo = tmp_path / "x.jpg"
    not_a_photo.write_bytes(b"not an image at all")
    good = tmp_path / "ok.jpg"
    _phone_photo(good, (400, 300))
    for who, extra, code in (
        (staff, ["--photo", str(good), "--photo", str(not_a_photo)], "image_damaged"),
        (staff, ["--date", "31/02/2569"], "bad_date"),
        (auditor, [], "forbidden"),
    ):
        args = ["news", "add", "--as", who.citizen_id, "--title", "ทดสอบ", "--json"]
        args += extra if "--date" in extra else ["--date", "1/12/2569", *extra]
        r = damrong(*args, home=home, check=False)
        assert r.returncode == 1 and json.loads(r.stdout)["error"] == code, r.stdout
    with archive.db.session() as s:
        assert s.scalar(select(func.count(NewsItem.id))) == 0 and s.scalar(select(func.count(NewsPhoto.id))) == 0
    assert damrong("verify", home=home).returncode == 0

    # the staff form: photos from the phone's camera, the same rules
    web = client_for(app, archive, staff)
    buf = io.BytesIO(good.read_bytes())
    r = web.post(
        "/news/new",
        data={"title": "อบรมกฎหมาย", "held_on": "01/12/2569", "place": "ที่ว่าการอำเภอ", "photos": (buf, "cam.jpg")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 302 and "/news#news-" in r.headers["Location"]
    assert "อบรมกฎหมาย" in app.test_client().get("/news").get_data(as_text=True)
    assert client_for(app, archive, auditor).get("/news/new").status_code == 403
