"""Shared fixtures: a fresh archive home per test, and Thai test pages."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from config import load_settings
from tests.thai_pages import render_lines

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "dev"
SAMPLES = ROOT / "samples"

PETITION_LINES = [
    "เรื่อง ขอความช่วยเหลือเรื่องหนี้นอกระบบ",
    "ข้าพเจ้า นายสมศักดิ์ ทองประเสริฐ เลขประจำตัวประชาชน",
    "3-1742-18096-79-5 โทรศัพท์ 081-234-5678",
]
LETTER_LINES = [
    "ที่ มท 0205.3/ว 4777",
    "เรื่อง การเร่งรัดการยุติเรื่องร้องเรียน",
    "วันที่ ๑๙ ธันวาคม ๒๕๖๓ จังหวัดสกลนคร",
]


@pytest.fixture
def home(tmp_path) -> Path:
    h = tmp_path / "home"
    h.mkdir()
    return h


@pytest.fixture
def settings(home):
    return load_settings(env={}, home=str(home), workers=2)


@pytest.fixture
def archive(settings):
    from ingest.ocr import limit_processes
    from records.home import Archive
    limit_processes(2)
    a = Archive(settings)
    yield a
    a.close()


@pytest.fixture
def petition_png(tmp_path) -> Path:
    p = tmp_path / "petition.png"
    render_lines(PETITION_LINES).save(p, dpi=(300, 300))
    return p


@pytest.fixture
def letter_png(tmp_path) -> Path:
    p = tmp_path / "letter.png"
    render_lines(LETTER_LINES, font="Loma").save(p, dpi=(300, 300))
    return p


def damrong(*args: str, home: Path, check: bool = True, timeout: int = 300) -> subprocess.CompletedProcess:
    """Run the real `damrong` command line against a home."""
    env = {**os.environ, "DAMRONG_HOME": str(home), "DAMRONG_WORKERS": "2"}
    exe = shutil.which("damrong", path=str(Path(sys.executable).parent)) or "damrong"
    r = subprocess.run([exe, *args], env=env, capture_output=True, text=True, timeout=timeout)
    if check and r.returncode != 0:
        raise AssertionError(f"damrong {' '.join(args)} exited {r.returncode}: {r.stderr[-2000:]}")
    return r
