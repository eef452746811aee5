"""Settings, read from the environment (see README, section "Betrieb").

The embedded default needs nothing: SQLite in the data directory, a generated secret key kept
next to it, e-mail on the console. With ``LEITBILD_ENV=production`` every setting that must not
be guessed has to be given, and start-up stops with one clear message naming it.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

from leitbild.core import mailurl  # standard library and Django's exceptions only

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


LEITBILD_ENV = os.environ.get("LEITBILD_ENV", "development")
if LEITBILD_ENV not in {"development", "demo", "production", "test"}:
    raise ImproperlyConfigured(
        f"LEITBILD_ENV must be development, demo, production or test, not {LEITBILD_ENV!r}."
    )
PRODUCTION = LEITBILD_ENV == "production"
# `make demo`: serves like production (no debug pages, hashed static files, a shared cache) but
# on the local machine over plain http, so without required settings, HTTPS redirect, HSTS or
# secure cookies, which would lock a visitor of http://127.0.0.1 out of the log-in.
DEMO = LEITBILD_ENV == "demo"

DATA_DIR = Path(os.environ.get("LEITBILD_DATA_DIR") or PROJECT_DIR / "data").resolve()
if not PRODUCTION:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
elif not DATA_DIR.is_dir():
    raise ImproperlyConfigured(f"LEITBILD_DATA_DIR {DATA_DIR} does not exist.")


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if key:
        if PRODUCTION and len(key) < 40:
            raise ImproperlyConfigured("SECRET_KEY must be at least 40 characters in production.")
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY is required when LEITBILD_ENV=production.")
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
# Earlier keys, comma-separated, after a rotation or a restore: participation codes hashed
# under them keep working (documents.letters.code_hash_candidates).
SECRET_KEY_FALLBACKS = envlist("SECRET_KEY_FALLBACKS")
DEBUG = envbool("DEBUG", default=LEITBILD_ENV == "development")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1]")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required when LEITBILD_ENV=production.")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
# The public address, used in e-mails and printed letters. `leitbild demo` sets it from its
# --host and --port when it is not set.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "leitbild.core",
    "leitbild.accounts",
    "leitbild.strategy",
    "leitbild.participation",
    "leitbild.consultation",
    "leitbild.portfolio",
    "leitbild.council",
    "leitbild.monitoring",
    "leitbild.documents",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "ninja",
]

MIDDLEWARE = [
    "leitbild.core.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "leitbild.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "leitbild.accounts.middleware.FirstPasswordMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "leitbild.core.middleware.MessagesOnceMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "leitbild.core.middleware.RequestLogMiddleware",
    # Last, so that its process_exception runs first: a refusal becomes a 4xx page.
    "leitbild.core.middleware.RefusalMiddleware",
]

ROOT_URLCONF = "leitbild.urls"
WSGI_APPLICATION = "leitbild.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "leitbild.core.context_processors.site",
            ],
        },
    }
]

# --- Database -----------------------------------------------------------------------------
SQLITE_OPTIONS = {
    # WAL lets readers work while one writer commits; IMMEDIATE takes the write lock at the
    # start of a transaction so that two writers wait instead of failing half-way.
    # secure_delete overwrites deleted rows (e.g. ballots moved out of the ballot box), which
    # SQLite otherwise leaves readable in free pages of the file.
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; "
        "PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;"
    ),
    "transaction_mode": "IMMEDIATE",
}
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    try:
        _db = dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True)
    except Exception as exc:  # dj_database_url raises several kinds
        raise ImproperlyConfigured(f"DATABASE_URL cannot be read: {exc}") from None
else:
    _db = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DATA_DIR / "leitbild.sqlite3"),
        # Keep connections: without it the PRAGMAs above run on every request.
        "CONN_MAX_AGE": 600,
    }
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db.setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
    _db.setdefault("TEST", {})
elif _db["ENGINE"] == "django.db.backends.postgresql":
    _db.setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ---------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
elif PRODUCTION or DEMO:
    # Every worker and server must see the same cache (cached pages, counters), so without
    # Redis it is a table in the database; `leitbild migrate` creates it (core/apps.py).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "leitbild_cache",
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- E-mail --------------------------------------------------------------------------------
# Our own parser (leitbild/core/mailurl.py, forms listed in the README): the default prints
# e-mails on the console of the task worker, which is the only process that sends e-mail.
EMAIL_URL = os.environ.get("EMAIL_URL", "" if PRODUCTION else mailurl.DEFAULT)
if PRODUCTION and not EMAIL_URL:
    # A production instance that prints its e-mails would silently send none.
    raise ImproperlyConfigured("EMAIL_URL is required when LEITBILD_ENV=production.")
vars().update(mailurl.parse(EMAIL_URL))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "leitbild@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Pauses in seconds between the attempts of the task worker to deliver an e-mail (five
# attempts over about two and a half hours); after the last, the task is FAILED and shown
# to Administration and on /healthz.
LEITBILD_EMAIL_RETRY_DELAYS = (60, 300, 1800, 7200)

# --- Accounts ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:staff_home"
LOGOUT_REDIRECT_URL = "core:home"
OTP_TOTP_ISSUER = os.environ.get("LEITBILD_CITY_NAME", "Leitbild")
SESSION_COOKIE_AGE = 60 * 60 * 8  # a working day
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Language ------------------------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("Englisch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates without periods ("1 December 2026, 16:00"): see core/formats/en/formats.py.
FORMAT_MODULE_PATH = ["leitbild.core.formats"]
USE_I18N = True
TIME_ZONE = "Europe/Berlin"
USE_TZ = True

# --- Static and uploaded files -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or DATA_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or DATA_DIR / "media")
# Production and the demo serve what `leitbild collectstatic` put into STATIC_ROOT, under
# hashed names listed in its manifest (staticfiles.json) that browsers may keep for a year;
# core/checks.py stops `check --deploy` while the manifest is missing. Development serves the
# source folders as they are.
STATIC_MANIFEST = PRODUCTION or DEMO
# Pre-compressed copies (gzip, Brotli) save bandwidth but make collectstatic take half a minute:
# on in production, off for the demo, which collects at every start.
STATIC_COMPRESS = envbool("LEITBILD_STATIC_COMPRESS", default=PRODUCTION)
if not STATIC_MANIFEST:
    _static_storage = "django.contrib.staticfiles.storage.StaticFilesStorage"
elif STATIC_COMPRESS:
    _static_storage = "whitenoise.storage.CompressedManifestStaticFilesStorage"
else:
    _static_storage = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": _static_storage},
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
# Source maps are for developers' tools; compressing the API docs' maps alone takes 15 s.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
# In production the reverse proxy serves uploaded files under MEDIA_URL (see README).
SERVE_MEDIA = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Background tasks ----------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("LEITBILD_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- Security ------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Joining the browsers' preload list binds every subdomain of the city for years:
        # the operator decides it, so its absence is not a deployment fault.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

MAP_TILE_URL = os.environ.get("LEITBILD_MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get("LEITBILD_MAP_TILE_ATTRIBUTION", "")
# The city's outline and districts (GeoJSON), the base layer of every map: without a tile
# server the maps still show where things are. Outside production the demo city's file;
# an empty value turns the layer off.
MAP_DISTRICTS = os.environ.get(
    "LEITBILD_MAP_DISTRICTS",
    "" if PRODUCTION else str(BASE_DIR / "core" / "data" / "musterstadt-stadtteile.geojson"),
)
_map_origins = []
if MAP_TILE_URL.startswith("https://"):
    _map_origins = ["https://" + MAP_TILE_URL.split("/")[2].replace("{s}", "*")]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *_map_origins],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Logging: one JSON object a line, for the operator's log collector ---------------------
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint logs every layout step of every page at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Leitbild -----------------------------------------------------------------------------
LEITBILD_CITY_NAME = os.environ.get("LEITBILD_CITY_NAME", "Musterstadt")
# The sender of printed letters (participation codes): department, postal address as one line
# ("Rathausplatz 1, 12345 Musterstadt"), e-mail and phone for questions. Each one set here
# wins over the site setting "letter_sender" (the demo writes Musterstadt's there).
LEITBILD_LETTER_DEPARTMENT = os.environ.get("LEITBILD_LETTER_DEPARTMENT", "")
LEITBILD_LETTER_ADDRESS = os.environ.get("LEITBILD_LETTER_ADDRESS", "")
LEITBILD_LETTER_EMAIL = os.environ.get("LEITBILD_LETTER_EMAIL", "")
LEITBILD_LETTER_PHONE = os.environ.get("LEITBILD_LETTER_PHONE", "")
# Participation: spam protection without third parties (ALTCHA proof of work) and photos.
LEITBILD_ALTCHA_COST = envint("LEITBILD_ALTCHA_COST", 5_000)
LEITBILD_ALTCHA_EXPIRES = envint("LEITBILD_ALTCHA_EXPIRES", 20 * 60)
LEITBILD_IDEA_PHOTO_MAX_BYTES = envint("LEITBILD_IDEA_PHOTO_MAX_BYTES", 8 * 1024 * 1024)
# Login through the city's OpenID Connect provider for weighting and surveys (optional).
# OParl: the council information system's endpoint (its System object); the Ratsbüro can also
# enter it in the staff area. The sync repeats every so many minutes through the task worker
# (0: only when started by hand or by `leitbild oparl sync`).
LEITBILD_OPARL_ENDPOINT = os.environ.get("LEITBILD_OPARL_ENDPOINT", "")
LEITBILD_OPARL_SYNC_MINUTES = envint("LEITBILD_OPARL_SYNC_MINUTES", 60)
LEITBILD_OPARL_TIMEOUT = envint("LEITBILD_OPARL_TIMEOUT", 15)
# Measurements fetched on a schedule from a CSV or JSON address (monitoring.feed_services):
# connect and read timeout of one request, in seconds.
LEITBILD_MEASUREMENT_FEED_TIMEOUT = envint("LEITBILD_MEASUREMENT_FEED_TIMEOUT", 15)
# Processes the robust portfolio's draws are solved in (in the task worker; large rounds only,
# see leitbild.numerics.portfolio.PARALLEL_MIN_WORK). 1: in the task worker's own process.
LEITBILD_ROBUST_WORKERS = max(1, envint("LEITBILD_ROBUST_WORKERS", min(4, os.cpu_count() or 1)))

LEITBILD_OIDC_ISSUER = os.environ.get("LEITBILD_OIDC_ISSUER", "")
LEITBILD_OIDC_CLIENT_ID = os.environ.get("LEITBILD_OIDC_CLIENT_ID", "")
LEITBILD_OIDC_CLIENT_SECRET = os.environ.get("LEITBILD_OIDC_CLIENT_SECRET", "")
# Secret ballots: cast ballots wait in the ballot box until at least this many are mixed
# together (k, the anonymity set of a batch; see docs/security.md).
LEITBILD_BALLOT_MIX_MIN = envint("LEITBILD_BALLOT_MIX_MIN", 20)
# Files with personal data (e.g. printable participation-code letters), never under MEDIA.
LEITBILD_PRIVATE_DIR = Path(os.environ.get("LEITBILD_PRIVATE_DIR") or DATA_DIR / "private")
# Reverse proxies in front of gunicorn whose X-Forwarded-For is trusted (0: none, the client
# is REMOTE_ADDR). With N, the client is the N-th address from the right of that header.
LEITBILD_TRUSTED_PROXY_COUNT = envint("LEITBILD_TRUSTED_PROXY_COUNT", 0)
# Failed staff logins (password, and TOTP codes) per client and per account: (count, seconds).
LEITBILD_LOGIN_FAILURES = (envint("LEITBILD_LOGIN_FAILURES", 10), 15 * 60)
NINJA_PAGINATION_PER_PAGE = 50
