"""Ingest: file intake, page images, OCR, Thai text normalisation, fields, archival PDF,
content-addressed storage and the processing queue — a chain of small steps."""
