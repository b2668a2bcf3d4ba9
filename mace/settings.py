"""MACE settings: one module, every deployment choice read from the environment.

SQLite is the embedded default; set DATABASE_URL for PostgreSQL. With DEBUG off (the
default) the settings are production-safe: a real SECRET_KEY is required, cookies are
secure, HTTPS is enforced and Django's deployment checks pass.
"""

import datetime
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from mace.lib.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)
TESTING = env_bool("MACE_TESTING", default=False)

_DEV_SECRET = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105
# Without DEBUG there is no default: Django refuses an empty key wherever one is used, and
# mace/wsgi.py asks for it at start-up, so a server never runs without one. Commands that
# need no key (migrations, checks) still run.
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET if DEBUG else "")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "crispy_forms",
    "crispy_forms_gds",
    "mace.frontend",
    "mace.accounts",
    "mace.audit",
    "mace.access",
    "mace.people",
    "mace.episodes",
    "mace.interviews",
    "mace.meetings",
    "mace.worklist",
    "mace.documents",
    "mace.exploitation",
    "mace.intelligence",
    "mace.disruption",
    "mace.education",
    "mace.imports",
    "mace.reports",
    "mace.returns",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "mace.api",
    "mace.maintenance",
    "mace.configuration",
    "mace.subject_access",
    "mace.retention",
]
# Demonstration data (`seed_demo`, `demo_logins`) and the benchmark (`generate_national`,
# `bench`) are tools, not the product: a deployment does not install them. They are installed
# with DEBUG (`make run`, the seeding steps of `make load`), in the tests, and wherever
# MACE_BENCH_APPS=1 says so (`make bench`, which runs `bench` with the production settings).
BENCH_APPS = env_bool("MACE_BENCH_APPS", default=DEBUG or TESTING)
if BENCH_APPS:
    INSTALLED_APPS += ["mace.demo", "mace.bench"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise: static files stay cacheable, everything else is no-store.
    "mace.lib.caching.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "mace.accounts.middleware.RequireTwoFactorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mace.urls"
WSGI_APPLICATION = "mace.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "mace" / "frontend" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mace.frontend.context_processors.navigation",
                "mace.configuration.context_processors.first_run_checklist",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'mace.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the development server and a command share the file.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
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
LOGIN_REDIRECT_URL = "frontend:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Idle sessions end after this many minutes without a request (C11).
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Lockout after repeated failed logins (C11): per account after LOGIN_FAILURE_LIMIT, and
# per address after the much higher LOGIN_FAILURE_LIMIT_PER_ADDRESS (password spraying,
# issue 16): a council's staff share a few outgoing addresses. See mace/accounts/lockout.py.
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 30)
LOGIN_FAILURE_LIMIT_PER_ADDRESS = env_int("LOGIN_FAILURE_LIMIT_PER_ADDRESS", 50)
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = LOGIN_LOCKOUT_MINUTES / 60
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "mace.accounts.lockout.AccountAndAddressHandler"
AXES_CLIENT_IP_CALLABLE = "mace.accounts.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "mace.accounts.lockout.refusal"
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["password", "token"]
# axes.W006 asks for axes' own lockout by address too. That would lock out a whole council
# or police station behind one outgoing address at the account's limit of five, so axes
# locks by username and mace.accounts.lockout adds the higher per-address limit.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "MACE")

# Opening a restricted child record asks for a reason; the permission lasts this long.
RESTRICTED_ACCESS_HOURS = env_int("RESTRICTED_ACCESS_HOURS", 8)
# Similarity (0-100) at which a new child is shown as a possible duplicate.
DUPLICATE_NAME_SCORE = env_int("DUPLICATE_NAME_SCORE", 85)

