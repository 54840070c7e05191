"""Settings for the newsroom CMS.

Every value that differs between machines is read from the environment through django-environ
(a `.env` file beside manage.py is read too; see `.env.example` for the full list).
"""

import ipaddress
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off: set it in the environment or in .env "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))' makes one)."
        )
    # Only ever used with DEBUG on, on a developer's machine.
    SECRET_KEY = "django-insecure-development-only-key"  # noqa: S105

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

NEWSROOM_NAME = env.str("NEWSROOM_NAME", default="The Eastmere Ledger")
# The site's public address, for canonical URLs, Open Graph, JSON-LD and links in emails. In
# development it follows the address `make run` serves on (HOST and PORT); in production it
# must be given.
HOST = env.str("HOST", default="127.0.0.1")
PORT = env.int("PORT", default=8000)
SITE_URL = (env.str("SITE_URL", default="") or (f"http://{HOST}:{PORT}" if DEBUG else "")).rstrip(
    "/"
)
if not SITE_URL:
    raise ImproperlyConfigured(
        "SITE_URL is required when DEBUG is off: the site's public address, e.g. "
        "https://news.example.org (used in canonical links, feeds and emails)."
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "taggit",
    "simple_history",
    "django_prose_editor",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "django_ratelimit",
    "accounts",
    "photos",
    "people",
    "articles",
    "planning",
    "sourcing",
    "public",
    "demo",
    "operations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "newsroom.middleware.RejectNulInQueryStringMiddleware",
    # Before the session: a page served from the page cache costs no session or SQL.
    "newsroom.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.two_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "newsroom.middleware.DatabaseUnavailableMiddleware",
    # Axes must come last: it turns a locked-out login into a 429 response.
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # Serves the collected static files in production (runserver does it in development).
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"
ASGI_APPLICATION = "newsroom.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsroom.context_processors.newsroom",
                "public.navigation.site_chrome",
            ],
        },
    },
]

# Databases: SQLite is the embedded default; PostgreSQL is the production database.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take SQLite's write lock up front, so concurrent writers (web
    # server, task worker, cron) queue behind each other instead of failing mid-transaction.
    # Write-ahead logging lets pages be read while the worker writes, and with synchronous=NORMAL
    # a commit waits for no disk flush (a power cut may lose the last commits, never corrupt).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file beside the database, not shared memory, so tests that run several threads get
    # real locking (and two checkouts or DATABASE_URLs never share a test database).
    _sqlite_file = Path(DATABASES["default"]["NAME"])
    _test_file = _sqlite_file.with_name(f"test-{_sqlite_file.name}")
    DATABASES["default"]["TEST"] = {"NAME": str(_test_file)}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://newsroom")}
SILENCED_SYSTEM_CHECKS = []
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache":
    # Rate limits kept in local memory count per process: right for one process, and with
    # several app server processes each counts its own (README: use Redis for more than one).
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003", "django_ratelimit.W001"]

# Public listings serve at most this many pages (older stories: the date archives), so that no
# listing's cost grows with the archive (public/pagination.py).
PUBLIC_LIST_MAX_PAGES = env.int("PUBLIC_LIST_MAX_PAGES", default=50)

