"""Category suggestions: the keyword cold start knows the whole category list, and once officers
have confirmed enough complaints a classifier learned from them suggests the category of a new
petition — retrained as confirmations come in, and never in the way when its file is damaged."""

from __future__ import annotations

import json
import random
import subprocess
import sys

import pytest
from sqlalchemy import select

from ingest.fields.petition import suggest_category
from records import category_model, complaints
from records.models import Category, Document
from tests.conftest import make_user
from tests.test_ingest_search import ingest_all
from tests.thai_pages import render_lines

# what each (sub) category's complaints say, in words the keyword rules mostly do not know
WORDING = {
    "ถนน": (
        ["ผิวทางลาดยาง", "ทางหลวงชนบท", "สะพานข้ามลำห้วย", "ทางเข้าหมู่บ้าน", "ซอยสาธารณะ"],
        ["เป็นหลุมลึก", "ทรุดตัว", "แตกร้าวเป็นทางยาว", "มีน้ำขังจนสัญจรไม่ได้"],
    ),
    "ไฟฟ้า": (
        ["เสาพาดสายหน้าบ้าน", "หม้อแปลงประจำหมู่บ้าน", "โคมส่องสว่างทางเดิน", "สายเมนที่พาดผ่านสวน"],
        ["ดับบ่อยครั้ง", "ระเบิดมีประกายไฟ", "หย่อนต่ำเกือบถึงพื้น", "แรงดันตก"],
    ),
    "การพนัน": (
        ["วงไพ่ในบ้านร้าง", "การตีไก่หลังวัด", "เว็บแทงบอลออนไลน์", "การเล่นไฮโลในงานศพ"],
        ["เปิดทุกคืน", "ชักชวนเยาวชน", "มีผู้มีอิทธิพลคุ้มครอง", "เสียงเอะอะจนดึก"],
    ),
    "ยาเสพติด": (
        ["กลุ่มวัยรุ่นมั่วสุมเสพ", "บ้านที่ขายยาเม็ดสีส้ม", "รถที่ขนส่งยาเม็ด", "ผู้ค้าแอบแฝงเป็นร้านชำ"],
        ["ทุกคืนวันศุกร์", "ใกล้โรงเรียน", "ในหอพักย่านตลาด", "ริมทางรถไฟ"],
    ),
    "เสียงดัง": (
        ["ร้านคาราโอเกะ", "โรงงานปั๊มโลหะ", "งานเลี้ยงเปิดเครื่องขยายเสียง", "อู่ซ่อมรถเคาะพ่นสี"],
        ["จนถึงตีสอง", "ทั้งวันทั้งคืน", "ทำให้เด็กนอนไม่หลับ", "รบกวนผู้ป่วยติดเตียง"],
    ),
    "หนี้นอกระบบ": (
        ["แก๊งปล่อยเงินรายวัน", "เจ้าหนี้นอกระบบ", "ผู้ให้กู้ทวงถามด้วยความรุนแรง", "การยึดบัตรเอทีเอ็ม"],
        ["คิดร้อยละยี่สิบต่อเดือน", "ข่มขู่ครอบครัว", "ยึดโฉนดค้ำประกัน", "โทรตามทุกวัน"],
    ),
}
OPENERS = ["ขอให้ตรวจสอบ", "ขอความช่วยเหลือเรื่อง", "ร้องเรียนกรณี", "แจ้งปัญหา", "ขอให้แก้ไขปัญหา"]


def _subjects(rng: random.Random, n: int) -> list[tuple[str, str]]:
    out = []
    names = list(WORDING)
    for i in range(n):
        name = names[i % len(names)]
        what, how = WORDING[name]
        out.append((f"{rng.choice(OPENERS)}{rng.choice(what)}{rng.choice(how)}", name))
    return out


def _confirm(archive, officer, subjects: list[tuple[str, str]]) -> None:
    with archive.db.session() as s:
        cats = {c.name_th: c for c in s.scalars(select(Category))}
    for subject, name in subjects:
        c = cats[name]
        complaints.create(
            archive.db,
            officer,
            {
                "category_id": c.parent_id or c.id,
                "subcategory_id": c.id if c.parent_id else None,
                "phone": "0812345678",
                "summary": subject,
                "incident_province": "ขอนแก่น",
            },
        )