# Local timescales and thresholds of SPEC section 4, each a setting (read in one place:
# mace/worklist/thresholds.py). The defaults are those of seed 003.
MINIMUM_POLICE_RISK_GRADE = env_str("MINIMUM_POLICE_RISK_GRADE", "medium")  # T1
STRATEGY_MEETING_HOURS = env_int("STRATEGY_MEETING_HOURS", 24)  # T3, T6
SAFE_AND_WELL_HIGH_RISK_HOURS = env_int("SAFE_AND_WELL_HIGH_RISK_HOURS", 1)  # T4
SAFE_AND_WELL_HOURS = env_int("SAFE_AND_WELL_HOURS", 3)  # T5
RETURN_INTERVIEW_HOURS = env_int("RETURN_INTERVIEW_HOURS", 72)  # T7, T12
RETURN_INTERVIEW_REFERRAL_HOURS = env_int("RETURN_INTERVIEW_REFERRAL_HOURS", 24)  # T8
DIRECTOR_LETTER_EPISODES = env_int("DIRECTOR_LETTER_EPISODES", 3)  # T11
SUPERVISION_DAYS = env_int("SUPERVISION_DAYS", 28)  # T16
SUPERVISION_ACTIVE_DAYS = env_int("SUPERVISION_ACTIVE_DAYS", 90)  # T16: how long after an episode
WEEKLY_MEETING_WEEKDAY = env_int("WEEKLY_MEETING_WEEKDAY", 1)  # Monday 0: Tuesday (003 A5)
WEEKLY_MEETING_TIME = env_str("WEEKLY_MEETING_TIME", "14:00")
RISK_ASSESSMENT_REVIEW_DAYS = env_int("RISK_ASSESSMENT_REVIEW_DAYS", 91)  # T15: about 3 months
TRANSITION_AGE_MONTHS = env_int("TRANSITION_AGE_MONTHS", 210)  # T20: 17 and a half (000, 004)
MINUTES_DAYS = env_int("MINUTES_DAYS", 14)  # T21: minutes agreed and circulated (003 A5)
# Reports marked for publication suppress counts below this (SPEC C9).
REPORT_SUPPRESS_BELOW = env_int("REPORT_SUPPRESS_BELOW", 5)
# Analysts' reports, always suppressed, cover whole quarters of at least this many days, both
# ends counted (issue 16): 90 is the shortest quarter, so by default any whole quarter will do.
ANALYST_MINIMUM_REPORT_DAYS = env_int("ANALYST_MINIMUM_REPORT_DAYS", 90)
# T17-T19, counted in school days (003 §31, §34, §43)
SCHOOL_NOTIFY_DAYS = env_int("SCHOOL_NOTIFY_DAYS", 10)
ENQUIRY_DAYS = env_int("ENQUIRY_DAYS", 10)
FAIR_ACCESS_MONTHS = env_int("FAIR_ACCESS_MONTHS", 2)
FAIR_ACCESS_REJECTIONS = env_int("FAIR_ACCESS_REJECTIONS", 3)
DUE_SOON_HOURS = env_int("DUE_SOON_HOURS", 2)  # warn the owner this long before a deadline
# Retention (issue 20 point 1, docs/retention.md): how long a child's records are kept, and
# when intelligence is reviewed. Each a setting on /settings/retention/.
RETENTION_CHILD_YEARS = env_int("RETENTION_CHILD_YEARS", 25)  # until the 25th birthday
RETENTION_LOOKED_AFTER_YEARS = env_int("RETENTION_LOOKED_AFTER_YEARS", 75)  # from birth
RETENTION_CME_YEARS = env_int("RETENTION_CME_YEARS", 25)  # children missing education
RETENTION_INTELLIGENCE_REVIEW_MONTHS = env_int("RETENTION_INTELLIGENCE_REVIEW_MONTHS", 12)
# Issue 18: every escalation reaches a named person. An overdue item goes to the managers of
# its team, else to managers without a team, else to every active manager, else to the user
# with this username (empty: none). `manage.py check --database default` warns when it names
# no active user.
ESCALATION_FALLBACK_USERNAME = env_str("ESCALATION_FALLBACK_USERNAME", "")
# Emails that fail are tried again by the scheduled checks, this many times in all, waiting
# EMAIL_RETRY_MINUTES after the first failure and twice as long after each one after that.
EMAIL_ATTEMPTS = env_int("EMAIL_ATTEMPTS", 5)
EMAIL_RETRY_MINUTES = env_int("EMAIL_RETRY_MINUTES", 5)
# The daily digest of notifications, for those who chose it, goes at the first scheduled run
# at or after this hour (local time, 0-23).
NOTIFICATION_DIGEST_HOUR = env_int("NOTIFICATION_DIGEST_HOUR", 7)
# Go-live (issue 18): the day MACE took over from the partnership's trackers, YYYY-MM-DD, or
# empty for none. Episodes that ended before it are history: their due items are born closed.
GO_LIVE_DATE = env_str("GO_LIVE_DATE", "")
if GO_LIVE_DATE:
    try:
        datetime.date.fromisoformat(GO_LIVE_DATE)
    except ValueError:
        raise ImproperlyConfigured(
            "GO_LIVE_DATE must be a date written YYYY-MM-DD, such as 2027-04-01, "
            f"not {GO_LIVE_DATE!r}"
        ) from None

