"""clinic-desktop: an offline-first desktop app that runs a small medical or dental clinic."""

__version__ = "0.1.0"
