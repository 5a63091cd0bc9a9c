"""Settings for the portal. Every deployment-specific value comes from the environment through the
strict helpers in portal.env; see the README for the list."""

import datetime
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal.env import env_bool, env_database, env_int, env_list, env_str, env_timezone, env_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY: required when DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG-on"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])

INSTALLED_APPS = [
    "modeltranslation",  # before the admin, whose forms it extends
    "portal.admin_site.PortalAdminConfig",  # the admin, behind the second factor (portal.mfa)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_htmx",
    "template_partials",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "core",
    "portal",
    "actionplan",
    "meetings",
    "monitoring",
    "publishing",
    "following",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # 304 for a conditional request, cached page or not; then the anonymous page cache.
    "django.middleware.http.ConditionalGetMiddleware",
    "core.pagecache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After the language is known (its 429 page speaks it), before the CSRF check and the view.
    "core.ratelimit.RateLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.http.AllowedMethodsMiddleware",  # 405 before the CSRF check's 403
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # which device verified this sign-in, if any
    "core.sessions.AbsoluteSessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After HTMX (a half-signed-in HTMX request gets HX-Redirect): the code page until given.
    "portal.mfa.SecondFactorMiddleware",
    # last, as django-axes asks: it turns a locked-out sign-in into the lockout page
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "core.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'portal.sqlite3'}")}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the public read while a staff member writes; a busy timeout waits instead of
    # failing with "database is locked" under the dev server's threads.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_url("REDIS_URL", ("redis", "rediss", "unix"))
if REDIS_URL:
    # Shared by every app server: sign-in throttling, rate limits and the public page cache.
    CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"portal-{alias}",
        }
        for alias in ("default", "pages")
    }
else:
    CACHES = {
        alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": alias}
        for alias in ("default", "pages")
    }

# Anonymous pages come from the "pages" cache, keyed by a data version that database triggers
# move on at every write to these apps' tables (core.pagecache, core.dataversion).
PAGE_CACHE_ALIAS = "pages"
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 3600, minimum=0)
PAGE_CACHE_UNCACHED_PATHS = ("/healthz",)
# Views too costly to render for every visitor even with the page cache off: the sitemap.
VIEW_CACHE_SECONDS = env_int("VIEW_CACHE_SECONDS", 3600, minimum=0)
DATA_VERSION_APPS = ["actionplan", "meetings", "monitoring"]
DATA_VERSION_MODELS = ["auth.User"]  # monitors and authors are named on public pages

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "sk"
LANGUAGES = [("sk", _("Slovak")), ("en", _("English"))]
# The plan's content has a column per language (<app>/translation.py). Reading `step.title` gives
# the current language's text, else the other's; pages use core.content, which marks the latter.
MODELTRANSLATION_DEFAULT_LANGUAGE = "sk"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("sk", "en"), "sk": ("en",), "en": ("sk",)}
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["portal.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_timezone("TIME_ZONE", "Europe/Bratislava")

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 30 * 60, minimum=60)
SESSION_SAVE_EVERY_REQUEST = True  # the age counts from the last request: expiry after inactivity
# However active, a sign-in ends this long after it began (core.sessions).
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 3600, minimum=60)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the page, not the cookie
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts, styles, images and fonts from this origin only;
# no inline script, style attribute or event handler anywhere (templates and static/src/js; HTMX's
# own indicator style is off in portal/_htmx_config.html). CSP_REPORT_ONLY=1 sends the same policy
# as Content-Security-Policy-Report-Only, to try a change on a live site without breaking it.
# Downloads of uploaded files set a stricter sandbox policy of their own, which is kept.
_CSP = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # ID-SK's stylesheet draws some icons as data: SVG images (an image runs no script)
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# (No setting named CSP_*: django-csp's check takes any such name for its old settings format.)
if env_bool("CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP
else:
    CONTENT_SECURITY_POLICY = _CSP
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_SECONDS", 24 * 3600, minimum=600)

# HTTPS. In production the portal sits behind a TLS-terminating proxy (deploy/nginx): the proxy
# says which requests came in over HTTPS, and the origins of the forms must be trusted.
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# How many proxies in front of the portal append to X-Forwarded-For; the client's address is the
# one the outermost of them saw (core.http.client_ip). 0: use the connection's own address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0, maximum=5)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading binds the whole domain to HTTPS in browsers for good: the operator opts in.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# Accounts: sign-in throttled by django-axes, separately per username and per IP address, so
# neither guessing one account from many machines nor many accounts from one machine goes far.
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "staff:my_steps"
LOGOUT_REDIRECT_URL = "actionplan:home"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1))
# Locked per (username, client address) pair: nobody can lock a named account out from elsewhere.
# A looser per-address limit (portal.accounts.LOGIN_IP_FAILURE_LIMIT) stops guessing many names.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "core.http.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.accounts.locked_out"
LOGIN_IP_FAILURE_LIMIT = env_int("LOGIN_IP_FAILURE_LIMIT", 50, minimum=1)
# A second factor (portal.mfa, django-otp): after the password, everyone with a role gives a code
# from an authenticator app or a recovery code. With DEBUG only those who have enrolled are asked.
MFA_REQUIRED = env_bool("MFA_REQUIRED", not DEBUG)
# Requests per client address and window (core.ratelimit), counted in the shared cache:
# every form POST; PDF renders a request would queue; password-reset mails.
RATE_LIMITS = {
    "post": (env_int("RATE_LIMIT_POSTS", 60, minimum=1), 600),
    "pdf": (env_int("RATE_LIMIT_PDFS", 20, minimum=1), 600),
    "password_reset": (env_int("RATE_LIMIT_PASSWORD_RESETS", 5, minimum=1), 3600),
    "mfa": (env_int("RATE_LIMIT_MFA_CODES", 10, minimum=1), 600),
}
# Mail (password resets, the following app's confirmations and digests): over SMTP when
# EMAIL_HOST is given; in development without one, printed to the console instead.
EMAIL_HOST = env_str("EMAIL_HOST", "")
if DEBUG and not EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = EMAIL_HOST or "localhost"
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1, maximum=65535)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "webmaster@localhost")
# Evidence files attached to step updates; checked by content, stored under server-made names.
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_MB", 10, minimum=1, maximum=100) * 1024 * 1024

