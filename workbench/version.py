"""The package version, read by the build and written into every evidence record."""

__version__ = "0.1.0"
