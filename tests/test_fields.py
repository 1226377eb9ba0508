"""Fields read from OCR'd text: an official letter's and a petition's, as OCR really leaves them
(marks damaged, digits unreadable, lines broken in odd places), each with its confidence."""

from __future__ import annotations

from ingest.fields import read_fields
from ingest.fields.numbers import read_citizen_id
from thai.dates import find_dates, thai_date
from thai.digits import fold_digits

LETTER = """สำนักงานจังหวัด
เลขรับ ๖๕๘๑
วันที่ ๑๘ เม.ย. ๒๕๖๒
เวลา ๑๔.๓๐ น.
ด่วนที่สุด
ที่ รป ๕๑๕๗.๕/๒๙๖๖๙        ศาลากลางจังหวัดราชบุรี
ถนนศูนย์ราชการ รบ ๗๐๐๐๐
๑๒ เมษายน ๒๕๖๒
เรื่อง ขอความร่วมมือประชาสัมพันธ์ป้องกันการหลอกลวงทางโทรศัพท์และสื่อสังคม
ออนไลน์
เรียน นายอำเภอ ทุกอำเภอ
อ้างถึง ๑. หนังสือกรมการปกครอง ที่ มท ๐๒๐๕.๓/ว
๔๗๗๗ ลงวันที่ ๒ เมษายน ๒๕๖๒
๒. หนังสือจังหวัดราชบุรี ที่ รบ ๐๐๑๗.๒/๑๒๓ ลงวันที่ ๓ เมษายน ๒๕๖๒
ตามที่กรมการปกครองได้พัฒนาระบบรับเรื่องร้องเรียนร้องทุกข์ของศูนย์ดำรงธรรมอำเภอผ่านระบบออนไลน์
"""


def test_official_letter_by_its_shape():
    f = read_fields(LETTER)
    v, c = f.values, f.confidence
    assert f.kind == "official_letter"
    # the writer's code OCR misread (รป) set right from the agency beside the number
    assert v["doc_no"] == "รบ 5157.5/29669" and c["doc_no"] < 0.9
    assert v["agency"] == "ศาลากลางจังหวัดราชบุรี"
    assert v["date"] == "2019-04-12"  # the letter's own date line, not the stamp's nor a reference's
    assert v["urgency"] == "ด่วนที่สุด"
    assert v["subject"] == "ขอความร่วมมือประชาสัมพันธ์ป้องกันการหลอกลวงทางโทรศัพท์และสื่อสังคมออนไลน์"
    assert v["to"] == "นายอำเภอ ทุกอำเภอ"
    # numbered references, one broken over two lines
    assert v["references"] == ["มท 0205.3/ว 4777", "รบ 0017.2/123"]
    assert v["receipt_no"] == "6581" and v["receipt_date"] == "2019-04-18" and v["receipt_time"] == "14:30"
    assert set(c) == set(v) and all(0 < x <= 1 for x in c.values())


def test_letter_labels_and_months_read_past_ocr_damage():
    text = "ที่ มท ๐๒๐๕.๓/ว ๔๗๗๗\nกรมการปกครอง\n๔ จันวาคม ๒๕๖๔\nเรือง การเร่งรัด\nเรืยน ผู้ว่าราชการจังหวัด\n"
    v = read_fields(text).values
    assert v["date"] == "2021-12-04"  # ธ read as จ: one letter off, still December
    assert v["subject"] == "การเร่งรัด" and v["to"] == "ผู้ว่าราชการจังหวัด"
    assert v["urgency"] == "" and v["references"] == []


