"""The lexicon's post-correction: a non-word set right by one change of a mark (or of a consonant
for its look-alike) when that alone makes common Thai words; a lone consonant OCR made up between
two words taken out; a word is never changed into another word; names, letter codes and
abbreviations are left alone; a look-alike a page's face confuses everywhere, learned from the
page's words, swapped also where it made words."""

from ingest.ocr.correction import correct_text
from ingest.ocr.page_letters import correct_page


def test_non_words_set_right_by_one_mark():
    assert correct_text("มีผู้ปวยติดเตียง") == "มีผู้ป่วยติดเตียง"  # a tone mark put back
    assert correct_text("ทวงถามหนื้อย่างต่อเนื่อง") == "ทวงถามหนี้อย่างต่อเนื่อง"  # a vowel replaced
    assert correct_text("ขอแสดงความนับถีอ") == "ขอแสดงความนับถือ"
    assert correct_text("ไม่มึรายได้ประจำ") == "ไม่มีรายได้ประจำ"  # the commonest reading wins
    assert correct_text("ได้ในัวันและเวลาราชการ") == "ได้ในวันและเวลาราชการ"  # a stray mark taken out


def test_the_commonest_word_with_its_tone_mark_lost_put_right():
    # ที่ read ที (a faded tone): ที alone is a word, but hardly ever stands alone
    assert correct_text("อยู่บ้านเลขที ๒๘๕ หมู่ที ๗ เมื่อวันที ๑๘") == "อยู่บ้านเลขที่ ๒๘๕ หมู่ที่ ๗ เมื่อวันที่ ๑๘"
    assert correct_text("โฉนดทีดิน ตามทีกรมการปกครองแจ้ง") == "โฉนดที่ดิน ตามที่กรมการปกครองแจ้ง"
    # the words ที makes with others stay (บางที, ทีละ, ทุกที), and a name
    assert correct_text("บางทีอาจจะมาทีละคนทุกที") == "บางทีอาจจะมาทีละคนทุกที"
    assert correct_text("นายทีฆนทัศน์ ใจดี") == "นายทีฆนทัศน์ ใจดี"


def test_a_consonant_read_as_its_look_alike_set_right_in_a_non_word():
    # a face Tesseract was not trained on (Pridi: ข read as ย throughout)
    assert correct_text("ย้าพเจ้าได้แจ้งเรื่อง") == "ข้าพเจ้าได้แจ้งเรื่อง"
    assert correct_text("จังหวัดประจวบคีรียันธ์") == "จังหวัดประจวบคีรีขันธ์"
    # a word stays a word, though the look-alike would make another one (ยอ, to praise)
    assert correct_text("ยอให้แก้ไขปัญหา") == "ยอให้แก้ไขปัญหา"
    assert correct_text("ข้าวเหนียว") == "ข้าวเหนียว"
    # the same look-alike wherever it stands in the run, when only that makes it words
    assert correct_text("หากมีย้อยัดย้องประการใด โปรด") == "หากมีข้อขัดข้องประการใด โปรด"
    assert correct_text("นายยอดยิ่ง ยาวยืด") == "นายยอดยิ่ง ยาวยืด"
    # a swap that would cut words into scraps the dictionary holds (หลา, ข; ดำบล) is no correction
    assert correct_text("ย้าพเจ้าได้แจ้งกำนันไปแล้วหลายครั้ง") == "ข้าพเจ้าได้แจ้งกำนันไปแล้วหลายครั้ง"
    assert correct_text("ตำบลบ้านเป็ต") == "ตำบลบ้านเป็ด"
    # ภ read as ก without its tail; one letter written as two look-alikes (พ read พผ)
    assert correct_text("ตำบลสำราญ อำเกอท่าใหม่ จังหวัด") == "ตำบลสำราญ อำเภอท่าใหม่ จังหวัด"
    assert correct_text("ข้าพผเจ้าได้แจ้ง") == "ข้าพเจ้าได้แจ้ง"


def test_a_lone_consonant_between_two_words_taken_out():
    assert correct_text("ข้อพิพาทแนวเขตฑที่ดิน") == "ข้อพิพาทแนวเขตที่ดิน"
    assert correct_text("กรณีออกเอกสารจสิทธิ์ทับที่ดิน") == "กรณีออกเอกสารสิทธิ์ทับที่ดิน"
    assert correct_text("นางกานติชนิต คำจอง") == "นางกานติชนิต คำจอง"  # a name's letters stay
    assert correct_text("ข้อ ก และข้อ ข") == "ข้อ ก และข้อ ข"  # a letter standing alone stays


