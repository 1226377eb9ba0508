"""Ingest: file intake (preflight by content, the original stored before anything else), page
images, born-digital text layers, OCR (`ingest.ocr`), fields (`ingest.fields`) and the archival
PDF — a chain of small steps (`pipeline`), resumed after a crash."""
