"""Settings for Damrong Archive: defaults in defaults.toml, overridden by DAMRONG_* environment variables."""

from config.settings import Settings, load_settings

__all__ = ["Settings", "load_settings"]
