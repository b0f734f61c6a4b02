"""`balai demo-data`: the same command as `demo_data` under its documented name."""

from .demo_data import Command  # noqa: F401
