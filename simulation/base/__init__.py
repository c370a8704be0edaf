"""Foundations every wing may use: errors with a location, atomic file writes, the version."""