def test_a_reference_found_under_a_damaged_label():
    # อ้างถึง read ฮ้าถึง (a fax, a face Tesseract does not know); the letter's หนังสือ follows it
    text = (
        "ที่ ทส ๐๓๑๒.๖/ว ๒๖๗๗๒\nกรมป่าไม้\n๒๐ มิถุนายน ๒๕๖๘\nเรื่อง การให้ความช่วยเหลือ\n"
        "เรียน นายแพทย์สาธารณสุขจังหวัดพังงา\n"
        "ฮ้าถึง หนังสือกระทรวงสาธารณสุข ที่ สธ ๐๑๘๔.๓/๑๖๗๑๕ ลงวันที่\n๒๑ เมษายน ๒๕๖๘\nตามที่กระทรวง\n"
    )
    assert read_fields(text).values["references"] == ["สธ 0184.3/16715"]
    # a line that only happens to hold ถึง and หนังสือ is no reference
    text = text.replace("ฮ้าถึง หนังสือกระทรวง", "ส่งถึงท่านแล้ว หนังสือกระทรวง")
    assert read_fields(text).values["references"] == []
    # nor a body line that wraps to open with มาถึง before หนังสือ
    body = text.replace("ส่งถึงท่านแล้ว หนังสือกระทรวง", "มาถึง หนังสือกระทรวง")
    assert read_fields(body).values["references"] == []
    # numbered references under the damaged label
    text = (
        "ที่ กบ ๐๐๒๓.๙/๑๕๐\nศาลากลางจังหวัดกระบี่\n๑ มีนาคม ๒๕๖๗\nเรื่อง ขอความร่วมมือ\nเรียน นายอำเภอเมืองกระบี่\n"
        "ฮ้าถึง ๑. หนังสือศาลากลางจังหวัดกระบี่ ที่ กบ ๐๒๕๐.๕/๒๓๕๖๗\n"
        "๒. หนังสือศาลากลางจังหวัดกระบี่ ที่ กบ ๐๑๐๒.๔/๑๕๓๐๗\nตามที่\n"
    )
    assert read_fields(text).values["references"] == ["กบ 0250.5/23567", "กบ 0102.4/15307"]
    # อ้าง read อฮ้า (Bai Jamjuree, clean): its ง lost and a ฮ put in
    text = "ที่ ชม ๐๐๒๑/๑๐๗๙๐\n๙ มิถุนายน ๒๕๖๒\nเรื่อง ขอความร่วมมือ\nอฮ้าถึง หนังสือที่ว่าการอำเภอแม่ริม ที่ ชม ๐๐๖๒.๔/ว ๒๐๒๕๒ ลงวันที่\n"
    assert read_fields(text).values["references"] == ["ชม 0062.4/ว 20252"]


def test_a_speck_or_a_lost_mark_loses_no_field():
    # a fax's speck after ด่วนมาก or doubling the dot of พ.ศ.; a mark of a label lost
    letter = read_fields(
        "งานสารบรรณ\nเลขรบ ๑๒๖๐\nวันที่ ๒๕ ก.พ. ๖๑\nด่วนมาก.\nที่ ชม ๐๒๘๑.๑/๕๐๙๗\nที่ว่าการอำเภอหางดง\n๓ มีนาคม ๒๕๖๗\n"
        "เรื่อง ขอเชิญประชุม\n"
    )
    assert letter.values["urgency"] == "ด่วนมาก"
    assert letter.values["receipt_no"] == "1260"  # เลขรับ with its ั lost
    petition = read_fields(
        "เขียนที่ ศูนย์ดำรงธรรม\nวันที่ 27 เดือน มิถุนายน พ.ศ..2564\nเรื่อง ขอความเป็นธรรม\n"
        "เรียน ผู้ว่าราชการจังหวัด\nข้าพเจ้า นายสมชาย ใจดี อายุ 40 ปี\n"
    )
    assert petition.values["date"] == "2021-06-27"
    # the era with a speck read as a mark over it, or its ศ read twice
    for era in ("พ.ศ์.", "พ.ศศ."):
        dated = read_fields(f"วันที่ ๘ เดือน มิถุนายน {era} ๒๕๖๒\nเรื่อง ขอความเป็นธรรม\n")
        assert dated.values["date"] == "2019-06-08", era
    # the space between a name and a surname lost: อายุ is not taken for the surname
    merged = read_fields("วันที่ ๑ มีนาคม ๒๕๖๗\nเรื่อง ขอความเป็นธรรม\nข้าพเจ้า นางวิวธิวายะสินธุ์ อายุ ๔๐ ปี\n")
    assert merged.values["name"] == "นางวิวธิวายะสินธุ์" and merged.confidence["name"] < 0.9
    glued = read_fields("วันที่ ๑ มีนาคม ๒๕๖๗\nเรื่อง ขอความเป็นธรรม : \nข้าพเจ้า นางสุปราณี บุญระมีอายุ๔๐ ปี\n")
    assert glued.values["name"] == "นางสุปราณี บุญระมี" and glued.confidence["name"] < 0.9
    assert glued.values["subject"] == "ขอความเป็นธรรม"  # a speck read as a colon after it dropped
    # a speck between a phone number's groups; two spaces after ว; a speck read as a dot inside
    # the writer's four digits
    phone = read_fields(
        "วันที่ ๒ เดือน พฤษภาคม พ.ศ. ๒๕๖๗\nเรื่อง ขอความเป็นธรรม\nข้าพเจ้า นางอริสา ทันไธสง อายุ ๔๐ ปี\n"
        "ตำบลท่าศาลา อำเภอหนองแสง จังหวัดเชียงราย โทรศัพท์\n๐๘๒-'๖๖๓-๗๗๗๕\n"
    )
    assert phone.values["phone"] == "0826637775"
    # a mobile number's ๐ read as a letter (a square face): 0, but not sure
    lost = read_fields(
        "วันที่ ๒ เดือน พฤษภาคม พ.ศ. ๒๕๖๗\nเรื่อง ขอความเป็นธรรม\nข้าพเจ้า นางอริสา ทันไธสง อายุ ๔๐ ปี\n"
        "ตำบลแม่แรม อำเภอแม่จัน จังหวัดแพร่ โทรศัพท\nง๘๗-๖๕๔-๒๗๙๔\n"
    )
    assert lost.values["phone"] == "0876542794" and lost.confidence["phone"] < 0.9
    spaced = read_fields(
        "ที่ นน ๐๓๙๙.๕/ว  ๕๗๕\nศาลากลางจังหวัดหนองคาย\n๓๐ พฤษภาคม ๒๕๖๕\nเรื่อง ขอความร่วมมือ\n"
        "อ้างถึง หนังสือกระทรวงสาธารณสุข ที่ สธ ๐๐๗. ๐.๙/ว ๔๔๕๗. ลงวันที่ ๑ เมษายน ๒๕๖๕\n"
    )
    assert spaced.values["doc_no"] == "นน 0399.5/ว 575"
    assert spaced.values["references"] == ["สธ 0070.9/ว 4457"]
    # a speck inside a reference's number (๒๕'๖๔๙) is no end of it
    speck = read_fields(
        "ศาลากลางจังหวัดอุบลราชธานี\nที่ อบ ๐๒๒๒.๑/ว ๑๙๖๔๙\n๒๓ สิงหาคม ๒๕๖๔\nเรื่อง การให้ความช่วยเหลือ\n"
        "อ้างถึง หนังสือศาลากลางจังหวัดอุบลราชธานี ที่ อบ ๐๑๓๒/๒๕'๖๔๙\nลงวันที่ ๒๔ กรกฎาคม ๒๕๖๔\n"
    )
    assert speck.values["references"] == ["อบ 0132/25649"]