# Return interview providers (003 §21-25), by agency name; administrators create them.
RHI_PROVIDER_UNDER_13_FROM_HOME = env_str(
    "RHI_PROVIDER_UNDER_13_FROM_HOME", "Northbridge Family Wellbeing Service"
)
RHI_PROVIDER_13_AND_OVER_FROM_HOME = env_str(
    "RHI_PROVIDER_13_AND_OVER_FROM_HOME", "Northbridge Targeted Youth Service"
)
RHI_PROVIDER_LOOKED_AFTER = env_str("RHI_PROVIDER_LOOKED_AFTER", "Independent Advocacy Service")
# The SSDA903 return (SPEC C9): the kind of child identifier (people.ChildIdentifier.Kind:
# case_record, tracker, police, nhs, upn, other) whose value goes in CHILD, since the return
# is merged with the case system's; empty for MACE's own reference. A child without one has
# MACE's reference, and export_ssda903 says how many.
SSDA903_CHILD_IDENTIFIER_KIND = env_str("SSDA903_CHILD_IDENTIFIER_KIND", "")
# The authority MACE serves, by ONS code: children placed by others are those whose
# placing authority is not this one (003 §15).
HOME_AUTHORITY_ONS_CODE = env_str("HOME_AUTHORITY_ONS_CODE", "E09999901")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "build" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Children's photographs (issue 20 point 3) are kept here, outside the static files and any
# web server's root: no URL reaches them except the view that asks the access policy first
# (people.views.photograph). Back this directory up with the database.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private-media")))
# What a photograph upload may be: its size in megabytes, its pixels (a decompression bomb is
# refused before it is decoded), and the longest side of the JPEG that MACE keeps.
PHOTOGRAPH_MAX_UPLOAD_MB = env_int("PHOTOGRAPH_MAX_UPLOAD_MB", 10)
PHOTOGRAPH_MAX_PIXELS = env_int("PHOTOGRAPH_MAX_PIXELS", 40_000_000)
PHOTOGRAPH_LONGEST_SIDE = env_int("PHOTOGRAPH_LONGEST_SIDE", 1200)

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "mace@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Production safety whenever DEBUG is off. Each can be relaxed from the environment only
# for a deployment that terminates TLS elsewhere and says so.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# Preload asks browsers never to use plain HTTP for the domain; set 0 to opt out.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts only from MACE, inline ones only with the
# request's nonce (the GOV.UK "js-enabled" line and the initAll calls in base.html). Inline
# styles stay allowed: the server-rendered SVG charts carry them, and styles cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Behind a TLS-terminating proxy: trust its X-Forwarded-Proto, and take the client's address
# for sign-in throttling from the last X-Forwarded-For entry, the one the proxy appended.
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", default=False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The API (issue 8): token authentication only (tokens are made on a page after both factors),
# one error shape, pagination, filtering and rate limits; described by its own OpenAPI 3.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["knox.auth.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "mace.api.pagination.Pages",
    "DEFAULT_SCHEMA_CLASS": "mace.api.schema.MaceAutoSchema",
    "EXCEPTION_HANDLER": "mace.api.errors.handle",
    "DEFAULT_THROTTLE_CLASSES": [
        "mace.api.throttling.PerUser",
        "mace.api.throttling.PerAddress",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": env_str("API_RATE_USER", "600/minute"),
        "anon": env_str("API_RATE_ANON", "30/minute"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
REST_KNOX = {
    "TOKEN_TTL": datetime.timedelta(days=env_int("API_TOKEN_DAYS", 90)),
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "MACE API",
    "DESCRIPTION": "Children missing from home, care or education and children at risk of "
    "exploitation: the records of MACE, through the same access rules as its pages. "
    "Authenticate with `Authorization: Token <token>`; make tokens at /api-tokens/.",
    "VERSION": "1",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "LegalStatusEnum": "mace.people.models.LegalStatusKind.choices",
        "RiskLevelEnum": "mace.exploitation.models.RiskLevel.choices",
        "EpisodeKindEnum": "mace.episodes.models.EpisodeKind.choices",
        "LinkKindEnum": "mace.api.schema.LINK_KINDS",
    },
    "APPEND_COMPONENTS": {
        "securitySchemes": {
            "tokenAuth": {
                "type": "apiKey",
                "in": "header",
                "name": "Authorization",
                "description": "`Token <token>`",
            }
        }
    },
    "SECURITY": [{"tokenAuth": []}],
    "AUTHENTICATION_WHITELIST": [],
}

# Logs carry opaque identifiers only: no names, no request bodies (C11).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "mace.lib.logging.WithoutExceptionMessages",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
