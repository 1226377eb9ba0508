"""Devices at the counter: scanners (pyinsane2 → SANE/WIA), the scan-to-folder watcher, and the
Thai national ID card reader (pyscard → PC/SC)."""