def test_the_writer_is_not_the_office_whose_receipt_stamp_heads_the_letter():
    # the stamp read first (its office over เลขรับ), the agency's name read just above the number
    letter = read_fields(
        "ศูนย์ดำรงธรรมจังหวัดอุบลราชธานี\nเลขรบ 4262\nวันที่ 30 ส.ค. 64\nเวลา 13.39 น.\n"
        "ศาลากลางจังหวัดอุบลราชธานี\nที่อบ ๐๒๒๒.๑/ว ๑๙๖๔๙\nถนนแจ้งสนิท อบ ๓๔๐๐๐\n๒๓ สิงหาคม ๒๕๖๔\n"
        "เรื่อง การให้ความช่วยเหลือผู้ประสบอุทกภัย\nเรียน ผู้บังคับการตำรวจภูธรจังหวัดอุบลราชธานี\n"
    )
    assert letter.values["agency"] == "ศาลากลางจังหวัดอุบลราชธานี" and letter.confidence["agency"] >= 0.9
    # found only somewhere in the head, away from the number: doubtful
    far = read_fields("กรมการปกครอง\nเรื่อง ขอความร่วมมือ\nที่ มท ๐๓๐๙.๑/๑๒๓\n\n\n๒ พฤษภาคม ๒๕๖๘\n")
    assert far.values["agency"] == "กรมการปกครอง" and far.confidence["agency"] < 0.9


def test_a_letter_ocr_added_to_the_writers_code_taken_out():
    text = "ที่ สรธ ๐๐๓๗.๗/ว ๑๗๙๕๑\nกระทรวงสาธารณสุข\nถนนติวานนท์ จังหวัดนนทบุรี ๑๑๐๐๐\n๑๙ พฤษภาคม ๒๕๖๐\n"
    f = read_fields(text)
    assert f.values["doc_no"] == "สธ 0037.7/ว 17951" and f.confidence["doc_no"] < 0.9
    # a reference has no agency beside it: the one known code left without the added letter
    text = (
        "ที่ ทส ๐๑๔๘.๖/๑๒๓๔๐\nกรมป่าไม้\n๙ มีนาคม ๒๕๖๗\nเรื่อง ขอความร่วมมือ\nเรียน นายอำเภอ\n"
        "อ้างถึง หนังสือกรมป่าไม้ ที่ หทส ๐๑๔๘.๖/๑๒๓๓๘ ลงวันที่ ๒ มีนาคม ๒๕๖๗\nตามที่\n"
    )
    assert read_fields(text).values["references"] == ["ทส 0148.6/12338"]


