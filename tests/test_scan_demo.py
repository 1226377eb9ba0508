"""The demo's virtual scanner shows something: `make demo` points SANE at config/sane-demo, whose
test.conf makes the `test` backend's default page a grid (the backend's own default, and the
system test.conf's, is solid black). Real SANE, scanned through the server's own path: a batch,
its scan process (`python -m cli scan-job`), the page stored as it arrives."""

from __future__ import annotations

import subprocess

import numpy as np
import pytest
from PIL import Image

from tests.conftest import ROOT, wait_for

DEMO_SANE = ROOT / "config" / "sane-demo"

pytestmark = pytest.mark.skipif(
    subprocess.run(["which", "scanimage"], capture_output=True).returncode != 0, reason="no SANE on this machine"
)


def scan_one_page(archive) -> np.ndarray:
    """One flatbed page from test:0 with no options of ours: the device's defaults."""
    from records.models import ScanBatch
    from scanner import batches
    from scanner.scan_process import spawn

    batch_id = batches.create(archive, "test:0", "flatbed", 100, "gray", {})
    proc = spawn(archive, batch_id)
    proc.wait(timeout=120)
    st = wait_for("the scan to end", lambda: (s := batches.status(archive, batch_id))["state"] != "scanning" and s)
    assert st["state"] == "open" and not st["error_code"], st
    with archive.db.session() as s:
        [page] = s.get(ScanBatch, batch_id).pages
        sha = page.sha256
    with Image.open(archive.store.path_for(sha)) as im:
        return np.asarray(im.convert("L"))


def test_the_demo_scanner_gives_a_readable_page_by_default(archive, monkeypatch, tmp_path):
    monkeypatch.setenv("SANE_CONFIG_DIR", str(DEMO_SANE))  # as `make demo` (less the system's dll.conf)
    page = scan_one_page(archive)
    assert page.std() > 40, "the demo's default page is one shade"
    assert page.min() < 64 and page.max() > 192  # dark lines on a light page
    assert float((page > 128).mean()) > 0.5  # mostly light: a page to read, not a black sheet
    # the scan page files it: clean-up does not take it for a blank page
    from records.models import ScanPage
    from scanner import batches

    with archive.db.session() as s:
        [batch_id] = {p.batch_id for p in s.query(ScanPage).all()}
    batches.analyse_batch(archive, batch_id)
    with archive.db.session() as s:
        assert [(p.analysed, p.kept) for p in s.query(ScanPage).all()] == [(True, True)]

    # without the demo's test.conf the same scanner gives the solid black page it gave before
    bare = tmp_path / "sane.d"
    bare.mkdir()
    (bare / "dll.conf").write_text("test\n")
    monkeypatch.setenv("SANE_CONFIG_DIR", str(bare))
    black = scan_one_page(archive)
    assert black.std() == 0 and black.max() < 10


def test_scanimage_with_the_demo_config_scans_a_grid(tmp_path):
    """The same with scanimage, as a person trying the demo's scanner from a shell would."""
    out = tmp_path / "page.png"
    env = {"SANE_CONFIG_DIR": str(DEMO_SANE), "PATH": "/usr/bin:/bin"}
    r = subprocess.run(
        ["scanimage", "-d", "test:0", "--format=png", "-o", str(out)], env=env, capture_output=True, timeout=60
    )
    assert r.returncode == 0, r.stderr
    with Image.open(out) as im:
        px = np.asarray(im.convert("L"))
    assert px.std() > 40 and len(np.unique(px)) > 1
