"""The web UI and JSON API: Flask app factory, one blueprint per area, Thai first."""