def test_slash_lost_before_circular_mark_put_back():
    assert read_fields("ที่ มห ๔๗๗๖.๔ว ๓๘๕๖\nศาลากลางจังหวัดมุกดาหาร\n").values["doc_no"] == "มห 4776.4/ว 3856"
    # … or read as ป
    assert read_fields("ที่ สธ ๐๓๕๓ปว ๒๙๑๑๓\nกระทรวงสาธารณสุข\n").values["doc_no"] == "สธ 0353/ว 29113"


PETITION = """คำร้องเรียน/ร้องทุกข์
เขียนที่ ศูนย์ดำรงธรรมอำเภอสว่างแดนดิน
วันที่ ๑๕ เดือน สิงหาคม พ.ศ. ๒๕๖๘
เรื่อง ขอให้ซ่อมแซมถนนภายในหมู่บ้าน
เรียน นายอำเภอสว่างแดนดิน
ข้าพเจ้า นายศรพิชัย บุรพลชัย อายุ ๖๑ ปี เลขประจำตัวประชาชน ๓-๑๗๔๒-
๑๘๐๙๖-๗๙-๕ อยู่บ้านเลขที่ ๘/๙ หมู่ที่ ๒ ตำบลสร้างค้อ อำเภอสว่างแดน
ดืน จังหวัดสกลนคร โทรศัพท์ ๐๖๐-๒๙๔-๔๙๖๓
๑. เมื่อวันที่ ๓ มกราคม ๒๕๖๘ ข้าพเจ้าได้แจ้งผู้ใหญ่บ้าน
"""


def test_petition_fields_through_line_breaks_and_damage():
    f = read_fields(PETITION)
    v = f.values
    assert f.kind == "petition"
    assert v["date"] == "2025-08-15"  # the petition's own date, not an event it tells of
    assert v["subject"] == "ขอให้ซ่อมแซมถนนภายในหมู่บ้าน" and v["category"] == "สาธารณูปโภค"
    assert v["name"] == "นายศรพิชัย บุรพลชัย"
    assert v["citizen_id"] == "3174218096795" and f.confidence["citizen_id"] >= 0.9
    assert v["phone"] == "0602944963"
    # the district's name broken over two lines and its last vowel misread: the lexicon's
    assert v["district"] == "สว่างแดนดิน" and v["province"] == "สกลนคร"


def test_citizen_id_checksum_restores_what_ocr_lost():
    # a digit OCR could not read (written as a letter): the check digit gives it back
    assert read_citizen_id("3-1742-18096-7ฒ-5 อยู่บ้าน").value == "3174218096795"
    # a digit dropped from its printed group: several places and values pass the checksum, so
    # no guess is offered as sure
    assert read_citizen_id("3-1742-1806-79-5").confidence < 0.5
    # one confusable digit misread (๔ as ๕): the one change that makes it valid
    r = read_citizen_id("4-6791-60110-85-5")
    assert r.value == "4679160110845" and r.confidence < 0.9
    # nothing to vouch for: a low confidence, never a made-up valid ID
    assert read_citizen_id("1-2345-67890-12-3 x").confidence < 0.5
    # the label damaged (ประจำ read ประวจำ) and the first digit written as letters: found, and
    # the checksum gives the digit back
    petition = "ข้าพเจ้า นางพนารัตน์ หัศนี อายุ ๒๖ ปี เลขประวจำตัว\nประชาชน ดป-๓๗๔๐-๔๖๘๕๕-๙๔-๕ อยู่บ้าน"
    assert read_fields(petition).values["citizen_id"] == "7374046855945"