def test_a_letter_read_twice_the_second_alone_taken_out():
    assert correct_text("๑๗ กันยายน น ๒๕๖๐") == "๑๗ กันยายน ๒๕๖๐"
    assert correct_text("ที่ รง ง ๐๑๙๐/ว ๖๕๔๗") == "ที่ รง ๐๑๙๐/ว ๖๕๔๗"
    # a consonant that is a word alone stays, and so does one that repeats no letter
    assert correct_text("ขอบคุณ ณ ที่นี้") == "ขอบคุณ ณ ที่นี้"
    assert correct_text("ตามข้อ ก และข้อ ข") == "ตามข้อ ก และข้อ ข"


def test_words_names_codes_left_alone():
    assert correct_text("ข้าวราคาดี") == "ข้าวราคาดี"  # ข้าว is a word: never "corrected" into ข่าว
    assert correct_text("ข้าพเจ้า นายศรพิชัย บุรพลชัย ผู้ร้อง") == "ข้าพเจ้า นายศรพิชัย บุรพลชัย ผู้ร้อง"
    assert correct_text("(นางวสันต์ศิริ วรรณโชติ)") == "(นางวสันต์ศิริ วรรณโชติ)"
    assert correct_text("ที่ รป ๑๖๗๑.๔/ว ๑๒๔๕๗") == "ที่ รป ๑๖๗๑.๔/ว ๑๒๔๕๗"  # a letter code
    assert correct_text("วันที่ 19 ม.ค. 2569") == "วันที่ 19 ม.ค. 2569"  # an abbreviation
    # half a word cut off by a space OCR put inside it: not made into another word
    assert correct_text("จึงเรียนมา เพื่ อโปรดพิจารณา") == "จึงเรียนมา เพื่ อโปรดพิจารณา"


def test_a_look_alike_the_page_confuses_is_learned_from_its_words():
    # Pridi: Tesseract reads every ข as ย, and many of the words that makes are words (ยอ, ยอง,
    # เย้า, เลย): the page shows it at several places, so ย is swapped wherever that makes better Thai
    page = (
        "ข้าพเจ้า นายสมชาย ยอดดี อายุ ๔๕ ปี เลยประจำตัวประชาชน ๓๑๐๐๕๐๐๑๒๓๔๕๖\n"
        "อยู่บ้านเลยที่ ๓๘ หมู่ที่ ๕\n"
        "เรื่อง ยอให้ตรวจสอบการจ่ายเบี้ยยังชีพ\n"
        "มารดายองข้าพเจ้ายังไม่ได้รับเงิน มีหลายคนเย้าไปติดต่อ\n"
        "จึงเรียนมาเพื่อโปรดพิจารณา และยอยอบพระคุณ ยาสามัญ ย้ายบ้าน\n"
        "ยขอแสดงความนับถือ"
    )
    out = correct_page(page)
    assert "เลขประจำตัว" in out and "บ้านเลขที่ ๓๘" in out and "เรื่อง ขอให้ตรวจสอบ" in out
    assert "มารดาของข้าพเจ้า" in out and "คนเข้าไป" in out and "และขอขอบพระคุณ" in out
    # both look-alikes written for one letter: the first taken out (never ขขอ)
    assert out.endswith("\nขอแสดงความนับถือ")
    # a name stays; words whose twin is the rarer word stay (ยัง, not ขัง; ยา, ย้าย)
    assert "นายสมชาย ยอดดี" in out and "ยังไม่ได้รับ" in out and "ยาสามัญ ย้ายบ้าน" in out
    # one such place is no evidence: a text in a face Tesseract knows is left as it is
    one = "เรื่อง ยอให้ตรวจสอบการจ่ายเบี้ยยังชีพ\nมารดาของข้าพเจ้ายังไม่ได้รับเงิน"
    assert correct_page(one) == one
    # a word the page repeats counts once, and a place's name is no evidence nor changed
    # (อำเภอหางดง is no หาง ลง, though ลง is far commoner than ดง)
    hang_dong = "ที่ว่าการอำเภอหางดง\nอำเภอหางดง จังหวัดเชียงใหม่\nแจ้งผลให้ที่ว่าการอำเภอหางดงทราบ\nศูนย์ดำรงธรรมอำเภอหางดง"
    assert correct_page(hang_dong) == hang_dong
