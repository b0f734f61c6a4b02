#!/usr/bin/env python
"""Django's command-line utility for Balai (the `balai` console script calls the same)."""

from balai.__main__ import main

if __name__ == "__main__":
    main()
