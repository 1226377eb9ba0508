"""Render the synthetic *generalisation* corpus: Thai petitions and official letters in fonts,
wording, layouts and degradations that the dev corpus (../shared/corpus/dev) does not use.

    python bench/render_corpus.py OUT_DIR [--docs N] [--seed S]

Writes OUT_DIR/<id>.<pdf|png|jpg|tiff> and OUT_DIR/truth.json in the dev corpus format (one object
per document: id, kind, fields, font, pt, file, source, level, pages).  The run is reproducible for
a given seed.

This file owns, and only owns:
  * the wording banks (petition topics, official-letter topics, agencies, places);
  * layout (line wrapping at spaces / Thai word boundaries, petition and two-column letter layout,
    pagination) - the line breaks made here are the truth's line breaks;
  * raster rendering (Pillow + libraqm; Noto Sans Thai and Noto Serif Thai, Noto Sans Thai Looped
    when installed, each with a Noto Latin fallback for the digits, Latin and punctuation the Thai
    fonts lack; a family that fails to print ที่ is skipped), receipt stamps and signatures;
  * scan degradations: clean, photo (phone camera), fax (200 dpi bilevel), copy (photocopy);
  * born-digital PDFs (fpdf2, shaped text) and the "legacy" text layer whose ToUnicode map sends
    Thai marks to the U+F700-U+F71A presentation forms, as old Thai PDF software did.

Truth conventions: a page's text is its printed lines top to bottom joined by "\n"; a receipt
stamp's lines come first; a two-column row (letter number | agency) is one line, left text then
right text.  Fields use Arabic digits and ISO Gregorian dates (Gregorian = BE - 543).
It is a bench helper, not part of the package.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import functools
import io
import itertools
import json
import math
import random
import re
import sys
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pikepdf
from fontTools.ttLib import TTFont
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from pythainlp.corpus import corpus_path
from pythainlp.corpus.common import provinces, thai_family_names, thai_female_names, thai_male_names
from pythainlp.tokenize import word_tokenize

# ---------------------------------------------------------------------------------------------
# Page geometry (pixels at 300 dpi)
# ---------------------------------------------------------------------------------------------
DPI = 300
PAGE_W, PAGE_H = 2481, 3508
CM = DPI / 2.54
LEFT, RIGHT = round(3 * CM), PAGE_W - round(2 * CM)
TOP, BOTTOM = round(2.5 * CM), PAGE_H - round(2 * CM)
INDENT = round(2.5 * CM)
MID_X = round(PAGE_W * 0.47)  # date line, closing and signature block of letters
LETTER_HEAD_Y = 560  # baseline of the "ที่ ..." row (room for the stamp above)
URGENCY_Y = 400
FAX_DPI = 200


def pt_to_px(pt: float) -> float:
    return pt * DPI / 72


# ---------------------------------------------------------------------------------------------
# Fonts: Noto Thai families with a Noto Latin fallback (the Thai fonts have no digits or Latin)
# ---------------------------------------------------------------------------------------------
NOTO = Path("/usr/share/fonts/truetype/noto")
FAMILIES = {  # thai regular, thai bold, fallback regular, fallback bold, line pitch factor
    "NotoSansThai": (
        "NotoSansThai-Regular.ttf",
        "NotoSansThai-Bold.ttf",
        "NotoSans-Regular.ttf",
        "NotoSans-Bold.ttf",
        1.35,
    ),
    "NotoSerifThai": (
        "NotoSerifThai-Regular.ttf",
        "NotoSerifThai-Bold.ttf",
        "NotoSerif-Regular.ttf",
        "NotoSerif-Bold.ttf",
        1.38,
    ),
    "NotoSansThaiLooped": (
        "NotoSansThaiLooped-Regular.ttf",
        "NotoSansThaiLooped-Bold.ttf",
        "NotoSans-Regular.ttf",
        "NotoSans-Bold.ttf",
        1.36,
    ),
    "NotoLoopedThai": (
        "NotoLoopedThai-Regular.ttf",
        "NotoLoopedThai-Bold.ttf",
        "NotoSans-Regular.ttf",
        "NotoSans-Bold.ttf",
        1.36,
    ),
}


# Held-out faces (`--faces held-out`): four families the OCR's glyph templates never saw (neither
# TLWG nor the faces in ingest/ocr/fonts) — loopless Chakra Petch and Bai Jamjuree, looped
# Niramit and Pridi — Thai subsets (SIL OFL, fontsource) in bench/fonts, with Noto's Latin.
HELD_OUT_DIR = Path(__file__).with_name("fonts")
HELD_OUT = {
    name.replace("-", "").title(): (
        str(HELD_OUT_DIR / f"{name}-thai-400-normal.ttf"),
        str(HELD_OUT_DIR / f"{name}-thai-700-normal.ttf"),
        "NotoSans-Regular.ttf",
        "NotoSans-Bold.ttf",
        pitch,
    )
    for name, pitch in (("chakra-petch", 1.4), ("bai-jamjuree", 1.4), ("niramit", 1.45), ("pridi", 1.45))
}
FACES = {"noto": FAMILIES, "held-out": HELD_OUT}
FACE_SET = "noto"  # set by --faces


@functools.cache
def available_families() -> list[str]:
    """The installed families that print a tone mark over an upper vowel.  (Noto Looped Thai 1.00
    in fonts-noto-core does not: its GPOS sinks the mark into the vowel, ที่ prints as ที.)"""
    out = []
    for name, files in FACES[FACE_SET].items():
        if not all((NOTO / f).exists() for f in files[:4]):
            continue
        if all(prints_stacked_tone(str(NOTO / f)) for f in files[:2]):
            out.append(name)
        else:
            print(f"skipping {name}: it does not print the tone mark of ที่", file=sys.stderr)
    return out


def prints_stacked_tone(path: str) -> bool:
    font = ImageFont.truetype(path, 60, layout_engine=ImageFont.Layout.RAQM)
    ink = []
    for text in ("ที่", "ที"):
        img = Image.new("L", (200, 120), 255)
        ImageDraw.Draw(img).text((20, 100), text, font=font, fill=0, anchor="ls")
        ink.append(np.asarray(img))
    return int((ink[0] != ink[1]).sum()) > 20


@functools.cache
def cmap_of(path: str) -> frozenset[int]:
    return frozenset(TTFont(path).getBestCmap())


@functools.cache
def pil_font(path: str, size_px: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size_px, layout_engine=ImageFont.Layout.RAQM)


@dataclass(frozen=True)
class Face:
    """A Thai font plus its fallback at one size; text is drawn as runs, one font per run."""

    thai: str
    latin: str
    pt: float
    pitch_factor: float

    @property
    def px(self) -> float:
        return pt_to_px(self.pt)

    @property
    def pitch(self) -> float:
        return self.px * self.pitch_factor

    def runs(self, text: str) -> list[tuple[str, str]]:
        """(font path, text) runs; a space or '-' stays in the current run when its font has it."""
        thai_cmap, out = cmap_of(self.thai), []
        for ch in text:
            if ch in " -" and (not out or ord(ch) in cmap_of(out[-1][0])):
                path = out[-1][0] if out else self.thai
            else:
                path = self.thai if ord(ch) in thai_cmap else self.latin
            if out and out[-1][0] == path:
                out[-1] = (path, out[-1][1] + ch)
            else:
                out.append((path, ch))
        return out

    def width(self, text: str) -> float:
        return sum(pil_font(p, self.px).getlength(t) for p, t in self.runs(text))

    def draw(self, draw: ImageDraw.ImageDraw, x: float, baseline: float, text: str, fill) -> None:
        for path, run in self.runs(text):
            font = pil_font(path, self.px)
            draw.text((x, baseline), run, font=font, fill=fill, anchor="ls")
            x += font.getlength(run)


def faces_for(family: str, pt: float) -> dict[str, Face]:
    thai, thai_bold, latin, latin_bold, pitch = FACES[FACE_SET][family]
    return {
        "body": Face(str(NOTO / thai), str(NOTO / latin), pt, pitch),
        "title": Face(str(NOTO / thai_bold), str(NOTO / latin_bold), pt + 2, pitch),
        "urgent": Face(str(NOTO / thai_bold), str(NOTO / latin_bold), pt + 6, pitch),
        "stamp": Face(str(NOTO / thai), str(NOTO / latin), 13, 1.35),
    }


# ---------------------------------------------------------------------------------------------
# Wording banks (none of these sentences, subjects or agencies is in the dev corpus)
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Topic:
    category: str
    subjects: tuple[str, ...]
    sentences: tuple[str, ...]


PETITION_TOPICS = (
    Topic(
        "เรื่องอื่นๆ",
        ("ขอให้แก้ไขปัญหาสุนัขจรจัดในชุมชน",),
        (
            "ในซอยหน้าบ้านของข้าพเจ้ามีสุนัขจรจัดรวมกันอยู่ประมาณยี่สิบตัว ไล่กัดเด็กนักเรียนที่เดินไปโรงเรียนเป็นประจำ",
            "เมื่อเดือนที่ผ่านมามีผู้สูงอายุในหมู่บ้านถูกสุนัขกัดจนต้องไปรับวัคซีนป้องกันโรคพิษสุนัขบ้าที่โรงพยาบาล",
            "ข้าพเจ้าขอให้เทศบาลนำสุนัขไปทำหมันและจัดหาสถานที่พักพิงที่เหมาะสม",
        ),
    ),
    Topic(
        "สาธารณูปโภค",
        ("ขอให้ขุดลอกท่อระบายน้ำบนถนนสายหลักของหมู่บ้าน",),
        (
            "ทุกครั้งที่ฝนตกหนักน้ำจะท่วมขังบนถนนหน้าตลาดสูงกว่าครึ่งเมตร เนื่องจากท่อระบายน้ำอุดตันด้วยขยะและดินโคลน",
            "น้ำท่วมเข้าบ้านเรือนของประชาชนกว่าสามสิบหลังคาเรือน ทำให้ทรัพย์สินและเครื่องใช้ไฟฟ้าเสียหาย",
        ),
    ),
    Topic(
        "ความเดือดร้อนรำคาญ",
        ("ขอให้ตรวจสอบน้ำเสียและกลิ่นจากคลองสาธารณะ",),
        (
            "โรงงานผลิตอาหารสัตว์ริมคลองปล่อยน้ำเสียสีดำลงคลองในเวลากลางคืน ทำให้ปลาตายเป็นจำนวนมาก",
            "น้ำในคลองมีกลิ่นเหม็นเน่าจนชาวบ้านไม่สามารถใช้น้ำเพื่อการเกษตรและอุปโภคได้",
        ),
    ),
    Topic(
        "ความเดือดร้อนรำคาญ",
        ("ขอให้ระงับเสียงดังจากร้านคาราโอเกะในยามวิกาล",),
        (
            "ร้านคาราโอเกะซึ่งตั้งอยู่ติดกับบ้านพักของข้าพเจ้าเปิดเพลงเสียงดังตั้งแต่สองทุ่มจนถึงตีสามเกือบทุกคืน",
            "ลูกค้าของร้านมักทะเลาะวิวาทและจอดรถกีดขวางทางเข้าออกซอย ทำให้ผู้อยู่อาศัยไม่กล้าออกจากบ้านในเวลากลางคืน",
        ),
    ),
    Topic(
        "เรื่องอื่นๆ",
        ("ขอให้เพิ่มเที่ยววิ่งรถโดยสารประจำทางสายอำเภอถึงตัวจังหวัด",),
        (
            "รถโดยสารประจำทางสายดังกล่าวลดจำนวนเที่ยววิ่งเหลือเพียงวันละสองเที่ยว ผู้โดยสารต้องรอรถนานกว่าสามชั่วโมง",
            "พนักงานขับรถมักขับรถเร็วเกินกำหนดและไม่จอดรับผู้สูงอายุตามป้ายหยุดรถ",
        ),
    ),
    Topic(
        "คุ้มครองผู้บริโภค",
        ("ขอให้ติดตามผู้ขายสินค้าออนไลน์ที่ฉ้อโกงประชาชน",),
        (
            "ข้าพเจ้าได้สั่งซื้อโทรศัพท์มือถือผ่านเพจเฟซบุ๊กและโอนเงินจำนวนหนึ่งหมื่นสองพันบาทให้ผู้ขาย แต่ไม่ได้รับสินค้า",
            "หลังจากโอนเงินแล้วผู้ขายได้ปิดเพจและไม่สามารถติดต่อทางโทรศัพท์ได้อีก ข้าพเจ้าได้แจ้งความไว้ที่สถานีตำรวจแล้ว",
            "มีผู้เสียหายในลักษณะเดียวกันอีกหลายรายในพื้นที่ ซึ่งถูกหลอกลวงผ่านช่องทางออนไลน์ในช่วงการแพร่ระบาดของ COVID-19",
        ),
    ),
    Topic(
        "การพนัน",
        ("ขอให้ตรวจสอบบ่อนการพนันผิดกฎหมายในหมู่บ้าน",),
        (
            "มีการลักลอบเปิดบ่อนการพนันไพ่และไก่ชนในสวนยางท้ายหมู่บ้านทุกวันเสาร์และวันอาทิตย์",
            "เยาวชนในหมู่บ้านหลายคนเข้าไปเล่นการพนันจนเสียการเรียน และก่อเหตุลักขโมยทรัพย์สินของเพื่อนบ้าน",
        ),
    ),
    Topic(
        "สาธารณูปโภค",
        ("ขอให้ซ่อมแซมไฟฟ้าส่องสว่างริมถนนที่ชำรุด",),
        (
            "ไฟฟ้าส่องสว่างริมถนนสายหลักของตำบลดับมานานกว่าหกเดือน ทำให้เกิดอุบัติเหตุรถจักรยานยนต์ล้มบ่อยครั้ง",
            "ในเวลากลางคืนถนนมืดมากจนประชาชนที่เดินทางกลับจากที่ทำงานเกรงว่าจะถูกทำร้ายหรือถูกชิงทรัพย์",
        ),
    ),
    Topic(
        "ที่ดิน",
        ("ขอให้ตรวจสอบการบุกรุกพื้นที่ป่าสงวนแห่งชาติ",),
        (
            "มีกลุ่มนายทุนนำรถแทรกเตอร์เข้าไปไถปรับพื้นที่ป่าสงวนแห่งชาติบริเวณเชิงเขาเพื่อปลูกทุเรียน",
            "ต้นไม้ขนาดใหญ่ถูกตัดโค่นไปเป็นจำนวนมาก ส่งผลให้ลำห้วยที่ชาวบ้านใช้ทำการเกษตรแห้งขอดในฤดูแล้ง",
        ),
    ),
    Topic(
        "เรื่องอื่นๆ",
        ("ขอความเป็นธรรมกรณีนายจ้างค้างจ่ายค่าจ้าง",),
        (
            "ข้าพเจ้าทำงานเป็นลูกจ้างรายวันของบริษัทรับเหมาก่อสร้างแห่งหนึ่ง นายจ้างค้างจ่ายค่าจ้างมาแล้วสามเดือน",
            "เมื่อทวงถามค่าจ้าง ผู้จัดการบริษัทอ้างว่ายังไม่ได้รับเงินจากผู้ว่าจ้าง และขู่ว่าจะเลิกจ้างหากยังร้องเรียนอีก",
        ),
    ),
    Topic(
        "เงินช่วยเหลือ",
        ("ขอให้ตรวจสอบการจ่ายเบี้ยยังชีพผู้สูงอายุ",),
        (
            "มารดาของข้าพเจ้าอายุแปดสิบสองปี ไม่ได้รับเบี้ยยังชีพผู้สูงอายุมาตั้งแต่ต้นปีงบประมาณ โดยไม่ทราบสาเหตุ",
            "เมื่อสอบถามที่องค์การบริหารส่วนตำบล พนักงานแจ้งว่ารายชื่อตกหล่นจากระบบและให้รอการตรวจสอบ",
        ),
    ),
    Topic(
        "เรื่องอื่นๆ",
        ("ขอให้ตรวจสอบการเรียกเก็บเงินบำรุงการศึกษาของโรงเรียน",),
        (
            "โรงเรียนประจำตำบลเรียกเก็บเงินค่าบำรุงการศึกษาจากผู้ปกครองคนละสามพันบาท โดยไม่ออกใบเสร็จรับเงิน",
            "ผู้ปกครองส่วนใหญ่มีรายได้น้อยและไม่สามารถจ่ายเงินดังกล่าวได้ ทำให้บุตรหลานถูกตำหนิต่อหน้าเพื่อนร่วมชั้น",
        ),
    ),
    Topic(
        "เรื่องอื่นๆ",
        ("ขอให้ปรับปรุงระบบคิวของโรงพยาบาลประจำจังหวัด",),
        (
            "ผู้ป่วยที่มารับบริการที่โรงพยาบาลต้องมารอรับบัตรคิวตั้งแต่ตีสี่ และกว่าจะได้พบแพทย์ก็เป็นเวลาบ่ายสามโมง",
            "ผู้ป่วยสูงอายุและผู้พิการไม่มีช่องทางพิเศษ ต้องนั่งรอบนเก้าอี้ที่ไม่เพียงพอเป็นเวลานาน",
        ),
    ),
    Topic(
        "ร้องเรียนเจ้าหน้าที่รัฐ",
        ("ร้องเรียนเจ้าหน้าที่เรียกรับเงินในการออกใบอนุญาตก่อสร้าง",),
        (
            "เจ้าหน้าที่ผู้รับผิดชอบการออกใบอนุญาตก่อสร้างอาคารเรียกรับเงินจากข้าพเจ้าจำนวนห้าพันบาท เพื่อให้การพิจารณาเป็นไปอย่างรวดเร็ว",
            "เมื่อข้าพเจ้าปฏิเสธ คำขอของข้าพเจ้าก็ถูกดึงเรื่องไว้นานกว่าสี่เดือนโดยไม่มีเหตุผลอันสมควร",
        ),
    ),
    Topic(
        "ที่ดิน",
        ("ขอให้ตรวจสอบการรังวัดโฉนดที่ดินรุกล้ำทางสาธารณะ",),
        (
            "เพื่อนบ้านได้ยื่นคำขอรังวัดโฉนดที่ดินโดยนำหมุดหลักเขตรุกล้ำเข้ามาในทางสาธารณะที่ใช้สัญจรร่วมกัน",
            "ทางดังกล่าวเป็นทางเดียวที่ชาวบ้านกว่ายี่สิบครัวเรือนใช้เข้าออกหมู่บ้าน หากถูกปิดกั้นจะได้รับผลกระทบอย่างมาก",
        ),
    ),
    Topic(
        "หนี้นอกระบบ",
        ("ขอความช่วยเหลือกรณีถูกทวงหนี้เงินกู้ออนไลน์",),
        (
            "ข้าพเจ้ากู้ยืมเงินผ่านแอปพลิเคชันเงินกู้ออนไลน์จำนวนห้าพันบาท แต่ถูกเรียกเก็บดอกเบี้ยและค่าธรรมเนียมรวมกว่าสองหมื่นบาท",
            "ผู้ทวงหนี้โทรศัพท์ข่มขู่และส่งข้อความไปประจานข้าพเจ้าแก่ญาติพี่น้องและเพื่อนร่วมงานทุกวัน",
        ),
    ),
    Topic(
        "ความเดือดร้อนรำคาญ",
        ("ขอให้แก้ไขปัญหาฝุ่นละอองและควันจากการเผาอ้อย",),
        (
            "ในช่วงฤดูเก็บเกี่ยวมีการเผาใบอ้อยในแปลงเกษตรใกล้หมู่บ้าน ควันและเขม่าลอยเข้ามาในบ้านเรือนทุกวัน",
            "เด็กเล็กและผู้สูงอายุในหมู่บ้านป่วยเป็นโรคระบบทางเดินหายใจเพิ่มขึ้น ต้องเดินทางไปพบแพทย์ที่โรงพยาบาลส่งเสริมสุขภาพตำบลบ่อยครั้ง",
        ),
    ),
    Topic(
        "สาธารณูปโภค",
        ("ขอให้แก้ไขปัญหาน้ำประปาไม่ไหล",),
        (
            "น้ำประปาในหมู่บ้านไหลอ่อนมากและหยุดไหลเกือบทุกวันในช่วงเวลาเย็น ชาวบ้านต้องซื้อน้ำจากรถบรรทุกมาใช้",
            "น้ำประปาที่ไหลออกมามีสีขุ่นและมีตะกอน ไม่สามารถนำมาใช้อุปโภคบริโภคได้",
        ),
    ),
)

PETITION_SUPPORT = (
    "ข้าพเจ้าได้แจ้งผู้ใหญ่บ้านและกำนันไปแล้วหลายครั้ง แต่ปัญหายังคงเกิดขึ้นอย่างต่อเนื่อง",
    "ข้าพเจ้าได้แนบภาพถ่ายและเอกสารที่เกี่ยวข้องมาพร้อมกับคำร้องนี้แล้ว",
    "หากเจ้าหน้าที่ต้องการข้อมูลเพิ่มเติม สามารถติดต่อข้าพเจ้าได้ตามหมายเลขโทรศัพท์ข้างต้น",
    "ข้าพเจ้าไม่ประสงค์จะให้เปิดเผยชื่อต่อคู่กรณี เนื่องจากเกรงว่าจะได้รับอันตราย",
    "ชาวบ้านในละแวกเดียวกันได้ร่วมลงชื่อสนับสนุนคำร้องนี้จำนวน 47 ราย",
    "ข้าพเจ้าได้ติดตามผลการร้องเรียนผ่านเว็บไซต์ www.damrongdhama.moi.go.th แล้ว แต่ยังไม่พบความคืบหน้า",
)
PETITION_EVENTS = (  # "{date}" is a Thai date before the petition's own date
    "เมื่อวันที่ {date} ข้าพเจ้าได้แจ้งเรื่องดังกล่าวต่อผู้ใหญ่บ้านด้วยวาจา",
    "เมื่อวันที่ {date} ข้าพเจ้าได้ยื่นหนังสือต่อองค์การบริหารส่วนตำบล แต่ไม่ได้รับคำตอบ",
    "เมื่อวันที่ {date} พนักงานของอำเภอได้ลงพื้นที่ตรวจสอบ แต่ยังไม่มีการแก้ไข",
    "เมื่อวันที่ {date} เหตุการณ์ได้เกิดขึ้นอีกครั้งและรุนแรงกว่าเดิม",
)
PETITION_CLOSINGS = (
    "จึงเรียนมาเพื่อโปรดพิจารณาดำเนินการตรวจสอบและแก้ไขปัญหาโดยเร็ว",
    "จึงเรียนมาเพื่อโปรดพิจารณาให้ความเป็นธรรมแก่ข้าพเจ้าด้วย จักขอบคุณยิ่ง",
    "จึงเรียนมาเพื่อโปรดพิจารณา และขอขอบพระคุณมา ณ โอกาสนี้",
)
TAMBONS = (
    "ริมใต้",
    "แม่แรม",
    "สันทราย",
    "ศิลา",
    "บ้านเป็ด",
    "หนองแวง",
    "ท่าพระ",
    "โนนท่อน",
    "บ้านหว้า",
    "ดอนช้าง",
    "พระลับ",
    "ห้วยทราย",
    "ป่าตัน",
    "วังน้ำเย็น",
    "บึงเนียม",
    "หนองบัว",
    "ท่าศาลา",
    "ทุ่งสง",
    "นาโพธิ์",
    "เวียง",
    "สำราญ",
    "โคกสูง",
    "ดอนหัวฬ่อ",
    "คลองหนึ่ง",
    "บางรัก",
)


@dataclass(frozen=True)
class LetterTopic:
    subject: str
    matter: str  # noun phrase: "กรณี{matter}"
    details: tuple[str, ...]


LETTER_TOPICS = (
    LetterTopic(
        "ขอให้ตรวจสอบข้อเท็จจริงกรณีร้องเรียนการบุกรุกป่าสงวนแห่งชาติ",
        "การบุกรุกพื้นที่ป่าสงวนแห่งชาติ",
        (
            "จากการตรวจสอบเบื้องต้นของพนักงานป่าไม้ พบร่องรอยการตัดไม้ขนาดใหญ่และการก่อสร้างเพิงพักในพื้นที่ประมาณ 30 ไร่",
            "ผู้ร้องเรียนขอให้หน่วยงานที่เกี่ยวข้องดำเนินคดีกับผู้กระทำผิดตามกฎหมาย และฟื้นฟูสภาพป่าให้กลับคืนดังเดิม",
        ),
    ),
    LetterTopic(
        "การให้ความช่วยเหลือผู้ประสบอุทกภัย",
        "ความเดือดร้อนของผู้ประสบอุทกภัย",
        (
            "เนื่องจากเกิดฝนตกหนักต่อเนื่องเป็นเวลาหลายวัน ทำให้น้ำป่าไหลหลากเข้าท่วมพื้นที่การเกษตรและบ้านเรือนของประชาชนในหลายตำบล",
            "ขอให้สำรวจความเสียหายและให้ความช่วยเหลือตามระเบียบกระทรวงการคลังว่าด้วยเงินทดรองราชการเพื่อช่วยเหลือผู้ประสบภัยพิบัติกรณีฉุกเฉิน",
        ),
    ),
    LetterTopic(
        "ขอความร่วมมือเฝ้าระวังการลักลอบเล่นการพนันออนไลน์",
        "การลักลอบเล่นการพนันออนไลน์",
        (
            "ปัจจุบันพบว่ามีการชักชวนเยาวชนให้เข้าเล่นการพนันผ่านเว็บไซต์และแอปพลิเคชันต่าง ๆ เพิ่มมากขึ้น",
            "ขอให้ประสานฝ่ายปกครองและสถานีตำรวจในพื้นที่ ตรวจสอบและปราบปรามอย่างจริงจัง",
        ),
    ),
    LetterTopic(
        "ส่งเรื่องร้องเรียนกรณีนายจ้างค้างจ่ายค่าจ้าง",
        "การค้างจ่ายค่าจ้างของลูกจ้างบริษัทรับเหมาก่อสร้าง",
        (
            "ผู้ร้องเรียนจำนวน 12 รายแจ้งว่า นายจ้างค้างจ่ายค่าจ้างตั้งแต่เดือนมกราคมเป็นต้นมา รวมเป็นเงินกว่าสามแสนบาท",
            "เรื่องดังกล่าวอยู่ในอำนาจหน้าที่ของพนักงานตรวจแรงงานตามพระราชบัญญัติคุ้มครองแรงงาน พ.ศ. 2541",
        ),
    ),
    LetterTopic(
        "ขอเชิญประชุมคณะทำงานแก้ไขปัญหาน้ำเสียในคลองสาธารณะ",
        "น้ำเสียจากสถานประกอบการไหลลงคลองสาธารณะ",
        (
            "คณะทำงานจะประชุมในวันที่ {date} เวลา 09.30 น. ณ ห้องประชุมชั้น 2 ศาลากลางจังหวัด",
            "ขอให้ผู้เข้าร่วมประชุมนำผลการตรวจวัดคุณภาพน้ำและข้อมูลสถานประกอบการในพื้นที่มาประกอบการพิจารณาด้วย",
        ),
    ),
    LetterTopic(
        "การเฝ้าระวังและป้องกันโรคพิษสุนัขบ้า",
        "สุนัขจรจัดทำร้ายประชาชน",
        (
            "ในรอบปีที่ผ่านมาพบผู้ถูกสุนัขกัดและต้องรับวัคซีนป้องกันโรคพิษสุนัขบ้าเพิ่มขึ้นจากปีก่อนร้อยละ 30",
            "ขอให้องค์กรปกครองส่วนท้องถิ่นสำรวจจำนวนสุนัขและแมว และจัดให้มีการฉีดวัคซีนและทำหมันอย่างทั่วถึง",
        ),
    ),
    LetterTopic(
        "แจ้งผลการพิจารณาเรื่องร้องเรียนการให้บริการของโรงพยาบาล",
        "ความล่าช้าในการให้บริการผู้ป่วยนอก",
        (
            "โรงพยาบาลได้ปรับปรุงระบบนัดหมายล่วงหน้าผ่านแอปพลิเคชัน และเพิ่มจุดบริการสำหรับผู้สูงอายุและผู้พิการแล้ว",
            "ผู้ร้องเรียนสามารถติดตามผลการดำเนินการได้ทางไปรษณีย์อิเล็กทรอนิกส์ saraban@example.go.th",
        ),
    ),
    LetterTopic(
        "การจัดระเบียบสถานบริการและร้านคาราโอเกะ",
        "เสียงดังจากร้านคาราโอเกะในยามวิกาล",
        (
            "ขอให้ตรวจสอบใบอนุญาตและเวลาเปิดปิดของสถานบริการในพื้นที่ให้เป็นไปตามกฎหมายว่าด้วยสถานบริการ",
            "หากพบการกระทำความผิด ขอให้ดำเนินการตามกฎหมายโดยเคร่งครัด และรายงานผลให้จังหวัดทราบ",
        ),
    ),
    LetterTopic(
        "ขอรับการสนับสนุนงบประมาณซ่อมแซมไฟฟ้าส่องสว่างทางสาธารณะ",
        "ไฟฟ้าส่องสว่างริมทางหลวงชนบทชำรุด",
        (
            "จากการสำรวจของอำเภอ พบว่ามีเสาไฟฟ้าส่องสว่างชำรุดจำนวน 48 ต้น ในระยะทางประมาณเจ็ดกิโลเมตร",
            "ขอให้พิจารณาจัดสรรงบประมาณเพื่อซ่อมแซมให้ใช้การได้ก่อนฤดูฝน เพื่อป้องกันการเกิดอุบัติเหตุ",
        ),
    ),
    LetterTopic(
        "การตรวจสอบสิทธิเบี้ยยังชีพผู้สูงอายุ",
        "การตกหล่นของรายชื่อผู้มีสิทธิรับเบี้ยยังชีพผู้สูงอายุ",
        (
            "ขอให้ตรวจสอบฐานข้อมูลผู้มีสิทธิในระบบสารสนเทศ และดำเนินการจ่ายเงินย้อนหลังให้แก่ผู้มีสิทธิที่ตกหล่นโดยเร็ว",
            "ทั้งนี้ ได้แนบบัญชีรายชื่อผู้ร้องเรียนจำนวน 27 ราย มาพร้อมหนังสือนี้แล้ว",
        ),
    ),
    LetterTopic(
        "ขอความร่วมมือประชาสัมพันธ์ป้องกันการหลอกลวงทางออนไลน์",
        "การหลอกลวงซื้อขายสินค้าผ่านสื่อสังคมออนไลน์",
        (
            "นับตั้งแต่การแพร่ระบาดของโรค COVID-19 มีผู้เสียหายจากการสั่งซื้อสินค้าออนไลน์แล้วไม่ได้รับสินค้าเพิ่มขึ้นอย่างต่อเนื่อง",
            "ขอให้ประชาสัมพันธ์ช่องทางการร้องเรียนผ่านเว็บไซต์ www.damrongdhama.moi.go.th และสายด่วน 1567 ให้ประชาชนทราบอย่างทั่วถึง",
        ),
    ),
)
LETTER_OPENINGS_REF = (
    "ตามหนังสือที่อ้างถึง {ref_agency}ได้ส่งเรื่องร้องเรียนกรณี{matter} มาเพื่อตรวจสอบข้อเท็จจริงและแก้ไขปัญหา ความละเอียดแจ้งแล้ว นั้น",
    "ตามที่{ref_agency}ได้แจ้งเรื่องร้องเรียนของประชาชนกรณี{matter} ให้ดำเนินการตามอำนาจหน้าที่ ความละเอียดตามหนังสือที่อ้างถึง นั้น",
)
LETTER_OPENINGS = (
    "ด้วย{agency}ได้รับเรื่องร้องเรียนจากประชาชนในพื้นที่กรณี{matter} ซึ่งสร้างความเดือดร้อนให้แก่ประชาชนเป็นจำนวนมาก",
    "ด้วยปรากฏข้อเท็จจริงตามเรื่องร้องเรียนที่ส่งผ่านศูนย์ดำรงธรรมว่า มีปัญหากรณี{matter} เกิดขึ้นในหลายพื้นที่",
)
LETTER_REQUESTS = (
    "ในการนี้ จึงขอให้ดำเนินการตรวจสอบข้อเท็จจริงและแก้ไขปัญหาตามอำนาจหน้าที่ แล้วรายงานผลให้ทราบภายใน 15 วัน นับแต่วันที่ได้รับหนังสือนี้",
    "ในการนี้ จึงขอความร่วมมือท่านพิจารณาดำเนินการในส่วนที่เกี่ยวข้อง และแจ้งผลให้{agency}ทราบด้วย",
)
LETTER_EXTRAS = (
    "เพื่อให้การแก้ไขปัญหาเรื่องร้องเรียนเป็นไปด้วยความรวดเร็วและเป็นธรรม ขอให้แต่งตั้งผู้รับผิดชอบเป็นการเฉพาะ และแจ้งชื่อพร้อมหมายเลขโทรศัพท์ให้ทราบด้วย",
    "ในกรณีที่ไม่สามารถดำเนินการให้แล้วเสร็จภายในกำหนด ขอให้รายงานเหตุผลและความจำเป็นพร้อมแผนการดำเนินงานต่อไป",
    "อนึ่ง ขอให้ถือปฏิบัติตามระเบียบสำนักนายกรัฐมนตรีว่าด้วยการจัดการเรื่องราวร้องทุกข์ พ.ศ. 2552 โดยเคร่งครัด",
    "ทั้งนี้ ขอให้เก็บรักษาข้อมูลส่วนบุคคลของผู้ร้องเรียนไว้เป็นความลับ ตามพระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562",
)
LETTER_CLOSINGS = (
    "จึงเรียนมาเพื่อโปรดทราบและพิจารณาดำเนินการในส่วนที่เกี่ยวข้องต่อไป",
    "จึงเรียนมาเพื่อโปรดทราบ",
    "จึงเรียนมาเพื่อโปรดพิจารณา หากมีข้อขัดข้องประการใด โปรดแจ้งให้ทราบด้วย จะขอบคุณมาก",
)
ENCLOSURES = (
    "สำเนาหนังสือร้องเรียน จำนวน 1 ฉบับ",
    "ภาพถ่ายประกอบเรื่องร้องเรียน จำนวน 5 ภาพ",
    "บัญชีรายชื่อผู้เข้าร่วมประชุม จำนวน 1 ชุด",
    "แบบรายงานผลการดำเนินการ จำนวน 1 ชุด",
)
URGENCIES = ("ด่วน", "ด่วนมาก", "ด่วนที่สุด")


@dataclass(frozen=True)
class Agency:
    name: str  # the agency line as printed
    code: str  # document-number prefix
    address: tuple[str, ...]  # lines under the name, Arabic digits
    signer: tuple[tuple[str, ...], ...]  # alternative position blocks
    unit: str  # owner unit in the footer
    phone: str  # "0 5311 2345"


CENTRAL_AGENCIES = (
    Agency(
        "กรมการปกครอง",
        "มท",
        ("ถนนอัษฎางค์ เขตพระนคร กทม. 10200",),
        (("อธิบดีกรมการปกครอง",), ("รองอธิบดี ปฏิบัติราชการแทน", "อธิบดีกรมการปกครอง")),
        "ส่วนอำนวยความเป็นธรรม",
        "0 2222 4151",
    ),
    Agency(
        "กระทรวงสาธารณสุข",
        "สธ",
        ("ถนนติวานนท์ จังหวัดนนทบุรี 11000",),
        (("ปลัดกระทรวงสาธารณสุข",), ("รองปลัดกระทรวง ปฏิบัติราชการแทน", "ปลัดกระทรวงสาธารณสุข")),
        "กองกลาง สำนักงานปลัดกระทรวง",
        "0 2590 1234",
    ),
    Agency(
        "กรมสวัสดิการและคุ้มครองแรงงาน",
        "รง",
        ("ถนนมิตรไมตรี เขตดินแดง กทม. 10400",),
        (("อธิบดีกรมสวัสดิการและคุ้มครองแรงงาน",),),
        "กองคุ้มครองแรงงาน",
        "0 2245 6789",
    ),
    Agency(
        "กรมป่าไม้",
        "ทส",
        ("ถนนพหลโยธิน เขตจตุจักร กทม. 10900",),
        (("อธิบดีกรมป่าไม้",), ("รองอธิบดี ปฏิบัติราชการแทน", "อธิบดีกรมป่าไม้")),
        "สำนักป้องกันรักษาป่าและควบคุมไฟป่า",
        "0 2561 4292",
    ),
)
PROVINCIAL_AGENCIES = (  # real pairs used as the main examples; others are generated
    ("เชียงใหม่", "ชม", "ถนนโชตนา", "50300", ("แม่ริม", "สันทราย", "หางดง")),
    ("ขอนแก่น", "ขก", "ถนนศูนย์ราชการ", "40000", ("บ้านไผ่", "ชุมแพ", "น้ำพอง")),
    ("นครศรีธรรมราช", "นศ", "ถนนราชดำเนิน", "80000", ("ทุ่งสง", "ปากพนัง", "สิชล")),
    ("อุบลราชธานี", "อบ", "ถนนแจ้งสนิท", "34000", ("วารินชำราบ", "เดชอุดม", "พิบูลมังสาหาร")),
)
RECIPIENTS = (
    "นายอำเภอ{district}",
    "นายกองค์การบริหารส่วนจังหวัด{province}",
    "ผู้อำนวยการสำนักงานทรัพยากรธรรมชาติและสิ่งแวดล้อมจังหวัด{province}",
    "สวัสดิการและคุ้มครองแรงงานจังหวัด{province}",
    "นายแพทย์สาธารณสุขจังหวัด{province}",
    "ผู้บังคับการตำรวจภูธรจังหวัด{province}",
    "ผู้ว่าราชการจังหวัด{province}",
)
STAMP_UNITS = (
    "สำนักงานจังหวัด{province}",
    "ศูนย์ดำรงธรรมจังหวัด{province}",
    "ที่ว่าการอำเภอ{district}",
    "งานสารบรรณ กลุ่มงานอำนวยการ",
)
EMAIL = "saraban@example.go.th"

THAI_MONTHS = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
THAI_MONTHS_ABBR = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")

CATEGORY_RULES = (  # the subject's wording implies its category, in this order
    ("หนี้นอกระบบ", ("หนี้", "ดอกเบี้ย")),
    ("ที่ดิน", ("ที่ดิน", "แนวเขต", "โฉนด", "บุกรุก")),
    ("ความเดือดร้อนรำคาญ", ("เสียงดัง", "กลิ่น", "ควัน", "ฝุ่น")),
    ("สาธารณูปโภค", ("ไฟฟ้า", "ประปา", "ถนน")),
)
# the full category list's further words (after the official's rule below), as the project's
LATER_RULES = (
    ("การพนัน", ("พนัน", "บ่อน")),
    ("คุ้มครองผู้บริโภค", ("ฉ้อโกง", "สินค้าออนไลน์")),
    ("เงินช่วยเหลือ", ("เบี้ยยังชีพ",)),
)


def category_of(subject: str) -> str:
    for category, words in CATEGORY_RULES:
        if any(w in subject for w in words):
            return category
    if "เจ้าหน้าที่" in subject and any(w in subject for w in ("ทุจริต", "เรียกรับ")):
        return "ร้องเรียนเจ้าหน้าที่รัฐ"
    for category, words in LATER_RULES:
        if any(w in subject for w in words):
            return category
    return "เรื่องอื่นๆ"


# ---------------------------------------------------------------------------------------------
# Names, places, numbers, dates
# ---------------------------------------------------------------------------------------------
_THAI_WORD = re.compile(r"^[ก-ฮ][ก-ฺเ-์]{2,9}$")


@functools.cache
def name_pools() -> dict[str, tuple[str, ...]]:
    clean = lambda names: tuple(sorted(n for n in names if _THAI_WORD.match(n)))  # noqa: E731
    return {
        "male": clean(thai_male_names()),
        "female": clean(thai_female_names()),
        "family": clean(thai_family_names()),
    }


@functools.cache
def province_pool() -> tuple[tuple[str, str], ...]:
    return tuple(
        (p["name_th"], p["abbr_th"])
        for p in provinces(details=True)
        if p["name_th"] != "กรุงเทพมหานคร" and re.fullmatch(r"[ก-ฮ]{2}", p["abbr_th"])
    )


@functools.cache
def district_pool() -> tuple[str, ...]:
    text = (Path(corpus_path()) / "volubilis_words_th.txt").read_text(encoding="utf-8")
    names = {line[len("อำเภอ") :] for line in text.splitlines() if line.startswith("อำเภอ")}
    return tuple(
        sorted(n for n in names if re.fullmatch(r"[ก-๛]{3,}", n) and not n.startswith(("เมือง", "ชายแดน", "ใจ")))
    )


@dataclass(frozen=True)
class Person:
    prefix: str
    first: str
    last: str

    @property
    def full(self) -> str:  # "นายสมชาย ใจดี"
        return f"{self.prefix}{self.first} {self.last}"


def person(rng: random.Random) -> Person:
    pools = name_pools()
    if rng.random() < 0.5:
        return Person("นาย", rng.choice(pools["male"]), rng.choice(pools["family"]))
    return Person(rng.choice(("นาง", "นางสาว")), rng.choice(pools["female"]), rng.choice(pools["family"]))


def citizen_id(rng: random.Random) -> str:
    digits = [rng.randint(1, 8)] + [rng.randint(0, 9) for _ in range(11)]
    check = (11 - sum(d * (13 - i) for i, d in enumerate(digits)) % 11) % 10
    return "".join(map(str, [*digits, check]))


def format_citizen_id(cid: str) -> str:
    return f"{cid[0]}-{cid[1:5]}-{cid[5:10]}-{cid[10:12]}-{cid[12]}"


def mobile(rng: random.Random) -> str:
    return "0" + rng.choice("689") + "".join(str(rng.randint(0, 9)) for _ in range(8))


def format_mobile(phone: str) -> str:
    return f"{phone[:3]}-{phone[3:6]}-{phone[6:]}"


def random_date(rng: random.Random, be_from: int = 2560, be_to: int = 2569) -> dt.date:
    year = rng.randint(be_from, be_to) - 543
    month = rng.randint(1, 12)
    return dt.date(year, month, rng.randint(1, calendar.monthrange(year, month)[1]))


def thai_date(d: dt.date) -> str:  # "12 เมษายน 2562"
    return f"{d.day} {THAI_MONTHS[d.month - 1]} {d.year + 543}"


def stamp_date(d: dt.date, short_year: bool) -> str:  # "18 เม.ย. 62" / "18 เม.ย. 2562"
    year = str(d.year + 543)
    return f"{d.day} {THAI_MONTHS_ABBR[d.month - 1]} {year[2:] if short_year else year}"


ARABIC_TO_THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def localise_digits(text: str, thai: bool) -> str:
    """Thai digits everywhere except inside Latin tokens (COVID-19, e-mail, web addresses)."""
    if not thai:
        return text
    return re.sub(
        r"\S+", lambda m: m.group() if re.search(r"[A-Za-z]", m.group()) else m.group().translate(ARABIC_TO_THAI), text
    )


def doc_number(rng: random.Random, code: str) -> str:  # "มท 0205.3/ว 4777"
    dept = f"0{rng.randint(1, 399):03d}"
    if rng.random() < 0.8:
        dept += f".{rng.randint(1, 9)}"
    circular = "ว " if rng.random() < 0.5 else ""
    return f"{code} {dept}/{circular}{rng.randint(1, 29999)}"


# ---------------------------------------------------------------------------------------------
# Line wrapping: break at spaces or between Thai words (pythainlp newmm), never elsewhere
# ---------------------------------------------------------------------------------------------
_THAI_LETTER = re.compile(r"[ก-ฮะ-ฺเ-ๅ็-๎]")
_NO_LINE_START = "ๆฯ"


@functools.lru_cache(maxsize=4096)
def _pieces(chunk: str, keep: tuple[str, ...] = ()) -> tuple[str, ...]:
    """A space-free chunk split into unbreakable pieces (Thai words, or the whole chunk); the words
    in keep (names of people and places) are never split."""
    if not _THAI_LETTER.search(chunk):
        return (chunk,)
    inside = {
        o for word in keep if word for m in re.finditer(re.escape(word), chunk) for o in range(m.start() + 1, m.end())
    }
    out: list[str] = []
    offset = 0
    for tok in word_tokenize(chunk, engine="newmm", keep_whitespace=False):
        breakable = (
            out
            and offset not in inside
            and _THAI_LETTER.fullmatch(out[-1][-1])
            and _THAI_LETTER.fullmatch(tok[0])
            and tok[0] not in _NO_LINE_START + "ะาำๅ"
            and unicodedata.combining(tok[0]) == 0
            and out[-1][-1] not in "เแโใไ"
        )
        if breakable or not out:
            out.append(tok)
        else:
            out[-1] += tok
        offset += len(tok)
    assert "".join(out) == chunk
    return tuple(out)


def wrap(
    text: str, face: Face, first_width: float, rest_width: float | None = None, keep: tuple[str, ...] = ()
) -> list[str]:
    """Greedy wrap; returns the printed lines (a broken space disappears)."""
    rest_width = first_width if rest_width is None else rest_width
    chunks = text.split(" ")
    # keep a repetition mark with its word: "ต่าง ๆ" never breaks before "ๆ"
    words: list[list[str]] = []
    for chunk in chunks:
        if words and chunk and chunk[0] in _NO_LINE_START:
            words[-1][-1] += " " + chunk
        else:
            words.append(list(_pieces(chunk, keep)) if chunk else [""])
    lines, line = [], ""
    for w_i, pieces in enumerate(words):
        for p_i, piece in enumerate(pieces):
            sep = " " if (p_i == 0 and w_i > 0 and line) else ""
            candidate = line + sep + piece
            width = first_width if not lines else rest_width
            if line and face.width(candidate) > width:
                lines.append(line)
                line = piece
            else:
                line = candidate
    if line:
        lines.append(line)
    return lines


# ---------------------------------------------------------------------------------------------
# Layout: rows of positioned cells, paginated
# ---------------------------------------------------------------------------------------------
@dataclass
class Cell:
    x: float
    text: str
    face: Face


@dataclass
class Row:
    cells: list[Cell]
    pitch: float
    gap: float = 0.0  # extra space above, pixels
    y: float | None = None  # absolute baseline on page 1 (letter head)
    signature: bool = False  # a handwritten signature goes in the gap above
    keep_with_next: bool = False

    @property
    def truth(self) -> str:
        return " ".join(c.text for c in self.cells)


@dataclass
class Stamp:
    lines: list[str]
    colour: tuple[int, int, int]
    angle: float


@dataclass
class PlacedRow:
    baseline: float
    row: Row


@dataclass
class PageLayout:
    rows: list[PlacedRow]
    stamp: Stamp | None = None

    @property
    def truth(self) -> str:
        lines = (self.stamp.lines if self.stamp else []) + [p.row.truth for p in self.rows]
        return "\n".join(lines)


def text_row(x: float, text: str, face: Face, gap: float = 0.0, **kw) -> Row:
    return Row([Cell(x, text, face)], face.pitch, gap, **kw)


def mid_row(text: str, face: Face, gap: float = 0.0, **kw) -> Row:
    """A row starting at the middle of the page (pulled left if it would pass the margin)."""
    return text_row(min(MID_X, RIGHT - face.width(text)), text, face, gap, **kw)


def centred_row(text: str, face: Face, centre: float = PAGE_W / 2, gap: float = 0.0, **kw) -> Row:
    return text_row(centre - face.width(text) / 2, text, face, gap, **kw)


def paragraph(
    text: str,
    face: Face,
    x: float = LEFT,
    first_indent: float = 0.0,
    hang: float = 0.0,
    gap: float = 0.0,
    keep: tuple[str, ...] = (),
) -> list[Row]:
    """first line at x+first_indent, continuation lines at x+hang."""
    lines = wrap(text, face, RIGHT - x - first_indent, RIGHT - x - hang, keep)
    return [
        text_row(x + (first_indent if i == 0 else hang), line, face, gap if i == 0 else 0.0)
        for i, line in enumerate(lines)
    ]


def labelled(label: str, text: str, face: Face, gap: float = 0.0, keep: tuple[str, ...] = ()) -> list[Row]:
    """'เรื่อง ...' with continuation lines hanging under the text."""
    return paragraph(f"{label} {text}", face, hang=face.width(label + " "), gap=gap, keep=keep)


def paginate(rows: list[Row], page_header) -> list[PageLayout]:
    """Flow rows onto pages; page_header(n) gives the rows printed at the top of page n >= 2.
    A run of keep_with_next rows (closing, signature, footer) is never split."""
    pages = [PageLayout([])]
    cursor = TOP
    for i, row in enumerate(rows):
        if row.y is not None:
            cursor = row.y - row.pitch
        if pages[-1].rows and cursor + block_height(rows, i) > BOTTOM:
            pages.append(PageLayout([]))
            cursor = TOP
            for head in page_header(len(pages)):
                cursor += head.pitch
                pages[-1].rows.append(PlacedRow(cursor, head))
            cursor += pages[-1].rows[-1].row.pitch * 0.5 if pages[-1].rows else 0
            baseline = cursor + row.pitch
        else:
            baseline = cursor + row.gap + row.pitch
        pages[-1].rows.append(PlacedRow(baseline, row))
        cursor = baseline
    return pages


def block_height(rows: list[Row], i: int) -> float:
    """Height of row i, or of the whole keep-together run that starts at row i."""
    if i > 0 and rows[i - 1].keep_with_next:
        return rows[i].gap + rows[i].pitch
    height, j = 0.0, i
    while True:
        height += rows[j].gap + rows[j].pitch
        if not rows[j].keep_with_next or j + 1 == len(rows):
            return height
        j += 1


# ---------------------------------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------------------------------
@dataclass
class DocSpec:
    id: str
    kind: str  # petition | letter
    source: str  # scan | born-digital
    level: str  # clean | photo | fax | copy | digital
    family: str
    pt: int
    thai_digits: bool
    long: bool
    topic: int = 0  # index into PETITION_TOPICS / LETTER_TOPICS
    stamp: str | None = None  # red | blue
    legacy: bool = False


@dataclass
class Document:
    spec: DocSpec
    fields: dict
    pages: list[PageLayout]
    faces: dict[str, Face]


def place(rng: random.Random) -> tuple[str, str, str]:
    province, _ = rng.choice(province_pool())
    return province, rng.choice(district_pool()), rng.choice(TAMBONS)


def house_number(rng: random.Random) -> str:
    n = str(rng.randint(1, 399))
    return n + (f"/{rng.randint(1, 30)}" if rng.random() < 0.4 else "")


def build_petition(spec: DocSpec, rng: random.Random) -> Document:
    faces = faces_for(spec.family, spec.pt)
    body, loc = faces["body"], lambda s: localise_digits(s, spec.thai_digits)
    topic = PETITION_TOPICS[spec.topic]
    subject = rng.choice(topic.subjects)
    assert category_of(subject) == topic.category, subject
    who, cid, phone = person(rng), citizen_id(rng), mobile(rng)
    province, district, tambon = place(rng)
    date = random_date(rng)
    age = rng.randint(20, 85)
    keep = (who.first, who.last, tambon, district, province)
    house, moo = house_number(rng), rng.randint(1, 15)
    written_at = rng.choice(
        (f"ศูนย์ดำรงธรรมจังหวัด{province}", f"ที่ว่าการอำเภอ{district}", f"บ้านเลขที่ {house} หมู่ที่ {moo} ตำบล{tambon}")
    )
    to = rng.choice(
        (
            f"ผู้ว่าราชการจังหวัด{province}",
            f"ผู้อำนวยการศูนย์ดำรงธรรมจังหวัด{province}",
            f"นายกองค์การบริหารส่วนตำบล{tambon}",
            f"นายอำเภอ{district}",
        )
    )
    g = body.pitch * 0.35
    rows = [
        centred_row("คำร้องเรียน/ร้องทุกข์", faces["title"]),
        mid_row(loc(f"เขียนที่ {written_at}"), body, gap=g),
        mid_row(loc(f"วันที่ {date.day} เดือน {THAI_MONTHS[date.month - 1]} พ.ศ. {date.year + 543}"), body),
        *labelled("เรื่อง", subject, body, gap=g),
        *labelled("เรียน", to, body, keep=keep),
    ]
    intro = (
        f"ข้าพเจ้า {who.full} อายุ {age} ปี เลขประจำตัวประชาชน {format_citizen_id(cid)} "
        f"อยู่บ้านเลขที่ {house} หมู่ที่ {moo} ตำบล{tambon} อำเภอ{district} "
        f"จังหวัด{province} โทรศัพท์ {format_mobile(phone)}"
    )
    rows += paragraph(loc(intro), body, first_indent=INDENT, gap=g, keep=keep)
    for text in petition_body(topic, date, spec.long, rng):
        rows += paragraph(loc(text), body, first_indent=INDENT)
    rows += paragraph(loc(rng.choice(PETITION_CLOSINGS)), body, first_indent=INDENT)
    rows += keep_together(
        [
            text_row(MID_X, "ขอแสดงความนับถือ", body, gap=g),
            text_row(MID_X - body.px * 2, f"ลงชื่อ {who.first} {who.last} ผู้ร้อง", body, gap=body.pitch),
            text_row(MID_X, f"({who.full})", body),
        ]
    )
    fields = {
        "date": date.isoformat(),
        "subject": subject,
        "citizen_id": cid,
        "name": who.full,
        "phone": phone,
        "province": province,
        "district": district,
        "category": topic.category,
    }
    return Document(spec, fields, paginate(rows, lambda n: []), faces)


def petition_body(topic: Topic, date: dt.date, long: bool, rng: random.Random) -> list[str]:
    texts = list(topic.sentences)
    if len(texts) > 2 and not long:
        texts = texts[:2] if rng.random() < 0.5 else texts
    if long:
        events = sorted(rng.sample(range(20, 400), len(PETITION_EVENTS)), reverse=True)
        for i, (template, days) in enumerate(zip(PETITION_EVENTS, events), 1):
            texts.append(f"{i}. " + template.format(date=thai_date(date - dt.timedelta(days=days))))
        texts += rng.sample(PETITION_SUPPORT, 4)
    else:
        texts += rng.sample(PETITION_SUPPORT, rng.randint(0, 2))
    return texts


def provincial_agency(rng: random.Random) -> tuple[Agency, str, str]:
    """(agency, its province, a district of it) - a provincial hall or a district office."""
    if rng.random() < 0.6:
        province, code, road, postcode, districts = rng.choice(PROVINCIAL_AGENCIES)
        district = rng.choice(districts)
    else:
        province, code = rng.choice(province_pool())
        road, postcode = "ถนนศูนย์ราชการ", f"{rng.randint(10, 96)}000"
        district = rng.choice(district_pool())
    phone = f"0 {rng.randint(2, 7)}{rng.randint(100, 999)} {rng.randint(1000, 9999)}"
    governor = f"ผู้ว่าราชการจังหวัด{province}"
    if rng.random() < 0.7:
        agency = Agency(
            f"ศาลากลางจังหวัด{province}",
            code,
            (f"{road} {code} {postcode}",),
            ((governor,), ("รองผู้ว่าราชการจังหวัด ปฏิบัติราชการแทน", governor)),
            f"สำนักงานจังหวัด{province} กลุ่มงานศูนย์ดำรงธรรม",
            phone,
        )
    else:
        agency = Agency(
            f"ที่ว่าการอำเภอ{district}",
            code,
            (f"อำเภอ{district} จังหวัด{province} {postcode[:2]}{rng.randint(110, 190)}",),
            ((f"นายอำเภอ{district}",),),
            f"ศูนย์ดำรงธรรมอำเภอ{district}",
            phone,
        )
    return agency, province, district


def build_letter(spec: DocSpec, rng: random.Random) -> Document:
    faces = faces_for(spec.family, spec.pt)
    body, loc = faces["body"], lambda s: localise_digits(s, spec.thai_digits)
    if rng.random() < 0.35:
        agency = rng.choice(CENTRAL_AGENCIES)
        province, _ = rng.choice(province_pool())
        district = rng.choice(district_pool())
    else:
        agency, province, district = provincial_agency(rng)
    topic = LETTER_TOPICS[spec.topic]
    date = random_date(rng)
    doc_no = doc_number(rng, agency.code)
    to = rng.choice(RECIPIENTS).format(province=province, district=district)
    urgency = rng.choice(URGENCIES) if rng.random() < 0.4 else ""
    ref_agency = rng.choice((*CENTRAL_AGENCIES, agency))
    n_refs = rng.choices((0, 1, 2), (15, 65, 20))[0]
    refs = [(doc_number(rng, ref_agency.code), date - dt.timedelta(days=rng.randint(5, 60))) for _ in range(n_refs)]
    refs.sort(key=lambda r: r[1])
    g = body.pitch * 0.25

    rows: list[Row] = []
    if urgency:
        rows.append(text_row(LEFT, urgency, faces["urgent"], y=URGENCY_Y))
    rows += head_rows(loc(f"ที่ {doc_no}"), agency.name, [loc(a) for a in agency.address], body)
    rows.append(mid_row(loc(thai_date(date)), body, gap=g))
    rows += labelled("เรื่อง", topic.subject, body, gap=g)
    keep = (province, district, agency.name, ref_agency.name)
    rows += labelled("เรียน", to, body, gap=g, keep=keep)
    rows += reference_rows(refs, ref_agency.name, body, loc, g)
    if rng.random() < 0.4:
        rows += list_rows("สิ่งที่ส่งมาด้วย", rng.sample(ENCLOSURES, rng.randint(1, 2)), body, loc, g)
    for text in letter_body(topic, agency, ref_agency, refs, date, spec.long, rng):
        rows += paragraph(loc(text), body, first_indent=INDENT, gap=g, keep=keep)
    rows += keep_together(
        signature_block(person(rng), rng.choice(agency.signer), body, g) + footer_rows(agency, body, loc)
    )
    pages = paginate(rows, lambda n: [centred_row(loc(f"-{n}-"), body)])
    fields = {
        "doc_no": doc_no,
        "date": date.isoformat(),
        "subject": topic.subject,
        "to": to,
        "urgency": urgency,
        "agency": agency.name,
        "references": [r[0] for r in refs],
    }
    if spec.stamp:
        stamp, fields["receipt_no"] = receipt_stamp(spec, date, province, district, rng)
        pages[0].stamp = stamp
    return Document(spec, fields, pages, faces)


def signature_block(signer: Person, position: tuple[str, ...], face: Face, gap: float) -> list[Row]:
    closing = "ขอแสดงความนับถือ"
    centre = MID_X + face.width(closing) / 2
    return [
        text_row(MID_X, closing, face, gap=gap),
        centred_row(f"({signer.full})", face, centre=centre, gap=face.pitch * 1.8, signature=True),
        *(centred_row(line, face, centre=centre) for line in position),
    ]


def footer_rows(agency: Agency, face: Face, loc) -> list[Row]:
    """The owner unit and its contacts at the foot of a letter."""
    return [
        text_row(LEFT, agency.unit, face, gap=face.pitch * 0.4),
        text_row(LEFT, loc(f"โทร. {agency.phone}"), face),
        text_row(LEFT, f"ไปรษณีย์อิเล็กทรอนิกส์ {EMAIL}", face),
    ]


def keep_together(rows: list[Row]) -> list[Row]:
    for row in rows[:-1]:
        row.keep_with_next = True
    return rows


def head_rows(number: str, agency: str, address: list[str], face: Face) -> list[Row]:
    """The two-column head: the number left, the agency and its address right, sharing rows;
    an address line too long for the right column wraps inside it."""
    right_w = max(face.width(t) for t in [agency, *address])
    right_x = max(min(RIGHT - right_w, round(PAGE_W * 0.58)), LEFT + face.width(number) + face.px * 2)
    right_x = max(min(right_x, RIGHT - face.width(agency)), LEFT + face.width(number) + face.px)
    rows = [Row([Cell(LEFT, number, face), Cell(right_x, agency, face)], face.pitch, y=LETTER_HEAD_Y)]
    rows += [text_row(right_x, line, face) for text in address for line in wrap(text, face, RIGHT - right_x)]
    return rows


def reference_rows(refs, ref_agency: str, face: Face, loc, gap: float) -> list[Row]:
    items = [f"หนังสือ{ref_agency} ที่ {no} ลงวันที่ {thai_date(d)}" for no, d in refs]
    return list_rows("อ้างถึง", items, face, loc, gap) if items else []


def list_rows(label: str, items: list[str], face: Face, loc, gap: float) -> list[Row]:
    """'label item' or 'label 1. item / 2. item' with the items aligned after the label."""
    if len(items) == 1:
        return labelled(label, loc(items[0]), face, gap=gap)
    hang = face.width(label + " ")
    rows: list[Row] = []
    for i, item in enumerate(items, 1):
        text = loc(f"{i}. {item}")
        if i == 1:
            rows += paragraph(f"{label} {text}", face, hang=hang, gap=gap)
        else:
            rows += paragraph(text, face, x=LEFT + hang)
    return rows


def letter_body(
    topic: LetterTopic, agency: Agency, ref_agency: Agency, refs, date: dt.date, long: bool, rng: random.Random
) -> list[str]:
    opening = rng.choice(LETTER_OPENINGS_REF if refs else LETTER_OPENINGS)
    meeting = thai_date(date + dt.timedelta(days=rng.randint(7, 30)))
    details = [d.format(date=meeting) for d in topic.details]
    paras = [opening.format(agency=agency.name, ref_agency=ref_agency.name, matter=topic.matter)]
    if long:
        paras += details + rng.sample(LETTER_EXTRAS, 3)
    else:
        paras.append(rng.choice(details))
    paras.append(rng.choice(LETTER_REQUESTS).format(agency=agency.name))
    paras.append(rng.choice(LETTER_CLOSINGS))
    return paras


def receipt_stamp(spec: DocSpec, date: dt.date, province: str, district: str, rng: random.Random) -> tuple[Stamp, str]:
    receipt_no = str(rng.randint(1, 9999))
    received = date + dt.timedelta(days=rng.randint(1, 9))
    thai = rng.random() < 0.5
    lines = [
        rng.choice(STAMP_UNITS).format(province=province, district=district),
        localise_digits(f"เลขรับ {receipt_no}", thai),
        localise_digits(f"วันที่ {stamp_date(received, rng.random() < 0.5)}", thai),
        localise_digits(f"เวลา {rng.randint(8, 16):02d}.{rng.randint(0, 59):02d} น.", thai),
    ]
    colour = (196, 28, 36) if spec.stamp == "red" else (28, 52, 170)
    return Stamp(lines, colour, rng.uniform(1.0, 3.0) * rng.choice((-1, 1))), receipt_no


# ---------------------------------------------------------------------------------------------
# Raster rendering: text page plus ink overlays (signature: on the original; stamp: on receipt)
# ---------------------------------------------------------------------------------------------
@dataclass
class Overlay:
    alpha: Image.Image  # L mask
    x: int
    y: int
    colour: tuple[int, int, int]


def render_text(page: PageLayout, ink: int) -> Image.Image:
    img = Image.new("L", (PAGE_W, PAGE_H), 255)
    draw = ImageDraw.Draw(img)
    for placed in page.rows:
        for cell in placed.row.cells:
            cell.face.draw(draw, cell.x, placed.baseline, cell.text, ink)
    return img


def cell_boxes(page: PageLayout) -> list[tuple[float, float, float, float]]:
    return [
        (c.x, p.baseline - c.face.px, c.x + c.face.width(c.text), p.baseline + 0.4 * c.face.px)
        for p in page.rows
        for c in p.row.cells
    ]


def signature_paths(page: PageLayout, rng: random.Random) -> list[np.ndarray]:
    """A handwritten signature (page coordinates, N x 2) in the gap above each signature row."""
    paths = []
    for i, placed in enumerate(page.rows):
        if not placed.row.signature or i == 0:
            continue
        cell = placed.row.cells[0]
        top = page.rows[i - 1].baseline + cell.face.px * 0.6
        h = max(40.0, placed.baseline - cell.face.px * 1.1 - top)
        w = cell.face.width(cell.text) * 0.8
        t = np.linspace(0, 1, 300)
        waves = sum(
            rng.uniform(0.15, 0.35) * np.sin(2 * np.pi * (rng.uniform(2, 7) * t + rng.random())) for _ in range(3)
        )
        xs = cell.x + w * (0.2 + 0.9 * t + 0.04 * np.sin(2 * np.pi * rng.uniform(5, 9) * t))
        ys = top + h * np.clip(0.5 + 0.9 * waves, 0.05, 0.95)
        paths.append(np.stack([xs, ys], axis=1))
    return paths


SIGNATURE_INK = (22, 38, 120)


def signature_overlays(paths: list[np.ndarray]) -> list[Overlay]:
    out = []
    for path in paths:
        x0, y0 = np.floor(path.min(axis=0)).astype(int) - 6
        w, h = (np.ceil(path.max(axis=0)).astype(int) + 6) - (x0, y0)
        mask = Image.new("L", (int(w), int(h)), 0)
        ImageDraw.Draw(mask).line([tuple(p) for p in path - (x0, y0)], fill=230, width=5, joint="curve")
        out.append(Overlay(mask.filter(ImageFilter.GaussianBlur(0.8)), int(x0), int(y0), SIGNATURE_INK))
    return out


def stamp_overlay(stamp: Stamp, face: Face, rng: random.Random, avoid) -> Overlay:
    pad, pitch = int(face.px * 0.5), face.pitch
    widths = [face.width(line) for line in stamp.lines]
    w = int(max(widths) + 2 * pad)
    h = int(pitch * len(stamp.lines) + 2 * pad)
    mask = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(mask)
    draw.rectangle((2, 2, w - 3, h - 3), outline=255, width=6)
    draw.line((2, pad + pitch * 1.1, w - 3, pad + pitch * 1.1), fill=255, width=4)
    for i, line in enumerate(stamp.lines):
        x = (w - widths[i]) / 2 if i == 0 else pad
        face.draw(draw, x, pad + pitch * (i + 0.78), line, 255)
    texture = rng_array(rng).uniform(0.55, 1.0, (h // 6 + 1, w // 6 + 1)).astype(np.float32)
    texture = cv2.resize(texture, (w, h), interpolation=cv2.INTER_LINEAR)
    mask = Image.fromarray((np.asarray(mask, np.float32) * texture * 0.92).astype(np.uint8))
    mask = mask.rotate(stamp.angle, resample=Image.BICUBIC, expand=True)
    x, y = RIGHT + 40 - mask.width, 60 + rng.randint(0, 30)
    box = (x, y, x + mask.width, y + mask.height)
    assert not any(b[0] < box[2] and box[0] < b[2] and b[1] < box[3] and box[1] < b[3] for b in avoid), (
        "stamp overlaps text"
    )
    return Overlay(mask, x, y, stamp.colour)


def composite(img: np.ndarray, overlays: list[Overlay]) -> np.ndarray:
    """Multiply coloured ink onto an RGB float image (H, W, 3) in place."""
    for ov in overlays:
        a = np.asarray(ov.alpha, np.float32)[..., None] / 255.0
        y0, x0 = max(ov.y, 0), max(ov.x, 0)
        y1, x1 = min(ov.y + a.shape[0], PAGE_H), min(ov.x + a.shape[1], PAGE_W)
        a = a[y0 - ov.y : y1 - ov.y, x0 - ov.x : x1 - ov.x]
        ink = np.asarray(ov.colour, np.float32) / 255.0
        region = img[y0:y1, x0:x1]
        img[y0:y1, x0:x1] = region * (1 - a) + region * ink * a
    return img


def rng_array(rng: random.Random) -> np.random.Generator:
    return np.random.default_rng(rng.getrandbits(64))


# ---------------------------------------------------------------------------------------------
# Degradations (float32 arrays, 0..255; grey (H, W) or colour (H, W, 3))
# ---------------------------------------------------------------------------------------------
def as_rgb(grey: np.ndarray) -> np.ndarray:
    return np.repeat(grey[..., None], 3, axis=2)


def to_grey(img: np.ndarray) -> np.ndarray:
    return img if img.ndim == 2 else img @ np.array([0.299, 0.587, 0.114], np.float32)


def light_noise(img: np.ndarray, nrng: np.random.Generator) -> np.ndarray:
    """A good flatbed scan: nothing but a little sensor noise."""
    return img + nrng.normal(0, 2.5, img.shape).astype(np.float32)


def photo(img: np.ndarray, nrng: np.random.Generator) -> np.ndarray:
    """Phone photo: rotation + perspective on a dark desk, uneven light, soft focus, sensor noise."""
    h, w = img.shape[:2]
    angle = math.radians(nrng.uniform(0.5, 2.5) * nrng.choice((-1, 1)))
    scale = nrng.uniform(0.93, 0.97)
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    centre = np.float32([w / 2, h / 2])
    rot = np.float32([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    dst = (src - centre) @ rot.T * scale + centre + nrng.uniform(-0.012, 0.012, (4, 2)).astype(np.float32) * w
    desk = (70.0, 62.0, 55.0) if img.ndim == 3 else 64.0
    warped = cv2.warpPerspective(
        img,
        cv2.getPerspectiveTransform(src, dst.astype(np.float32)),
        (w, h),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=desk,
    )
    yy, xx = np.mgrid[0:h:8, 0:w:8].astype(np.float32)
    gx, gy = nrng.uniform(-1, 1, 2)
    light = 1.0 - 0.22 * ((xx / w - 0.5) * gx + (yy / h - 0.5) * gy + 0.5)
    cx, cy = nrng.uniform(0.2, 0.8) * w, nrng.uniform(0.2, 0.8) * h
    light -= 0.18 * (((xx - cx) / w) ** 2 + ((yy - cy) / h) ** 2)
    light = cv2.resize(light.astype(np.float32), (w, h), interpolation=cv2.INTER_LINEAR)
    out = warped * (light[..., None] if img.ndim == 3 else light)
    out = cv2.GaussianBlur(out, (0, 0), nrng.uniform(0.7, 1.1))
    return out + nrng.normal(0, 5, out.shape).astype(np.float32)


def fax(img: np.ndarray, nrng: np.random.Generator) -> Image.Image:
    """200 dpi fax: mild blur, hard threshold, lost scan lines, pixel dropout and speckle."""
    grey = to_grey(img)
    size = (round(PAGE_W * FAX_DPI / DPI), round(PAGE_H * FAX_DPI / DPI))
    small = cv2.GaussianBlur(cv2.resize(grey, size, interpolation=cv2.INTER_AREA), (0, 0), 0.6)
    black = small < nrng.uniform(150, 175)
    black &= nrng.random(black.shape) > 0.02  # toner/thermal dropout
    for row in nrng.choice(black.shape[0], int(black.shape[0] * 0.004), replace=False):
        start = nrng.integers(0, black.shape[1] // 2)
        black[row, start : start + nrng.integers(200, black.shape[1])] = False  # lost line
    black |= nrng.random(black.shape) < 0.0006  # speckle
    blobs = np.zeros_like(black)
    blobs[nrng.integers(0, size[1], 60), nrng.integers(0, size[0], 60)] = True
    black |= cv2.dilate(blobs.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    return Image.fromarray(np.where(black, 0, 255).astype(np.uint8)).convert("1")


def photocopy(grey: np.ndarray, nrng: np.random.Generator) -> np.ndarray:
    """Photocopy: bolder text, grey background with drum streaks, a dark edge, salt and toner specks."""
    h, w = grey.shape
    bold = cv2.erode(grey, np.ones((3, 3), np.uint8))
    background = nrng.uniform(200, 220)
    out = background * (bold / 255.0) ** 1.6
    for _ in range(nrng.integers(3, 9)):
        x, width = nrng.integers(0, w - 20), nrng.integers(2, 14)
        profile = cv2.resize(nrng.uniform(5, 45, (16, 1)).astype(np.float32), (1, h))
        out[:, x : x + width] -= profile
    edge = nrng.integers(10, 60)
    side = nrng.choice(("left", "right", "top"))
    band = {"left": np.s_[:, :edge], "right": np.s_[:, w - edge :], "top": np.s_[:edge, :]}[side]
    out[band] = np.minimum(out[band], nrng.uniform(40, 90))
    out += nrng.normal(0, 6, out.shape).astype(np.float32)
    noise = nrng.random(out.shape)
    out[noise < 0.002] = 255
    out[noise > 0.9993] = 35
    return out


def capture(doc: Document, page_no: int, rng: random.Random) -> Image.Image:
    """The scanned image of one page at the document's degradation level."""
    page, spec = doc.pages[page_no], doc.spec
    nrng = rng_array(rng)
    ink = rng.randint(18, 45)
    text = np.asarray(render_text(page, ink), np.float32)
    signature = signature_overlays(signature_paths(page, rng))
    stamp = [stamp_overlay(page.stamp, doc.faces["stamp"], rng, cell_boxes(page))] if page.stamp else []
    if spec.level == "copy":
        original = to_grey(composite(as_rgb(text), signature))
        img = composite(as_rgb(photocopy(original, nrng)), stamp)
    else:
        img = composite(as_rgb(text), signature + stamp)
    if spec.level == "fax":
        return fax(img, nrng)
    img = (photo if spec.level == "photo" else light_noise)(img, nrng)
    out = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
    return out if spec.stamp else out.convert("L")  # colour only where a coloured stamp is