def test_dates_be_and_abbreviated():
    assert thai_date("วันที่ ๑๘ เม.ย. ๖๒").isoformat() == "2019-04-18"  # a stamp's short year
    assert thai_date("๑๘ เมย, ๒๕๖๒").isoformat() == "2019-04-18"  # dots read as a comma or lost
    assert not find_dates("วันที่ ๓ เดือน พฤศจิกายน พ.ศ. ๒๕")  # a year OCR cut short is no year
    assert not find_dates("๓๑ เมษายน ๒๕๖๘")  # no such day
    # a day of 32–39 before a month written out is the ๑ of 12–19 read as ๓ (loopless faces), doubtful
    (found,) = find_dates(fold_digits("วันที่ ๓๒ เดือน มีนาคม พ.ศ. ๒๕๖๔"))
    assert found.date.isoformat() == "2021-03-12" and not found.exact
    assert not find_dates("๓๒ มี.ค. ๖๔")  # an abbreviated month (a stamp) is not guessed at
    assert read_fields("วันที่ ๓๗ เดือน ตุลาคม พ.ศ. ๒๕๖๓\nเรื่อง ขอความเป็นธรรม\n").confidence["date"] < 0.9
    # a fax's specks read as letters before the month
    assert thai_date("๑๙ พผพฤษภาคม ๒๕๖๐").isoformat() == "2017-05-19"
    # เดือน read with a look-alike consonant (เคือน)
    assert thai_date("วันที่ ๕ เคือน มกราคม พ.ศ. ๒๕๖๘").isoformat() == "2025-01-05"
    # a fax's speck read inside the year (ฯ and a space): the year stands, doubtful
    (found,) = find_dates(fold_digits("๒๘ พฤศจิกายน ๒๕ฯ ๖๑"))
    assert found.date.isoformat() == "2018-11-28" and not found.exact
    # a stamp's short year and the time after it are no year of four digits
    assert thai_date("วันที่ ๖ ก.ค. ๖๗ ๑๐.๓๐ น.").isoformat() == "2024-07-06"


def test_a_year_whose_five_ocr_read_as_four_is_put_a_century_on():
    # Niramit's ๕ read ๔: the letter's ๒๕๖๘ read ๒๔๖๘, its reference's too; the receipt stamp
    # (another face) says ๒๕๖๘ — the letter is of 2025, shown doubtful
    head = "ศูนย์ดำรงธรรมจังหวัดนครสวรรค์\nเลขรับ ๓๔๕๗\nวันที่ ๑๐ พ.ค. ๒๕๖๘\nที่ มท ๐๒๙๖.๔/ว ๒๔๒๙๖\nกรมการปกครอง\n"
    letter = head + "๘ พฤษภาคม ๒๔๖๘\nเรื่อง ขอความร่วมมือ\nอ้างถึง หนังสือ ที่ สธ ๐๓๕๑.๒/ว ๑๒๔๕๘ ลงวันที่\n๒๙ เมษายน ๒๔๖๘\n"
    f = read_fields(letter)
    assert f.values["date"] == "2025-05-08" and f.confidence["date"] < 0.9
    # nothing a hundred years on: an old date stays as it was read
    assert read_fields(letter.replace("วันที่ ๑๐ พ.ค. ๒๕๖๘", "วันที่ ๑๐ พ.ค. ๒๔๖๘")).values["date"] == "1925-05-08"


def test_a_code_read_as_another_by_a_look_alike_set_right():
    # the reference names its writer: สร (a province's code) where the ministry's is สธ, its
    # name itself read with ข as ย
    text = (
        "ที่ อด ๐๐๑๗.๒/ว ๑๒๓\nศาลากลางจังหวัดอุดรธานี\n๑๐ พฤษภาคม ๒๕๖๔\nเรื่อง การเฝ้าระวังโรค\nเรียน นายอำเภอ\n"
        "อ้างถึง หนังสือกระทรวงสาธารณสุย ที่ สร ๐๒๙๐/ว ๑๔๕๔๙ ลงวันที่ ๒๘\nมีนาคม ๒๕๖๔\nตามที่\n"
    )
    assert read_fields(text).values["references"] == ["สธ 0290/ว 14549"]
    # an unknown code one look-alike from a single known one (ปย: ปข, Prachuap Khiri Khan)
    f = read_fields("ที่ ปย ๐๒๗๔.๑/ว ๗๙๗๒\nที่ว่าการอำเภอโกรกพระ\n๒ พฤษภาคม ๒๕๖๘\nเรื่อง การจัดระเบียบ\n")
    assert f.values["doc_no"] == "ปข 0274.1/ว 7972" and f.confidence["doc_no"] < 0.9
    # a provincial office of a ministry writes with the ministry's code, one letter from its
    # province's: that known code stands
    f = read_fields("ที่ ศธ ๐๒๙๐.๑/๑๒๓\nสำนักงานศึกษาธิการจังหวัดศรีสะเกษ\n๒ พฤษภาคม ๒๕๖๘\nเรื่อง การประชุม\n")
    assert f.values["doc_no"] == "ศธ 0290.1/123"
    f = read_fields("ที่ มท ๐๓๐๙.๑/๑๒๓\nที่ทำการปกครองจังหวัดมุกดาหาร\n๒ พฤษภาคม ๒๕๖๘\nเรื่อง การประชุม\n")
    assert f.values["doc_no"] == "มท 0309.1/123"