# The page cache for anonymous readers (newsroom/page_cache.py). On by default with a shared
# cache (CACHE_URL=redis://...): a local-memory cache is per process, and a purge made by the
# task worker (a scheduled publication) would not reach the web server's copy.
PAGE_CACHE = env.bool(
    "PAGE_CACHE",
    default=CACHES["default"]["BACKEND"] != "django.core.cache.backends.locmem.LocMemCache",
)
PAGE_CACHE_ALIAS = "default"
# Rendered fragments of public pages (an article's page around the site's chrome, each story
# card), kept in the shared cache under the page cache's versions (public/fragments.py), so a
# page the page cache cannot serve is still quick to make. On by default with a shared cache,
# for the same reason as the page cache.
FRAGMENT_CACHE = env.bool(
    "FRAGMENT_CACHE",
    default=CACHES["default"]["BACKEND"] != "django.core.cache.backends.locmem.LocMemCache",
)
# Change on deploy (e.g. the commit) so that pages made by the old templates are not served.
PAGE_CACHE_RELEASE = env.str("PAGE_CACHE_RELEASE", default="")
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60 * 60)
# Pages each process keeps in its memory after serving them from the page cache, served again
# without reading Redis until the next purge, which Redis announces to every process
# (newsroom/recent_pages.py). Needs the cache in Redis; 0 turns it off.
PAGE_CACHE_LOCAL_ENTRIES = env.int("PAGE_CACHE_LOCAL_ENTRIES", default=500)
# What responses tell browsers and CDNs (Cache-Control max-age, s-maxage,
# stale-while-revalidate); a CDN that purges by Surrogate-Key can be given a longer s-maxage.
PAGE_CACHE_BROWSER_SECONDS = env.int("PAGE_CACHE_BROWSER_SECONDS", default=60)
PAGE_CACHE_CDN_SECONDS = env.int("PAGE_CACHE_CDN_SECONDS", default=300)
PAGE_CACHE_STALE_SECONDS = env.int("PAGE_CACHE_STALE_SECONDS", default=60)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The task worker (`manage.py run_worker`) writes a heartbeat this often; a worker silent for
# WORKER_STALE_SECONDS counts as stopped, and the task it was running goes back in the queue.
WORKER_HEARTBEAT_SECONDS = env.int("WORKER_HEARTBEAT_SECONDS", default=10)
WORKER_STALE_SECONDS = env.int("WORKER_STALE_SECONDS", default=60)
# A task started this many times without finishing is marked failed instead.
TASK_MAX_ATTEMPTS = 5
# /health/ fails when a due task has waited longer than this (the queue is stuck).
HEALTH_QUEUE_MAX_WAIT_SECONDS = env.int("HEALTH_QUEUE_MAX_WAIT_SECONDS", default=120)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

# Reverse proxies in front of the app whose X-Forwarded-For is trusted (0: none, the socket's
# address is the client's). Set it to the exact number of proxies: more lets clients forge
# their address, fewer makes every client look like the proxy.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Admin login rate limit (django-axes): after AXES_FAILURE_LIMIT failures for one username
# from one client address, that username is refused from that address for AXES_COOLOFF_TIME.
# Keyed on both, so no one can lock a colleague out from elsewhere; guessing one password from
# many addresses is what the second factor is for (README, "Staff accounts").
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "accounts.client_address.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"

# Two-factor authentication (django-otp): compulsory for roles that publish or see confidential
# identities (accounts/two_factor.py).
OTP_TOTP_ISSUER = NEWSROOM_NAME
TWO_FACTOR_RECOVERY_CODES = 10
# Passkeys (django-otp-webauthn) are a second factor beside the authenticator app, never a login
# on their own: the password step (rate-limited by django-axes) always comes first. They are
# bound to the site's own address; browsers refuse them on a bare IP address, so a development
# site on 127.0.0.1 offers them at localhost instead.
_site = urlsplit(SITE_URL)
try:
    ipaddress.ip_address(_site.hostname)
    OTP_WEBAUTHN_RP_ID = "localhost"
except ValueError:
    OTP_WEBAUTHN_RP_ID = _site.hostname
OTP_WEBAUTHN_RP_NAME = NEWSROOM_NAME
_port = f":{_site.port}" if _site.port else ""
OTP_WEBAUTHN_ALLOWED_ORIGINS = [f"{_site.scheme}://{OTP_WEBAUTHN_RP_ID}{_port}"]
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_HELPER_CLASS = "accounts.passkeys.PasskeyHelper"