# ---------------------------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------------------------
FORMATS = {  # level -> formats cycled through (multi-page documents skip png/jpg)
    "clean": ("pdf", "png", "tiff"),
    "photo": ("jpg", "pdf", "jpg", "png"),
    "fax": ("tiff", "pdf", "png"),
    "copy": ("pdf", "tiff", "jpg", "png"),
}
MULTI_PAGE = ("pdf", "tiff")
FIXED_DATE = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
A4_PT = (595.28, 841.89)


def jpeg_bytes(img: Image.Image, quality: int) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality, dpi=(DPI, DPI))
    return buf.getvalue()


def new_pdf() -> FPDF:
    pdf = FPDF(unit="pt", format=A4_PT)
    pdf.set_auto_page_break(False)
    pdf.set_creation_date(FIXED_DATE)
    pdf.c_margin = 0
    return pdf


def save_scan(images: list[Image.Image], fmt: str, path: Path, level: str, rng: random.Random) -> None:
    """Write the page images: PDF with JPEG inside (CCITT G4 for fax), TIFF with JPEG or G4
    compression, JPEG, or PNG.  A photo is the camera's JPEG (quality 35-55) whatever the container."""
    dpi = FAX_DPI if level == "fax" else DPI
    quality = rng.randint(35, 55) if level == "photo" else 90
    bilevel = images[0].mode == "1"
    jpegs = (
        None
        if bilevel
        else [jpeg_bytes(im, quality) for im in images]
        if (level == "photo" or fmt in ("pdf", "jpg"))
        else None
    )
    if level == "photo":
        images = [Image.open(io.BytesIO(b)) for b in jpegs]
    if fmt == "pdf":
        pdf = new_pdf()
        for i, im in enumerate(images):
            pdf.add_page()
            pdf.image(im if bilevel else io.BytesIO(jpegs[i]), x=0, y=0, w=A4_PT[0], h=A4_PT[1])
        pdf.output(str(path))
    elif fmt == "tiff":
        options = {"compression": "group4"} if bilevel else {"compression": "jpeg", "quality": quality}
        images[0].save(path, save_all=True, append_images=images[1:], dpi=(dpi, dpi), **options)
    elif fmt == "jpg":
        path.write_bytes(jpegs[0])
    else:
        images[0].save(path, "PNG", dpi=(dpi, dpi), compress_level=3)


