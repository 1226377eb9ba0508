"""The Thai word list, how common each word is, and dictionary segmentation (nlpo3: the newmm
algorithm in Rust, ~20x faster than PyThaiNLP's at the same dictionary).

The dictionary is PyThaiNLP's word list plus province names and the domain words in
domain_words.txt (agencies, complaint vocabulary); word frequencies are the Thai National
Corpus's (PyThaiNLP's tnc_freq.txt). Each is loaded once per process.
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


def pythainlp_corpus() -> Path:
    """PyThaiNLP's data folder (word lists, names, frequencies), read from the installed package."""
    spec = importlib.util.find_spec("pythainlp")
    if spec is None or spec.origin is None:
        raise RuntimeError("pythainlp (its word list) is not installed")
    return Path(spec.origin).parent / "corpus"


@functools.cache
def words() -> frozenset[str]:
    corpus = pythainlp_corpus()
    ws = set((corpus / "words_th.txt").read_text(encoding="utf-8").split())
    for line in (corpus / "thailand_provinces_th.csv").read_text(encoding="utf-8").splitlines():
        if line:
            ws.add(line.split(",")[0])
    domain = HERE / "domain_words.txt"
    if domain.is_file():
        ws.update(w for w in domain.read_text(encoding="utf-8").split() if not w.startswith("#"))
    return frozenset(w for w in ws if w)


@functools.cache
def frequency() -> dict[str, int]:
    """How often each word occurs in the Thai National Corpus (a word not listed: 0)."""
    out = {}
    path = pythainlp_corpus() / "tnc_freq.txt"
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            w, _, n = line.partition("\t")
            if n.isdigit():
                out[w] = int(n)
    return out


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
