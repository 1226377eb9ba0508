"""Loads the settings: the TOML defaults, then DAMRONG_* environment variables, then explicit overrides."""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULTS_FILE = Path(__file__).with_name("defaults.toml")


@dataclass(frozen=True)
class Settings:
    home: Path
    database_url: str
    ocr_langs: str
    category_min_train: int
    category_retrain_every: int
    category_min_probability: float
    ocr_latin_langs: str
    ocr_psm: int
    ocr_dpi: int
    ocr_timeout_s: int
    ocr_deskew: bool
    ocr_scale: float
    ocr_background: bool
    ocr_despeckle: bool
    ocr_scanlines: bool
    ocr_binarise: bool
    ocr_stamps: bool
    ocr_layout: str
    ocr_digits: bool
    ocr_page_digits: bool
    ocr_marks: bool
    ocr_second_pass: bool
    ocr_correct: bool
    ocr_page_letters: bool
    ocr_user_words: bool
    workers: int
    max_file_mb: int
    max_pages: int
    max_pixels: int
    parse_memory_mb: int
    parse_timeout_s: int
    max_attempts: int
    text_layer_min_quality: float
    scan_resolution: int
    scan_mode: str
    scan_remove_blank: bool
    scan_auto_rotate: bool
    scan_separators: bool
    scan_blank_ink: float
    processing: str
    search_backend: str
    job_lease_s: float
    host: str
    port: int
    web_processes: int
    web_threads: int
    proxy_hops: int
    public_url: str
    default_language: str
    secure_cookies: bool
    secret_key: str
    kpi_closed_target: float
    stats_cache_s: int
    map_tile_url: str
    map_tile_attribution: str
    peer_courier: bool
    peer_timeout_s: float
    peer_retry_max_s: float
    peer_poll_s: float
    extra: dict[str, object] = field(default_factory=dict)

    # Folders and files under the home
    @property
    def objects_dir(self) -> Path:
        return self.home / "objects"

    @property
    def derived_dir(self) -> Path:
        return self.home / "derived"

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.home / 'damrong.sqlite3').resolve()}"

    @property
    def ocr_workers(self) -> int:
        return self.workers if self.workers > 0 else (os.cpu_count() or 1)

    def as_env(self) -> dict[str, str]:
        """These settings as DAMRONG_* variables, for a child process that must use the same home."""
        out = {}
        for f in dataclasses.fields(self):
            if f.name != "extra":
                v = getattr(self, f.name)
                out["DAMRONG_" + f.name.upper()] = ("true" if v else "false") if isinstance(v, bool) else str(v)
        return out


def _coerce(value: str, like: object) -> object:
    if isinstance(like, bool):
        return value.strip().lower() in ("1", "true", "yes", "on")
    if isinstance(like, int):
        return int(value)
    if isinstance(like, float):
        return float(value)
    return value


def load_settings(env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
    """Defaults from defaults.toml, then environment (DAMRONG_KEY), then keyword overrides."""
    env = os.environ if env is None else env
    raw: dict[str, Any] = tomllib.loads(DEFAULTS_FILE.read_text(encoding="utf-8"))
    names = {f.name for f in dataclasses.fields(Settings)} - {"extra"}
    unknown = set(raw) - names
    if unknown:
        raise ValueError(f"unknown settings in {DEFAULTS_FILE}: {sorted(unknown)}")
    for key in names:
        var = "DAMRONG_" + key.upper()
        if var in env and env[var] != "":
            raw[key] = _coerce(env[var], raw[key])
    raw.update({k: v for k, v in overrides.items() if v is not None})
    raw["home"] = Path(raw["home"]).expanduser().resolve()
    for key, allowed in CHOICES.items():
        if raw[key] not in allowed:
            raise ValueError(f"DAMRONG_{key.upper()} must be one of {', '.join(allowed)}, not {raw[key]!r}")
    if raw["search_backend"] == "postgres" and not str(raw["database_url"]).startswith("postgresql"):
        raise ValueError("DAMRONG_SEARCH_BACKEND=postgres needs DAMRONG_DATABASE_URL to name a PostgreSQL database")
    return Settings(**raw)


CHOICES = {"processing": ("web", "workers"), "search_backend": ("whoosh", "postgres")}
