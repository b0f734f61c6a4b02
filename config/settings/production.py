"""Production settings: PostgreSQL from DATABASE_URL, HTTPS, hashed static files."""

from config.env import env_bool, env_int, env_list, env_str

from .base import *  # noqa: F403
from .base import DATABASES, MIDDLEWARE, STORAGES

DEBUG = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind nginx, the client's address from the proxy's header (rate limits count clients, the
# audit log names them): e.g. BALAI_PROXY_CLIENT_IP_HEADER=X-Real-IP. Unset: REMOTE_ADDR as is.
BALAI_PROXY_CLIENT_IP_HEADER = env_str("BALAI_PROXY_CLIENT_IP_HEADER", "")
BALAI_TRUSTED_PROXIES = env_list("BALAI_TRUSTED_PROXIES", "127.0.0.1,::1,unix")
MIDDLEWARE = ["balai.deployment.middleware.ProxyClientAddressMiddleware", *MIDDLEWARE]
SECURE_SSL_REDIRECT = env_bool("BALAI_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("BALAI_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("BALAI_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # Joining the browsers' HSTS preload list binds the whole domain (often a shared go.id
    # domain): the domain owner decides and sets BALAI_HSTS_PRELOAD=true.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Media as configured in base (local disk or S3); static files hashed and compressed.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
EMAIL_BACKEND = env_str("BALAI_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("BALAI_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("BALAI_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("BALAI_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("BALAI_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("BALAI_EMAIL_USE_TLS", False)