def write_text_pdf(doc: Document, path: Path, rng: random.Random) -> None:
    """Born-digital PDF: the same layout as real shaped text (fpdf2 + HarfBuzz).  As in the dev
    corpus's fpdf2 PDFs, a glyph HarfBuzz splits off a cluster (the second half of SARA AM) has no
    ToUnicode entry, and marks are placed by their own text matrices."""
    pdf = new_pdf()
    pdf.set_text_shaping(True)
    k = 72 / DPI
    families: dict[str, str] = {}
    for page in doc.pages:
        pdf.add_page()
        for placed in page.rows:
            for cell in placed.row.cells:
                x = cell.x
                for font_path, run in cell.face.runs(cell.text):
                    if font_path not in families:
                        families[font_path] = Path(font_path).stem.replace("-", "")
                        pdf.add_font(families[font_path], "", font_path)
                    pdf.set_font(families[font_path], size=cell.face.pt)
                    pdf.set_xy(x * k, placed.baseline * k - 0.3 * cell.face.pt)
                    pdf.cell(h=0, text=run)
                    x += pil_font(font_path, cell.face.px).getlength(run)
        for stroke in signature_paths(page, rng):
            pdf.set_draw_color(*SIGNATURE_INK)
            pdf.set_line_width(1.2)
            pdf.polyline([(x * k, y * k) for x, y in stroke[::3]])
    pdf.output(str(path))