@pytest.mark.parametrize(
    "subject, name",
    [
        ("แจ้งเบาะแสการลักลอบเล่นการพนัน", "การพนัน"),
        ("แจ้งเบาะแสแหล่งค้ายาบ้าในชุมชน", "ยาเสพติด"),
        ("ขอให้ตรวจสอบการลักลอบตัดไม้ในป่าชุมชน", "ทรัพยากรธรรมชาติและสิ่งแวดล้อม"),
        ("ร้องเรียนร้านค้าขายอาหารหมดอายุ", "คุ้มครองผู้บริโภค"),
        ("ขอรับเงินช่วยเหลือผู้ประสบอุทกภัย", "เงินช่วยเหลือ"),
        ("ขอให้ตรวจสอบนายก อบต. ละเลยไม่ปฏิบัติหน้าที่", "ละเลยต่อหน้าที่"),
        ("ขอให้ไกล่เกลี่ยหนี้สินนอกระบบ", "หนี้นอกระบบ"),
        ("ขอให้ซ่อมแซมถนนภายในหมู่บ้าน", "สาธารณูปโภค"),
        ("ขอความช่วยเหลือด้านการดำรงชีพ", "เรื่องอื่นๆ"),
    ],
)
def test_the_keyword_cold_start_knows_the_whole_category_list(archive, subject, name):
    assert suggest_category(subject)[0] == name
    with archive.db.session() as s:  # a name the complaint form finds (a sub category: with its parent)
        assert s.scalar(select(Category).where(Category.name_th == name, Category.active.is_(True)))


def test_learned_from_confirmed_complaints_and_retrained_as_more_come_in(archive, tmp_path):
    officer = make_user(archive, "officer", "KKN-01", seed=41)
    rng = random.Random(5)
    home = archive.settings.home
    _confirm(archive, officer, _subjects(rng, 20))
    assert category_model.maybe_retrain(archive) is None  # too few: the keywords alone
    assert category_model.suggest(home, "ร้องเรียนกรณีร้านคาราโอเกะจนถึงตีสอง") is None
    _confirm(archive, officer, _subjects(rng, 80))
    trained = category_model.maybe_retrain(archive)
    assert trained and trained["trained_on"] == 100 and trained["categories"] == len(WORDING)

    held_out = _subjects(random.Random(99), 60)
    right = sum(category_model.suggest(home, s).name == name for s, name in held_out)
    assert right / len(held_out) >= 0.9, right

    assert category_model.maybe_retrain(archive) is None  # nothing new since
    _confirm(archive, officer, _subjects(rng, archive.settings.category_retrain_every))
    again = category_model.maybe_retrain(archive)
    assert again and again["trained_on"] == 100 + archive.settings.category_retrain_every

    # a new petition, read from its scan, gets the learned category where the keywords know none
    subject = "ขอให้ตรวจสอบวงไพ่ในบ้านร้างเปิดทุกคืน"
    assert suggest_category(subject)[0] == "เรื่องอื่นๆ"
    page = tmp_path / "petition.png"
    render_lines([f"เรื่อง {subject}", "ข้าพเจ้า นายสมชาย ใจดี โทรศัพท์ 081-234-5678"]).save(page, dpi=(300, 300))
    ingest_all(archive, page)
    with archive.db.session() as s:
        doc = s.scalar(select(Document))
        assert doc.fields["category"] == "การพนัน"
        assert 0.5 <= doc.field_confidence["category"] < 1.0


def test_a_damaged_model_file_is_no_model(archive):
    path = archive.settings.home / category_model.MODEL_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not a model")
    assert category_model.suggest(archive.settings.home, "ขอให้ซ่อมแซมถนน") is None
    values, conf = {"subject": "ขอให้ซ่อมแซมถนน", "category": "สาธารณูปโภค"}, {"category": 0.8}
    category_model.apply(archive.settings.home, values, conf, 0.5)
    assert values["category"] == "สาธารณูปโภค" and conf["category"] == 0.8


def test_the_categories_command(archive, tmp_path):
    env = {"DAMRONG_HOME": str(archive.settings.home), "PATH": "/usr/bin:/bin"}
    run = [sys.executable, "-m", "cli", "categories"]
    r = subprocess.run([*run, "train", "--json"], capture_output=True, text=True, env=env, check=True)
    assert json.loads(r.stdout) == {"trained_on": 0, "confirmed": 0, "needed": archive.settings.category_min_train}
    officer = make_user(archive, "officer", "KKN-01", seed=42)
    _confirm(archive, officer, _subjects(random.Random(7), 36))
    r = subprocess.run([*run, "train", "--json"], capture_output=True, text=True, env=env, check=True)
    out = json.loads(r.stdout)
    assert out["trained_on"] == 36 and out["categories"] == len(WORDING) and 0 < out["accuracy_cv"] <= 1
    r = subprocess.run([*run, "status", "--json"], capture_output=True, text=True, env=env, check=True)
    assert json.loads(r.stdout)["model"]["trained_on"] == 36
