"""Settings shared by every environment. Secrets and hosts come from the environment."""

import importlib.util
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from balai.deployment.storage import media_storage
from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("BALAI_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("BALAI_SECRET_KEY")
DEBUG = env_bool("BALAI_DEBUG", False)
ALLOWED_HOSTS = env_list("BALAI_ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("BALAI_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "balai.accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "django_bootstrap5",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "balai.core",
    "balai.regions",
    "balai.organizations",
    "balai.catalog",
    "balai.service_requests",
    "balai.visits",
    "balai.complaints",
    "balai.outreach",
    "balai.community",
    "balai.announcements",
    "balai.evaluation",
    "balai.privacy",
    "balai.messaging",
    "balai.open311",
    "balai.api",
    "balai.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "balai.core.locale.IndonesianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "balai.core.middleware.RequestContextMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'balai.sqlite3'}"),
        conn_max_age=env_int("BALAI_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the worker read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
# Evaluation reads (dashboards, reports) may go to a read replica; writes never do.
_REPORTING_URL = env_str("BALAI_REPORTING_DATABASE_URL", "")
if _REPORTING_URL:
    DATABASES["reporting"] = dj_database_url.parse(
        _REPORTING_URL, conn_max_age=env_int("BALAI_DB_CONN_MAX_AGE", 0)
    )
    DATABASES["reporting"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["balai.evaluation.routers.ReportingRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "portal:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("BALAI_STATIC_ROOT", str(VAR_DIR / "static")))
_bootstrap = importlib.util.find_spec("bootstrap")
STATICFILES_DIRS = [BASE_DIR / "static"]
if _bootstrap and _bootstrap.submodule_search_locations:
    STATICFILES_DIRS.append(("bootstrap", next(iter(_bootstrap.submodule_search_locations))))
# Leaflet's files from the django-leaflet package (its Django app needs GeoDjango: not used).
_leaflet = importlib.util.find_spec("leaflet")
if _leaflet and _leaflet.origin:
    STATICFILES_DIRS.append(str(Path(_leaflet.origin).parent / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("BALAI_MEDIA_ROOT", str(VAR_DIR / "media")))
# Uploaded files: local disk (MEDIA_ROOT) or a private S3-compatible bucket (BALAI_MEDIA_STORAGE).
STORAGES = {
    "default": media_storage(),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_BACKEND = env_str("BALAI_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("BALAI_DEFAULT_FROM_EMAIL", "balai@localhost")

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "balai.accounts.authentication.PersonalTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Balai API",
    "DESCRIPTION": "Public services of an Indonesian Pemda: reference data and workflows.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Map tiles for the location picker and maps (an OpenStreetMap-compatible tile server).
MAP_TILES_URL = env_str("BALAI_MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILES_ATTRIBUTION = env_str("BALAI_MAP_TILES_ATTRIBUTION", "© OpenStreetMap contributors")

# Content security policy: only the app's own scripts and styles (no inline script anywhere),
# images also from the map tile server.
_tiles = urlsplit(MAP_TILES_URL)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", f"{_tiles.scheme}://{_tiles.netloc}"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Cache: rate-limit counters. In-process by default; Redis shares them between processes.
_cache_url = env_str("BALAI_CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}
        if _cache_url.startswith(("redis://", "rediss://"))
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "balai"}
    )
}

BOOTSTRAP5 = {
    "css_url": {"url": "/static/bootstrap/css/bootstrap.min.css"},
    "javascript_url": {"url": "/static/bootstrap/js/bootstrap.bundle.min.js"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "balai.core.logging.JSONFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env_str("BALAI_LOG_FORMAT", "plain"),
        }
    },
    "root": {"handlers": ["console"], "level": env_str("BALAI_LOG_LEVEL", "INFO")},
}
