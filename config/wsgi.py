"""WSGI entry point (gunicorn config.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()

# Import the URL configuration and every view now, as each web process starts, instead of in the
# first request it serves (about a second of CPU that request would otherwise wait for).
get_resolver().url_patterns  # noqa: B018
