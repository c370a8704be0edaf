"""The package version (read by the build backend too: one source)."""

__version__ = "0.1.0"
