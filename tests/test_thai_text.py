"""Thai normalisation of OCR output and PDF text layers; dates and digits as people type them."""

import datetime as dt

import pytest

from ingest.fields import extract_fields
from thai.citizen_id import checksum_ok
from thai.dates import parse_date, thai_date
from thai.digits import fold_digits
from thai.text import normalize_thai


def test_sara_am_and_mark_order():
    assert normalize_thai("คําร้อง ศูนย์ดํารงธรรม") == "คำร้อง ศูนย์ดำรงธรรม"
    assert normalize_thai("น้ํา") == "น้ำ"
    assert normalize_thai("เร่ือง") == "เรื่อง"  # tone stored before the upper vowel


def test_marks_are_never_stripped():
    assert normalize_thai("ข้าว") != normalize_thai("ข่าว")
    assert normalize_thai("ข้าว") == "ข้าว"


def test_stray_spaces_inside_words_removed():
    assert normalize_thai("เร ื่อง") == "เรื่อง"
    assert normalize_thai("ขอ ความ") == "ขอ ความ"  # a space between words stays


def test_digits_fold():
    assert fold_digits("มท ๐๒๐๕.๓/ว ๔๗๗๗") == "มท 0205.3/ว 4777"


def test_dates_buddhist_era():
    assert thai_date("๑๙ ธันวาคม ๒๕๖๓") == dt.date(2020, 12, 19)
    assert thai_date("วันที่ 15 เดือน สิงหาคม พ.ศ. 2568") == dt.date(2025, 8, 15)
    assert parse_date("๑๕/๐๘/๒๕๖๘") == dt.date(2025, 8, 15)
    assert parse_date("2025-08-15") == dt.date(2025, 8, 15)
    with pytest.raises(ValueError):
        parse_date("15 August")


def test_citizen_id_checksum():
    assert checksum_ok("3174218096795")
    assert not checksum_ok("3174218096794")


def test_letter_fields():
    text = "ที่ มท ๐๒๐๕.๓/ว ๔๗๗๗\nกรมการปกครอง\n๑๙ ธันวาคม ๒๕๖๓\nเรื่อง การเร่งรัด\nเรียน ผู้ว่าราชการจังหวัด\n"
    f = extract_fields(text)
    assert f["kind"] == "official_letter"
    assert f["doc_no"] == "มท 0205.3/ว 4777"
    assert f["date"] == "2020-12-19"
    assert f["subject"] == "การเร่งรัด"
    assert f["to"] == "ผู้ว่าราชการจังหวัด"


def test_ocr_split_words_rejoined_but_phrase_spaces_kept():
    from thai.text import join_split_words

    assert join_split_words("ขอความช่วย เหลือ") == "ขอความช่วยเหลือ"
    assert join_split_words("เรื่อง ขอความช่วยเหลือ") == "เรื่อง ขอความช่วยเหลือ"
    assert join_split_words("ข้าพเจ้า นายสมศักดิ์") == "ข้าพเจ้า นายสมศักดิ์"


def test_citizen_id_checksum_repairs_one_confusable_digit():
    from ingest.fields import repair_citizen_id

    assert repair_citizen_id("3174218096795") == "3174218096795"
    assert repair_citizen_id("4679160110855") == "4679160110845"  # ๔ read as ๕
    assert repair_citizen_id("3174218096755") is None  # several repairs are valid: no guess
    assert extract_fields("ข้าพเจ้า นายก ข เลขประจำตัวประชาชน 4-6791-60110-85-5")["citizen_id"] == "4679160110845"


def test_letter_number_line_gets_its_thi_back():
    assert normalize_thai("N สน ๑๐๒๑.๔/ว ๗๓๒๓") == "ที่ สน ๑๐๒๑.๔/ว ๗๓๒๓"
    assert normalize_thai("ที มห 8143.2/ว 3690") == "ที่ มห 8143.2/ว 3690"
    assert normalize_thai("New York 123") == "New York 123"  # an English line is left alone
    assert extract_fields(normalize_thai("NY มห ๘๑๔๓.๒/ว ๓๖๙๐\nเรื่อง ทดสอบ"))["doc_no"] == "มห 8143.2/ว 3690"


def test_petition_subject_read_past_ocr_damage_and_category_suggested():
    f = extract_fields("เรือง ขอให้ไกล่เกลี่ยหนี้สินนอกระบบ\nข้าพเจ้า นายสมชาย ใจดี")
    assert f["subject"] == "ขอให้ไกล่เกลี่ยหนี้สินนอกระบบ" and f["category"] == "หนี้นอกระบบ"
    assert extract_fields("เรื่อง ขอขยายเขตไฟฟ้าและประปา\nข้าพเจ้า นาย ก ข")["category"] == "สาธารณูปโภค"
    assert extract_fields("เรื่อง ขอความช่วยเหลือด้านการดำรงชีพ\nข้าพเจ้า นาย ก ข")["category"] == "เรื่องอื่นๆ"