# ---------------------------------------------------------------------------------------------
# Legacy text layer: Thai marks mapped to the U+F700 presentation forms in the ToUnicode CMap
# ---------------------------------------------------------------------------------------------
ASCENDERS = "ปฝฟฬ"
UPPER_FORMS = {
    "\u0e34": 0xF701,
    "\u0e35": 0xF702,
    "\u0e36": 0xF703,
    "\u0e37": 0xF704,
    "\u0e31": 0xF710,
    "\u0e4d": 0xF711,
    "\u0e47": 0xF712,
}
TONES = "\u0e48\u0e49\u0e4a\u0e4b\u0e4c"
LOWER_FORMS = {"\u0e38": 0xF718, "\u0e39": 0xF719, "\u0e3a": 0xF71A}
TAILLESS = {"ญ": 0xF70F, "ฐ": 0xF700}


def legacy_forms(chars: list[str]) -> list[int | None]:
    """For each character, the presentation form an old Thai font would have used (or None).
    chars are single characters ("\0" for a glyph with no or several code points)."""
    out: list[int | None] = [None] * len(chars)
    base, base_i, upper = "", -1, False
    for i, ch in enumerate(chars):
        nxt = chars[i + 1] if i + 1 < len(chars) else ""
        if "ก" <= ch <= "ฮ":
            base, base_i, upper = ch, i, False
        elif ch in UPPER_FORMS:
            upper = True
            if base in ASCENDERS:
                out[i] = UPPER_FORMS[ch]
        elif ch in TONES:
            k = TONES.index(ch)
            high = upper or nxt == "\u0e33"
            if base in ASCENDERS:
                out[i] = (0xF70A if high else 0xF713) + k
            elif not high:
                out[i] = 0xF705 + k
        elif ch in LOWER_FORMS:
            if base in "ฎฏ":
                out[i] = LOWER_FORMS[ch]
            elif base in TAILLESS:
                out[base_i] = TAILLESS[base]
        elif ch != "\u0e33":
            base = ""
    return out