# Password reset by email: links work for an hour; requests are limited per client address and
# per email address (django-ratelimit, in the cache).
PASSWORD_RESET_TIMEOUT = 60 * 60
PASSWORD_RESET_RATE = env.str("PASSWORD_RESET_RATE", default="5/h")
RATELIMIT_IP_META_KEY = "accounts.client_address.client_address"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Fact-check evidence: never under MEDIA_URL, served only through a permission-checked view.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private-media")
# Photos and their renditions: local files under MEDIA_ROOT, or an S3-compatible bucket when
# MEDIA_BUCKET is set (django-storages). Their names never repeat (a new file or rendition gets a
# new name), so they are cached for a year. Fact-check evidence ("private") always stays on the
# local disk, never in the public bucket.
MEDIA_CACHE_CONTROL = "public, max-age=31536000, immutable"
MEDIA_BUCKET = env.str("MEDIA_BUCKET", default="")
if MEDIA_BUCKET:
    _media_domain = env.str("MEDIA_CUSTOM_DOMAIN", default="")
    _media_endpoint = env.str("MEDIA_ENDPOINT_URL", default="")
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_BUCKET,
            "endpoint_url": _media_endpoint or None,
            "region_name": env.str("MEDIA_REGION", default="") or None,
            "access_key": env.str("MEDIA_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("MEDIA_SECRET_ACCESS_KEY", default="") or None,
            "custom_domain": _media_domain or None,
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": MEDIA_CACHE_CONTROL},
        },
    }
    # Where readers' browsers fetch photos from, for the Content-Security-Policy.
    MEDIA_ORIGINS = [
        f"https://{_media_domain}"
        if _media_domain
        else _media_endpoint or f"https://{MEDIA_BUCKET}.s3.amazonaws.com"
    ]
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    MEDIA_ORIGINS = []
STORAGES = {
    "default": _media_storage,
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": "/admin/sourcing/evidence/"},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# EMAIL_URL (django-environ's URL forms: consolemail://, smtp+tls://user:pass@host:587, ...)
# becomes Django's MAILERS setting. Development prints mail; production defaults to a local MTA.
_email = env.email("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
_MAILER_OPTIONS = {
    "EMAIL_HOST": "host",
    "EMAIL_PORT": "port",
    "EMAIL_HOST_USER": "username",
    "EMAIL_HOST_PASSWORD": "password",
    "EMAIL_USE_TLS": "use_tls",
    "EMAIL_USE_SSL": "use_ssl",
    "EMAIL_FILE_PATH": "file_path",
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {
            option: _email[key]
            for key, option in _MAILER_OPTIONS.items()
            if _email.get(key) not in (None, "")
        },
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="newsroom@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. The defaults are the production-safe ones whenever DEBUG is off.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Load balancers probe the health check over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    # The hash admits the one <style> element the admin's rich-text editor (tiptap) injects.
    "style-src": [CSP.SELF, CSP.NONCE, "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"],
    "img-src": [CSP.SELF, "data:", *MEDIA_ORIGINS],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Uploads: a request body above this is refused before it reaches a view.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
PHOTO_MAX_BYTES = env.int("PHOTO_MAX_BYTES", default=15 * 1024 * 1024)
PHOTO_MAX_PIXELS = env.int("PHOTO_MAX_PIXELS", default=40_000_000)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Editorial settings.
PREVIEW_LINK_LIFETIME = timedelta(hours=env.int("PREVIEW_LINK_HOURS", default=48))
EDITING_HEARTBEAT_SECONDS = 20
EDITING_PRESENCE_WINDOW = timedelta(minutes=1)
FACTCHECK_TIME = timedelta(hours=env.int("FACTCHECK_HOURS", default=24))
SOURCING_QUOTE_MIN_WORDS = env.int("SOURCING_QUOTE_MIN_WORDS", default=4)
SOURCING_ANONYMOUS_STORY_LIMIT = env.int("SOURCING_ANONYMOUS_STORY_LIMIT", default=3)
SOURCING_QUOTES_PER_STORY_LIMIT = env.int("SOURCING_QUOTES_PER_STORY_LIMIT", default=300)
# PostgreSQL's text-search configuration for the search index (stemming, stop words); after
# changing it run `manage.py rebuild_search_index`. SQLite always uses FTS5's Porter stemmer.
SEARCH_CONFIG = env.str("SEARCH_CONFIG", default="english")

SIMPLE_HISTORY_REVERT_DISABLED = True  # restoring goes through ArticleAdmin's restore view

TAGGIT_CASE_INSENSITIVE = True

# One handler, on the root logger: every line is written once. Django's own "django" logger
# would otherwise print through its console handler and again through the root's (the task
# worker's lines came out twice). The apps log one key=value line per event: loggers
# "articles.workflow" (transitions, gate refusals, scheduled runs) and "sourcing.confidential"
# (identity views, by id only).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "axes": {"level": "WARNING"},
    },
}
