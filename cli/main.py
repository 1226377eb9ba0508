"""`damrong` — one entry point: the command group (`cli.app`) with every command module loaded.

Commands live by subject: `archive_commands` (init, ingest, ocr, search, reindex, resume, verify,
backup, restore, watch, serve), `card_commands` (card, station), `scan_commands` (devices, scan,
scan-job), `admin_commands` (user, token, area, audit), `complaint_commands` (complaint),
`case_commands` (export-case), `news_commands` (news), `report_commands` (report),
`peer_commands` (peer, complaint forward), `category_commands` (categories)."""

from __future__ import annotations

from cli import (  # noqa: F401  (each registers its commands on the group)
    admin_commands,
    archive_commands,
    card_commands,
    case_commands,
    category_commands,
    complaint_commands,
    news_commands,
    peer_commands,
    report_commands,
    scan_commands,
)
from cli.app import main

__all__ = ["main"]

if __name__ == "__main__":
    main()