SITE_NAME = env_str("SITE_NAME", "Otvorená samospráva · Open Government")
SITE_OPERATOR = env_str("SITE_OPERATOR", "Mesto Banská Bystrica")
SITE_CONTACT_EMAIL = env_str("SITE_CONTACT_EMAIL", "")
# The portal's address as the public reaches it: links in mails are made absolute with it.
# Without it: the development server, or HTTPS on the first of ALLOWED_HOSTS.
SITE_URL = (
    env_url("SITE_URL", ("http", "https"))
    or ("http://127.0.0.1:8000" if DEBUG or not ALLOWED_HOSTS else f"https://{ALLOWED_HOSTS[0]}")
).rstrip("/")
# The four-month rule: a step without a report for this many days is flagged on "My steps" and
# in the weekly reminder to its institutions' staff.
STALE_AFTER_DAYS = env_int("STALE_AFTER_DAYS", 100, minimum=1)

# --- Following by email (following app) ----------------------------------------------------------
# Changes within this many seconds of the first one go out in one mail per subscriber.
FOLLOWING_BATCH_SECONDS = env_int("FOLLOWING_BATCH_SECONDS", 20 if DEBUG else 300, minimum=0)
# How long the link in a confirmation mail works.
FOLLOWING_CONFIRM_HOURS = env_int("FOLLOWING_CONFIRM_HOURS", 48, minimum=1)
# Undeliverable mails after which an address is suspended.
FOLLOWING_BOUNCE_LIMIT = env_int("FOLLOWING_BOUNCE_LIMIT", 3, minimum=1)
# Attempts at one mail on temporary SMTP errors, the first retry after FOLLOWING_RETRY_SECONDS,
# each further one after twice as long as the one before.
FOLLOWING_MAX_ATTEMPTS = env_int("FOLLOWING_MAX_ATTEMPTS", 6, minimum=1)
FOLLOWING_RETRY_SECONDS = env_int("FOLLOWING_RETRY_SECONDS", 60, minimum=1)
# How often `manage.py following_scheduler` looks for changes and mail to send.
FOLLOWING_TICK_SECONDS = env_int("FOLLOWING_TICK_SECONDS", 10, minimum=1)

# What authenticator apps call the portal's entry. Administrators see who has which device in
# the admin and can remove one, but never its secret or recovery codes.
OTP_TOTP_ISSUER = SITE_NAME
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# --- Monitoring: background tasks for PDF reports (monitoring app) --------------------------------
# PDFs are rendered in a background task through the django-tasks API. "database" queues tasks
# in a table (django-tasks-db) worked by `manage.py db_worker` (run it beside the web server);
# "immediate" runs a task inside the request that enqueues it, which suits development and tests.
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_tasks_backend = env_str("TASKS_BACKEND", "immediate" if DEBUG else "database")
if _tasks_backend not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND: expected one of {', '.join(_TASK_BACKENDS)}; got {_tasks_backend!r}"
    )
if _tasks_backend == "immediate" and not DEBUG:
    # A PDF rendered inside the request would tie up a web worker for seconds per request.
    raise ImproperlyConfigured(
        "TASKS_BACKEND: 'immediate' runs tasks inside web requests; with DEBUG off use 'database' "
        "and run `manage.py db_worker`"
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_tasks_backend]}}
# WeasyPrint reports every screen-only rule of the ID-SK stylesheet it skips; only errors matter.
LOGGING["loggers"] = {
    **LOGGING.get("loggers", {}),
    "weasyprint": {"level": "ERROR"},
    "fontTools": {"level": "ERROR"},
}
