"""The Thai word list and dictionary segmentation (nlpo3, newmm algorithm in Rust).

The dictionary is PyThaiNLP's word list plus province names and the domain words in
domain_words.txt (agencies, complaint vocabulary). Loaded once per process.
"""
from __future__ import annotations

import functools
import hashlib
import importlib.util
import tempfile
from pathlib import Path

import nlpo3

DICT_NAME = "damrong"
HERE = Path(__file__).parent


def _pythainlp_corpus() -> Path:
    spec = importlib.util.find_spec("pythainlp")
    if spec is None or spec.origin is None:
        raise RuntimeError("pythainlp (its word list) is not installed")
    return Path(spec.origin).parent / "corpus"


@functools.cache
def words() -> frozenset[str]:
    corpus = _pythainlp_corpus()
    ws = set((corpus / "words_th.txt").read_text(encoding="utf-8").split())
    for line in (corpus / "thailand_provinces_th.csv").read_text(encoding="utf-8").splitlines():
        if line:
            ws.add(line.split(",")[0])
    domain = HERE / "domain_words.txt"
    if domain.is_file():
        ws.update(w for w in domain.read_text(encoding="utf-8").split() if not w.startswith("#"))
    return frozenset(w for w in ws if w)


@functools.cache
def _load() -> str:
    data = "\n".join(sorted(words())) + "\n"
    digest = hashlib.sha256(data.encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"damrong-dict-{digest}.txt"
    if not path.is_file():
        tmp = path.with_suffix(".tmp")
        tmp.write_text(data, encoding="utf-8")
        tmp.replace(path)
    nlpo3.load_dict(str(path), DICT_NAME)
    return DICT_NAME


def segment(text: str) -> list[str]:
    """Dictionary word segmentation; runs of unknown letters come back as their own pieces."""
    if not text:
        return []
    name = _load()
    out: list[str] = []
    # line by line: nlpo3's safe mode garbles long texts, and short inputs keep newmm fast
    for line in text.splitlines(keepends=True):
        out.extend(nlpo3.segment(line, name))
    return out
