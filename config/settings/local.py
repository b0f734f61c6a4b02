"""Settings for a developer's machine and `make demo`: SQLite under var/, debug on."""

import os

os.environ.setdefault("BALAI_SECRET_KEY", "local-development-only-not-secret")
os.environ.setdefault("BALAI_DEBUG", "true")

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, VAR_DIR

INSTALLED_APPS = [*INSTALLED_APPS, "balai.devtools"]
VAR_DIR.mkdir(parents=True, exist_ok=True)

# Static files straight from the apps and packages (no collectstatic outside production).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
