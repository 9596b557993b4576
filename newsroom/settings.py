"""Newsroom's one settings module, configured entirely by environment variables.

Fail-closed: debug is off unless ``DJANGO_DEBUG=1``; without debug the site refuses to start
with no ``DJANGO_SECRET_KEY`` or no ``DJANGO_ALLOWED_HOSTS``. Every variable is listed in the
README. Test-only overrides live in ``tests/conftest.py``.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    try:
        return int(value) if value else default
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it (e.g. python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'), or set DJANGO_DEBUG=1 for local development."
        )
    # Only ever used with DEBUG on, on a developer's own machine.
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", default="localhost,127.0.0.1,[::1]" if DEBUG else ""
)
if not ALLOWED_HOSTS and not DEBUG:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS is not set (comma-separated host names).")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "newsroom.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # About, Corrections, Contact…: flat pages, one per address, for the one site (SITE_ID).
    "django.contrib.sites",
    "django.contrib.flatpages",
    # Every save of an article or section kept, compared and restorable in the admin.
    "reversion",
    "crispy_forms",
    "crispy_bootstrap5",
    "articles",
    "comments",
    "articles.pages",
    "articles.wordpress",
    "newsroom.apps.NewsroomConfig",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    # The queue of emails (comments/mailing.py): Django's tasks API, with its backport on 5.2.
    *([] if django.VERSION >= (6, 0) else ["django_tasks"]),
    "django_tasks_db",
]

MIDDLEWARE = [
    # First: request bodies too large (413) or unreadable (400) are refused before anything
    # reads them; the refusal is answered where a view would be, so it gets every header.
    "newsroom.bad_requests.RequestBodyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outside whitenoise: static files get it too.
    "newsroom.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed (Django's GZip adds BREACH mitigation); whitenoise compresses files.
    # Decides who may keep each response: shared caches for anonymous readers, nobody else.
    "newsroom.http_cache.SharedCacheMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): signed in with the two-factor code (django-otp).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # SECURE_CSP below: Django 6 sends it itself, newsroom.middleware does on 5.2.
    "django.middleware.csp.ContentSecurityPolicyMiddleware"
    if django.VERSION >= (6, 0)
    else "newsroom.middleware.ContentSecurityPolicyMiddleware",
    # An imported WordPress site's old addresses: inside everything but axes, so it sees the
    # "not found" our own pages answered, and its 301 gets every header above.
    "articles.wordpress.middleware.OldAddressMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into our lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

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
                "newsroom.context_processors.site",
                "articles.pages.context_processors.footer",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"

# SQLite in the project folder by default; DATABASE_URL (postgres://…) for production.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while a comment is written; IMMEDIATE avoids "database is locked"
    # on lock upgrades inside transactions.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded pictures (the image library): on this machine's disk by default, served by the
# app itself under MEDIA_URL with year-long cache headers (newsroom/media.py). With more than
# one app server, NEWSROOM_MEDIA_S3_BUCKET puts them in S3-compatible storage instead
# (django-storages; credentials from the usual AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY).
MEDIA_ROOT = Path(os.environ.get("NEWSROOM_MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_URL = "/media/"
# Files the site keeps but never serves (uploaded WordPress exports, which hold readers'
# emails and addresses).
NEWSROOM_PRIVATE_ROOT = Path(os.environ.get("NEWSROOM_PRIVATE_ROOT") or BASE_DIR / "private")
NEWSROOM_MEDIA_S3_BUCKET = os.environ.get("NEWSROOM_MEDIA_S3_BUCKET", "")
NEWSROOM_MEDIA_S3_CUSTOM_DOMAIN = os.environ.get("NEWSROOM_MEDIA_S3_CUSTOM_DOMAIN", "")
# Where readers' browsers fetch media from, for the Content-Security-Policy: this site, or
# the bucket's (or its custom domain's) origin.
NEWSROOM_MEDIA_ORIGINS: list[str] = []
if NEWSROOM_MEDIA_S3_BUCKET:
    _s3_endpoint = os.environ.get("AWS_S3_ENDPOINT_URL", "").rstrip("/")
    _s3_region = os.environ.get("AWS_S3_REGION_NAME") or os.environ.get("AWS_DEFAULT_REGION", "")
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": NEWSROOM_MEDIA_S3_BUCKET,
            "endpoint_url": _s3_endpoint or None,
            "region_name": _s3_region or None,
            "custom_domain": NEWSROOM_MEDIA_S3_CUSTOM_DOMAIN or None,
            # Public pictures at plain, cacheable URLs; a name is never reused for new bytes.
            "querystring_auth": False,
            "file_overwrite": False,
            "default_acl": None,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
    if NEWSROOM_MEDIA_S3_CUSTOM_DOMAIN:
        NEWSROOM_MEDIA_ORIGINS = [f"https://{NEWSROOM_MEDIA_S3_CUSTOM_DOMAIN}"]
    elif _s3_endpoint:
        # Path-style and virtual-hosted addresses on the endpoint's host.
        _scheme, _, _host = _s3_endpoint.partition("://")
        NEWSROOM_MEDIA_ORIGINS = [_s3_endpoint, f"{_scheme}://{NEWSROOM_MEDIA_S3_BUCKET}.{_host}"]
    else:
        NEWSROOM_MEDIA_ORIGINS = [
            f"https://{NEWSROOM_MEDIA_S3_BUCKET}.s3.amazonaws.com",
            *([f"https://{NEWSROOM_MEDIA_S3_BUCKET}.s3.{_s3_region}.amazonaws.com"]
              if _s3_region else []),
        ]  # fmt: skip
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
# Pictures editors upload: larger files or more pixels are refused with a clear error.
NEWSROOM_IMAGE_MAX_BYTES = env_int("NEWSROOM_IMAGE_MAX_BYTES", 20 * 1024 * 1024)
NEWSROOM_IMAGE_MAX_PIXELS = env_int("NEWSROOM_IMAGE_MAX_PIXELS", 40_000_000)
# Above this, uploads wait on disk, not in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_PERMISSIONS = 0o644
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Sessions carry a commenter's own pending comments and, with consent, their saved details;
# they are created only when someone comments or signs in.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Every page, the admin's included, runs only this site's own scripts and styles: nothing on
# them is inline and nothing comes from elsewhere, so a script a commenter slipped into a
# page could not run. (The values are Django 6's django.utils.csp.CSP constants.)
# Anything not named here (plugins, frames, media, workers) is refused.
SECURE_CSP = {
    "default-src": ["'none'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:", *NEWSROOM_MEDIA_ORIGINS],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "manifest-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# Permissions-Policy: nothing here needs these, so no page (or frame in one) may ask.
# (Only features Chromium knows: it logs an error for any other, FLoC's interest-cohort too.)
NEWSROOM_PERMISSIONS_POLICY = {
    feature: []  # allowed to no origin
    for feature in [
        "accelerometer", "autoplay", "browsing-topics", "camera", "display-capture",
        "encrypted-media", "fullscreen", "geolocation", "gyroscope", "hid", "magnetometer",
        "microphone", "midi", "payment", "publickey-credentials-get", "screen-wake-lock",
        "serial", "usb", "xr-spatial-tracking",
    ]
}  # fmt: skip

# HTTPS: on by default in production; DJANGO_SECURE=0 for a plain-HTTP deployment behind
# nothing (not recommended). DJANGO_SECURE_PROXY_SSL_HEADER=1 trusts X-Forwarded-Proto from a
# proxy that sets it.
SECURE = env_bool("DJANGO_SECURE", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
# __Host- cookies: the browser keeps them only if sent over HTTPS, Secure, for path "/" and
# no Domain, so no other host (a subdomain) can set or shadow them. Browsers refuse them
# without Secure: plain names over plain HTTP.
SESSION_COOKIE_NAME = "__Host-sessionid" if SECURE else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if SECURE else "csrftoken"
SECURE_SSL_REDIRECT = SECURE and env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# HSTS: browsers come back over HTTPS only, for a year, once they have seen the site over
# HTTPS. DJANGO_HSTS_SECONDS=0 turns it off (first serve a short time, e.g. 300, to try).
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 365 * 24 * 3600 if SECURE else 0)
# includeSubDomains and preload reach beyond this site (every host of the domain; browsers'
# built-in list, slow to undo): the domain's owner opts in, and the deploy check does not warn
# until then.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD")
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Email: the console in debug, SMTP otherwise. Django 6.1 replaced EMAIL_* with MAILERS.
_email_backend = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
_smtp = {
    "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
    "port": int(os.environ.get("DJANGO_EMAIL_PORT", "25")),
    "username": os.environ.get("DJANGO_EMAIL_HOST_USER", ""),
    "password": os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", ""),
    "use_tls": env_bool("DJANGO_EMAIL_USE_TLS"),
    "timeout": 10,
}
if django.VERSION >= (6, 1):
    MAILERS = {
        "default": {
            "BACKEND": _email_backend,
            "OPTIONS": _smtp if _email_backend.endswith("smtp.EmailBackend") else {},
        }
    }
else:
    EMAIL_BACKEND = _email_backend
    EMAIL_HOST, EMAIL_PORT = _smtp["host"], _smtp["port"]
    EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = _smtp["username"], _smtp["password"]
    EMAIL_USE_TLS, EMAIL_TIMEOUT = _smtp["use_tls"], _smtp["timeout"]
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "newsroom@localhost")

# Emails wait in the database until a worker (`manage.py db_worker`, started by `make run` and
# `make serve`) sends them; a failed send is tried again later (comments/mailing.py).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

NEWSROOM_SITE_NAME = os.environ.get("NEWSROOM_SITE_NAME", "Newsroom")
# The site's public address, for links in emails (e.g. https://news.example.org). Required in
# production: a guess would send editors and readers to the wrong place. `make run` sets it
# from PORT; `make serve`'s local trial from its own address.
NEWSROOM_SITE_URL = os.environ.get(
    "NEWSROOM_SITE_URL", "http://127.0.0.1:8000" if DEBUG else ""
).rstrip("/")
if not NEWSROOM_SITE_URL:
    raise ImproperlyConfigured(
        "NEWSROOM_SITE_URL is not set: the site's public address for links in emails, "
        "e.g. https://news.example.org."
    )
if not NEWSROOM_SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        f"NEWSROOM_SITE_URL must start with https:// (or http://), not {NEWSROOM_SITE_URL!r}."
    )
NEWSROOM_ARTICLES_PER_PAGE = 10
# The one Site row flat pages belong to; its domain and name follow NEWSROOM_SITE_URL and
# NEWSROOM_SITE_NAME after every migrate (articles/pages/apps.py), so nothing says "example.com".
SITE_ID = 1


# Anti-spam thresholds (README lists them all). 0 turns each one off.
NEWSROOM_COMMENT_MIN_SECONDS = env_int("NEWSROOM_COMMENT_MIN_SECONDS", 3)
NEWSROOM_COMMENT_FORM_MAX_AGE = env_int("NEWSROOM_COMMENT_FORM_MAX_AGE", 24 * 3600)
NEWSROOM_COMMENT_FLOOD_SECONDS = env_int("NEWSROOM_COMMENT_FLOOD_SECONDS", 15)
NEWSROOM_COMMENT_RATE_PER_HOUR = env_int("NEWSROOM_COMMENT_RATE_PER_HOUR", 30)
# How many proxies of yours stand in front of the site and append to X-Forwarded-For.
# 0: the connection's address is the client's, and X-Forwarded-For is ignored.
NEWSROOM_TRUSTED_PROXIES = env_int("NEWSROOM_TRUSTED_PROXIES", 0)
# Request bodies (newsroom/bad_requests.py): public pages take twice the longest comment
# (256 KiB) and refuse more with 413 before reading it; the admin takes up to this: the
# largest picture and 1 MiB for the form around it, so that a file a little too large gets
# the form's own error. (Varnish in front takes as much for the admin, 21 MiB:
# deploy/varnish/newsroom.vcl. Raise both together.)
NEWSROOM_ADMIN_MAX_BODY_SIZE = env_int(
    "NEWSROOM_ADMIN_MAX_BODY_SIZE", NEWSROOM_IMAGE_MAX_BYTES + 1024 * 1024
)
# Form data, anywhere: the admin's article form is the largest. Fields: the admin's bulk
# actions send one per selected row, 50 a page.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
# Spam and trash are deleted, and IPs/user agents anonymised, after these many days
# (by `manage.py cleanupcomments`, run daily from cron).
NEWSROOM_PURGE_DAYS = env_int("NEWSROOM_PURGE_DAYS", 30)
NEWSROOM_ANONYMISE_DAYS = env_int("NEWSROOM_ANONYMISE_DAYS", 90)
# Who is emailed when a comment is held: these addresses, or else every active Editor
# with an email address.
NEWSROOM_MODERATOR_EMAILS = env_list("NEWSROOM_MODERATOR_EMAILS")
# Optional Akismet check; off without a key.
NEWSROOM_AKISMET_KEY = os.environ.get("NEWSROOM_AKISMET_KEY", "")
NEWSROOM_AKISMET_API_URL = os.environ.get("NEWSROOM_AKISMET_API_URL", "")
NEWSROOM_AKISMET_TIMEOUT = float(os.environ.get("NEWSROOM_AKISMET_TIMEOUT", "2"))


# Django's cache holds flood and rate-limit counters: Redis in production, so that every
# process sees the same counts; memory in one process otherwise.
def redis_cache(location: str) -> dict:
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": location,
        # A Redis that stops answering is skipped like one that refuses (the limits log it
        # and let the comment through): after a second, not at the operating system's timeout.
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }


REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        redis_cache(REDIS_URL)
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# The HTTP cache in front (Varnish, see deploy/): how long it may keep a public page, and
# where to send purges when something readers see changes. Pages are purged the moment an
# editor acts; what changes with the clock alone (a scheduled article, comments closing)
# shows within NEWSROOM_CACHE_SECONDS.
NEWSROOM_CACHE_SECONDS = env_int("NEWSROOM_CACHE_SECONDS", 60)
NEWSROOM_CACHE_PURGE_URLS = env_list("NEWSROOM_CACHE_PURGE_URLS")
NEWSROOM_CACHE_PURGE_TIMEOUT = float(os.environ.get("NEWSROOM_CACHE_PURGE_TIMEOUT", "2"))

# Sign-in (README, "Security"). django-axes counts failed sign-ins, in the database, per
# account and, separately, per address: NEWSROOM_SIGNIN_FAILURE_LIMIT failures of either lock
# it until NEWSROOM_SIGNIN_LOCKOUT_MINUTES pass with none (a failure while locked starts them
# again). Every failure and lockout is logged ("axes" loggers). Unlock early with
# `manage.py axes_reset_username NAME` or `manage.py axes_reset_ip ADDRESS`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, whose user comes with their two-factor standing.
    "newsroom.two_factor.EditorBackend",
]
AXES_FAILURE_LIMIT = env_int("NEWSROOM_SIGNIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("NEWSROOM_SIGNIN_LOCKOUT_MINUTES", 15))
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# The client's address as the comment limits see it, behind NEWSROOM_TRUSTED_PROXIES.
AXES_CLIENT_IP_CALLABLE = "newsroom.signin.client_ip"
AXES_LOCKOUT_CALLABLE = "newsroom.signin.locked_out"
# Logs name the account and address; a backup code typed with a wrong password is not stored.
AXES_SENSITIVE_PARAMETERS = ["otp_token"]
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Log lines name the account and address (the lockout's parameters); no banner at start-up.
AXES_VERBOSE = False
# Two-factor sign-in (django-otp): editors enrol an authenticator app at /admin/two-factor/;
# a superuser can require it for everyone in the admin's sign-in policy.
OTP_TOTP_ISSUER = NEWSROOM_SITE_NAME
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}