def parse_tounicode(data: bytes) -> dict[int, str]:
    out = {}
    for src, dst in re.findall(rb"<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]+)>", data.split(b"endcodespacerange")[-1]):
        out[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    return out


def tounicode_stream(mapping: dict[int, str]) -> bytes:
    items = sorted(mapping.items())
    chunks = []
    for start in range(0, len(items), 100):
        block = items[start : start + 100]
        chunks.append(
            f"{len(block)} beginbfchar\n"
            + "".join(f"<{cid:04X}> <{s.encode('utf-16-be').hex().upper()}>\n" for cid, s in block)
            + "endbfchar\n"
        )
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        + "".join(chunks)
        + "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode()


class LegacyFont:
    """One Type0 font being rewritten: new CIDs drawing the same glyph but mapped to PUA code points."""

    def __init__(self, font: pikepdf.Dictionary):
        self.font = font
        self.desc = font.DescendantFonts[0]
        self.unicode = parse_tounicode(font.ToUnicode.read_bytes())
        self.gid_map = bytearray(self.desc.CIDToGIDMap.read_bytes())
        self.widths = self._widths()
        self.added: dict[tuple[int, int], int] = {}
        self.next_cid = max(self.unicode) + 1

    def _widths(self) -> dict[int, float]:
        w, arr, i = {}, list(self.desc.W), 0
        while i < len(arr):
            if isinstance(arr[i + 1], pikepdf.Array):
                w.update({int(arr[i]) + j: float(v) for j, v in enumerate(arr[i + 1])})
                i += 2
            else:
                w.update({c: float(arr[i + 2]) for c in range(int(arr[i]), int(arr[i + 1]) + 1)})
                i += 3
        return w

    def variant(self, cid: int, pua: int) -> int:
        if (cid, pua) not in self.added:
            new = self.next_cid
            self.next_cid += 1
            self.added[(cid, pua)] = new
            self.unicode[new] = chr(pua)
            self.gid_map[2 * new : 2 * new + 2] = self.gid_map[2 * cid : 2 * cid + 2]
        return self.added[(cid, pua)]

    def save(self, pdf: pikepdf.Pdf) -> None:
        self.font.ToUnicode = pdf.make_stream(tounicode_stream(self.unicode))
        self.desc.CIDToGIDMap = pdf.make_stream(bytes(self.gid_map))
        w = list(self.desc.W)
        for (cid, _), new in sorted(self.added.items(), key=lambda kv: kv[1]):
            w += [new, [self.widths.get(cid, float(self.desc.get("/DW", 1000)))]]
        self.desc.W = pikepdf.Array(w)


def break_text_layer(path: Path) -> None:
    """Rewrite a born-digital PDF so its text layer reads like one from legacy Thai software."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        fonts: dict[tuple[int, int], LegacyFont] = {}
        for page in pdf.pages:
            names = {}
            for name, font in page.Resources.Font.items():
                if "Thai" in str(font.BaseFont):
                    names[str(name)] = fonts.setdefault(font.objgen, LegacyFont(font))
            instructions = legacy_content(pikepdf.parse_content_stream(page), names)
            page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))
        for legacy in fonts.values():
            legacy.save(pdf)
        pdf.docinfo["/Producer"] = "Acrobat Distiller 5.0 (Windows)"
        pdf.save(path, deterministic_id=True)


@dataclass
class ShownString:
    instruction: int
    index: int | None  # position inside a TJ array, None for Tj
    font: LegacyFont
    cids: list[int]


def legacy_content(instructions, names: dict[str, LegacyFont]) -> list:
    """Collect each Thai font's glyph sequence across Tj/TJ operators, then swap in variant CIDs."""
    out = [[list(ops), op] for ops, op in instructions]
    shown: list[ShownString] = []
    font = None
    for i, (ops, op) in enumerate(out):
        if str(op) == "Tf":
            font = names.get(str(ops[0]))
        elif font is not None and str(op) in ("Tj", "TJ"):
            items = (
                [(None, ops[0])]
                if str(op) == "Tj"
                else [(j, s) for j, s in enumerate(ops[0]) if isinstance(s, pikepdf.String)]
            )
            for j, s in items:
                raw = bytes(s)
                shown.append(
                    ShownString(i, j, font, [int.from_bytes(raw[k : k + 2], "big") for k in range(0, len(raw), 2)])
                )
    for legacy in {id(s.font): s.font for s in shown}.values():
        slots = [(s, p) for s in shown if s.font is legacy for p in range(len(s.cids))]
        chars = [legacy.unicode.get(s.cids[p], "") for s, p in slots]
        for (s, p), pua in zip(slots, legacy_forms([c if len(c) == 1 else "\0" for c in chars])):
            if pua is not None:
                s.cids[p] = legacy.variant(s.cids[p], pua)
    for s in shown:
        data = pikepdf.String(b"".join(c.to_bytes(2, "big") for c in s.cids))
        if s.index is None:
            out[s.instruction][0][0] = data
        else:
            arr = list(out[s.instruction][0][0])
            arr[s.index] = data
            out[s.instruction][0][0] = pikepdf.Array(arr)
    return [pikepdf.ContentStreamInstruction(ops, op) for ops, op in out]


# ---------------------------------------------------------------------------------------------
# The plan and the run
# ---------------------------------------------------------------------------------------------
SCAN_LEVELS = ("clean", "photo", "fax", "copy")
PT_SIZES = (15, 16, 17)
PT_WEIGHTS = {"petition": (1, 1, 1), "letter": (2, 2, 1)}  # a 17 pt Noto letter rarely fits one page


def topic_order(rng: random.Random):
    """Petition topics round-robin over the categories, so that every category occurs."""
    by_category: dict[str, list[int]] = {}
    for i, topic in enumerate(PETITION_TOPICS):
        by_category.setdefault(topic.category, []).append(i)
    queues = [rng.sample(ids, len(ids)) for ids in rng.sample(list(by_category.values()), len(by_category))]
    order = [q[k] for k in range(max(map(len, queues))) for q in queues if k < len(q)]
    return itertools.cycle(order)


def stamped_letters(specs: list[DocSpec]) -> list[DocSpec]:
    """Half the scanned letters, taken round-robin over the levels (a fax keeps no colour)."""
    order = ("clean", "photo", "copy", "fax")
    letters = [s for s in specs if s.kind == "letter" and s.source == "scan"]
    by_level = [[s for s in letters if s.level == level] for level in order]
    spread = [q[k] for k in range(len(letters)) for q in by_level if k < len(q)]
    return spread[: (len(letters) + 1) // 2]


def plan(n_docs: int, rng: random.Random) -> list[DocSpec]:
    """About 5/12 petitions and 5/12 letters scanned, 1/6 born-digital; a quarter are long."""
    n_digital = round(n_docs / 6) if n_docs >= 4 else 0
    n_scan = n_docs - n_digital
    kinds = ["petition"] * ((n_scan + 1) // 2) + ["letter"] * (n_scan // 2)
    levels = []  # every level for both kinds; letters start where petitions stop
    for kind, start in (("petition", 0), ("letter", (n_scan + 1) // 2)):
        own = [SCAN_LEVELS[(start + i) % 4] for i in range(kinds.count(kind))]
        levels += rng.sample(own, len(own))
    digital_kinds = [("petition", "letter")[i % 2] for i in range(n_digital)]
    families = available_families()
    long = set(rng.sample(range(n_docs), max(1, round(n_docs / 4))))
    specs, counters = [], {"petition": 0, "letter": 0}
    rows = [(k, "scan", lv) for k, lv in zip(kinds, levels)] + [(k, "born-digital", "digital") for k in digital_kinds]
    for i, (kind, source, level) in enumerate(rows):
        n = counters[kind]
        counters[kind] += 1
        specs.append(
            DocSpec(
                id=f"g{kind[0]}_{n:03d}",
                kind=kind,
                source=source,
                level=level,
                family=families[i % len(families)],
                pt=rng.choices(PT_SIZES, PT_WEIGHTS[kind])[0],
                thai_digits=rng.random() < (0.5 if kind == "petition" else 0.7),
                long=i in long,
            )
        )
    topics = {
        "petition": topic_order(rng),
        "letter": itertools.cycle(rng.sample(range(len(LETTER_TOPICS)), len(LETTER_TOPICS))),
    }
    for s in specs:
        s.topic = next(topics[s.kind])
    for j, s in enumerate(stamped_letters(specs)):
        s.stamp = "blue" if j in (1, 6) else "red"
    digital = [s for s in specs if s.source == "born-digital"]
    for s in digital[: max(1, len(digital) // 2)]:
        s.legacy = True
    return specs


def render(spec: DocSpec, out_dir: Path, seed: int, fmt_cycles: dict) -> dict:
    rng = random.Random(f"{seed}:{spec.id}")
    doc = (build_petition if spec.kind == "petition" else build_letter)(spec, rng)
    if spec.source == "born-digital":
        file = f"{spec.id}.pdf"
        write_text_pdf(doc, out_dir / file, rng)
        if spec.legacy:
            break_text_layer(out_dir / file)
    else:
        fmt = next(fmt_cycles[spec.level])
        while len(doc.pages) > 1 and fmt not in MULTI_PAGE:
            fmt = next(fmt_cycles[spec.level])
        file = f"{spec.id}.{fmt}"
        save_scan([capture(doc, i, rng) for i in range(len(doc.pages))], fmt, out_dir / file, spec.level, rng)
    pages = [page.truth for page in doc.pages]
    for text in pages:
        assert unicodedata.normalize("NFC", text) == text and "\u0e4d\u0e32" not in text, spec.id
    return {
        "id": spec.id,
        "kind": spec.kind,
        "fields": doc.fields,
        "font": Path(doc.faces["body"].thai).name,
        "pt": spec.pt,
        "file": file,
        "source": spec.source,
        "level": spec.level,
        "pages": pages,
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--docs", type=int, default=24)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--faces", choices=sorted(FACES), default="noto", help="the Noto families, or four held out")
    args = ap.parse_args(argv)
    global FACE_SET
    FACE_SET = args.faces
    available_families.cache_clear()
    if not available_families():
        sys.exit(f"no Noto Thai fonts under {NOTO} (apt-get install fonts-noto-core)")
    args.out_dir.mkdir(parents=True, exist_ok=True)
    specs = plan(args.docs, random.Random(args.seed))
    fmt_cycles = {level: itertools.cycle(fmts) for level, fmts in FORMATS.items()}
    truth, t0 = [], time.time()
    for spec in specs:
        t = time.time()
        truth.append(render(spec, args.out_dir, args.seed, fmt_cycles))
        print(
            f"{truth[-1]['file']:<14} {spec.level:<8} {len(truth[-1]['pages'])}p "
            f"{spec.family} {spec.pt}pt {time.time() - t:.1f}s",
            file=sys.stderr,
        )
    (args.out_dir / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    print(
        f"{len(truth)} documents, {sum(len(e['pages']) for e in truth)} pages in {time.time() - t0:.0f}s "
        f"-> {args.out_dir}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
