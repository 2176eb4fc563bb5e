"""Django settings for Mutu: one module, driven by the environment.

Every setting a deployer may change is listed in :data:`ENVIRONMENT` with its
default and help text; ``docs/settings.md`` documents each of them and a test
fails when one is missing there.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

#: Settings read from the environment: name -> (default, help text).
ENVIRONMENT: dict[str, tuple[str, str]] = {
    "MUTU_HOME": (
        ".mutu",
        "Folder for Mutu's own files: the SQLite database, added rulebooks, uploads.",
    ),
    "DATABASE_URL": (
        "sqlite:///$MUTU_HOME/mutu.sqlite3",
        "Database to use, e.g. postgresql://user:pass@host:5432/mutu. "
        "Default: SQLite in MUTU_HOME.",
    ),
    "MUTU_SECRET_KEY": (
        "(a fixed development key)",
        "Django secret key. Must be set to a long random value in production.",
    ),
    "MUTU_DEBUG": ("0", "1 turns on Django's debug pages. Never in production."),
    "MUTU_ALLOWED_HOSTS": ("localhost,127.0.0.1", "Comma-separated host names the server answers."),
    "MUTU_RULEBOOKS_PATH": (
        "",
        "Extra folders (separated by ':') searched for rulebook versions, after the built-in "
        "ones and MUTU_HOME/rulebooks.",
    ),
    "MUTU_PRODUCTION": (
        "0",
        "1 (set by `mutu serve --production`): production settings - static files collected "
        "with hashed names, secure cookies, HSTS if asked for.",
    ),
    "MUTU_SECURE_COOKIES": (
        "1",
        "In production, send session and CSRF cookies only over HTTPS. 0 only for plain http "
        "on a closed network.",
    ),
    "MUTU_HSTS_SECONDS": (
        "0",
        "In production, Strict-Transport-Security max-age in seconds; 0 (off) until Mutu is "
        "served over HTTPS.",
    ),
    "MUTU_DB_CONN_MAX_AGE": (
        "60",
        "Seconds a server thread keeps its database connection open for the next requests "
        "(checked before reuse); 0 opens a new connection for every request.",
    ),
    "MUTU_SKM_RATE_LIMIT": (
        "20",
        "Citizens' SKM forms accepted per client address and hour (a counter tablet shares one).",
    ),
    "MUTU_LOGIN_MAX_FAILURES": (
        "5",
        "Failed sign-ins allowed per user name and client address within the window before "
        "sign-in is blocked (docs/security.md); 0 turns the lockout off.",
    ),
    "MUTU_LOGIN_WINDOW_MINUTES": ("15", "The window in which failed sign-ins are counted."),
    "MUTU_LOGIN_LOCKOUT_MINUTES": (
        "15",
        "How long sign-in stays blocked after the last failed attempt.",
    ),
    # Retention (`mutu purge`, docs/security.md): days kept; 0 keeps for ever.
    "MUTU_RETENTION_LOGIN_EVENTS_DAYS": ("365", "Days sign-in records are kept."),
    "MUTU_RETENTION_AUDIT_EVENTS_DAYS": ("1825", "Days audit-trail events are kept."),
    "MUTU_RETENTION_EXPORT_LOGS_DAYS": ("1825", "Days export-log entries are kept."),
    "MUTU_RETENTION_SURVEY_LINKS_DAYS": (
        "365",
        "Days after an activity ends that its personal survey links are kept.",
    ),
    "MUTU_RETENTION_RESPONSE_IDENTITIES_DAYS": (
        "0",
        "Days after an activity ends that who gave each named response is kept.",
    ),
}


def _env(name: str) -> str:
    return os.environ.get(name, "") or ENVIRONMENT[name][0]


BASE_DIR = Path(__file__).resolve().parent.parent
MUTU_HOME = Path(_env("MUTU_HOME")).expanduser().resolve()

SECRET_KEY = os.environ.get("MUTU_SECRET_KEY") or "mutu-development-key-not-for-production"
DEBUG = _env("MUTU_DEBUG") == "1"
ALLOWED_HOSTS = [h.strip() for h in _env("MUTU_ALLOWED_HOSTS").split(",") if h.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "mutu.reference",
    "mutu.people",
    "mutu.programs",
    "mutu.instruments",
    "mutu.indicators",
    "mutu.evaluations",
    "mutu.imports",
    "mutu.accounts",
    "mutu.web",
    "mutu.dashboard",
    "mutu.internships",
    "mutu.scenarios",
    "mutu.console",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "mutu.api",
]

# The REST API (mutu.api, docs/api.md) sets its own authentication and errors per view.
REST_FRAMEWORK = {"DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema"}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "mutu.web.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mutu.accounts.middleware.ScopeMiddleware",
    "mutu.accounts.audit.AuditMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "mutu.config.urls"
WSGI_APPLICATION = "mutu.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "mutu.web.context.navigation",
            ],
        },
    },
]


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url:
        return url
    MUTU_HOME.mkdir(parents=True, exist_ok=True)  # SQLite creates the file, not its folder
    return f"sqlite:///{MUTU_HOME / 'mutu.sqlite3'}"


def _conn_max_age() -> int:
    text = _env("MUTU_DB_CONN_MAX_AGE").strip()
    if not (text.isascii() and text.isdigit()):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"MUTU_DB_CONN_MAX_AGE harus bilangan bulat detik, 0 atau lebih, bukan {text!r}. / "
            f"MUTU_DB_CONN_MAX_AGE must be a whole number of seconds, 0 or more, not {text!r}."
        )
    return int(text)


# Persistent connections (docs/scale.md, "Survey intake throughput"): each server thread keeps
# its connection for MUTU_DB_CONN_MAX_AGE seconds and checks it before reusing it.
DATABASES = {
    "default": dj_database_url.parse(
        _database_url(), conn_max_age=_conn_max_age(), conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Foreign keys and a sane busy timeout; Django turns foreign keys on itself.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    # Write-ahead log: readers never block the writer and a killed process leaves the last
    # committed state (docs/security.md, "No data lost"). IMMEDIATE: a transaction takes the
    # write lock when it starts, so it waits out the busy timeout instead of failing mid-way.
    DATABASES["default"]["OPTIONS"].update(
        init_command="PRAGMA journal_mode=WAL", transaction_mode="IMMEDIATE"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2id first (the OWASP Password Storage Cheat Sheet's first choice); older hashes still
# verify and are re-hashed with Argon2 at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Django's user-name-and-password check, behind the login throttle (mutu.accounts.throttle).
AUTHENTICATION_BACKENDS = ["mutu.accounts.throttle.ThrottledModelBackend"]
MUTU_LOGIN_MAX_FAILURES = int(_env("MUTU_LOGIN_MAX_FAILURES"))
MUTU_LOGIN_WINDOW_MINUTES = int(_env("MUTU_LOGIN_WINDOW_MINUTES"))
MUTU_LOGIN_LOCKOUT_MINUTES = int(_env("MUTU_LOGIN_LOCKOUT_MINUTES"))
MUTU_RETENTION_LOGIN_EVENTS_DAYS = int(_env("MUTU_RETENTION_LOGIN_EVENTS_DAYS"))
MUTU_RETENTION_AUDIT_EVENTS_DAYS = int(_env("MUTU_RETENTION_AUDIT_EVENTS_DAYS"))
MUTU_RETENTION_EXPORT_LOGS_DAYS = int(_env("MUTU_RETENTION_EXPORT_LOGS_DAYS"))
MUTU_RETENTION_SURVEY_LINKS_DAYS = int(_env("MUTU_RETENTION_SURVEY_LINKS_DAYS"))
MUTU_RETENTION_RESPONSE_IDENTITIES_DAYS = int(_env("MUTU_RETENTION_RESPONSE_IDENTITIES_DAYS"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Bahasa Indonesia first, English second.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# Public SKM form: submissions per client address and hour (mutu.instruments.field_services).
MUTU_SKM_RATE_LIMIT = int(_env("MUTU_SKM_RATE_LIMIT"))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

STATIC_URL = "static/"
STATIC_ROOT = MUTU_HOME / "static"
MEDIA_ROOT = MUTU_HOME / "media"

# Static files are served by WhiteNoise. In production (`mutu serve --production`) they are
# collected into STATIC_ROOT with content-hashed, compressed names, cached as immutable;
# otherwise they are read straight from the apps' static folders.
PRODUCTION = _env("MUTU_PRODUCTION") == "1"
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
if PRODUCTION:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

# Security headers on every response; cookie and transport rules in production.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _env("MUTU_SECURE_COOKIES") == "1"
    # HSTS is off by default: on plain http it would lock browsers out of the site.
    SECURE_HSTS_SECONDS = int(_env("MUTU_HSTS_SECONDS"))
