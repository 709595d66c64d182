"""Settings for Cornerstone, read from the environment only.

Every variable has a safe default for local use; a value that cannot be parsed stops
start-up with a message naming the variable (see ``config.env``).
"""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from config import env

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.string("CORNERSTONE_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env.boolean("CORNERSTONE_DEBUG", default=False)
SECRET_KEY = env.secret_key("CORNERSTONE_SECRET_KEY", VAR_DIR / "secret.key")
ALLOWED_HOSTS = env.csv("CORNERSTONE_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env.csv("CORNERSTONE_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    # For its Swagger UI static files and template: the API docs then work offline.
    "ninja",
    "django_htmx",
    "template_partials",
    "cornerstone.core",
    "cornerstone.geo",
    "cornerstone.accounts",
    "cornerstone.projects",
    "cornerstone.plans",
    "cornerstone.progress",
    "cornerstone.problems",
    "cornerstone.alerts",
    "cornerstone.dispatch",
    "cornerstone.stats",
    "cornerstone.evaluation",
    "cornerstone.campaigns",
    "cornerstone.ingest",
    "django_tasks",
    "django_tasks_db",
    "cornerstone.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cornerstone" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cornerstone.accounts.context_processors.permissions",
            ],
            "builtins": ["cornerstone.core.templatetags.cornerstone"],
        },
    }
]

DATABASES = {
    "default": env.database(
        "DATABASE_URL",
        f"sqlite:///{VAR_DIR / 'cornerstone.sqlite3'}",
        random_page_cost=env.number("CORNERSTONE_PG_RANDOM_PAGE_COST", 1.1),
    )
}
# Lets parallel test runs on one PostgreSQL server use databases of their own.
if test_db_name := env.string("CORNERSTONE_TEST_DB_NAME", ""):
    DATABASES["default"]["TEST"] = {"NAME": test_db_name}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "projects:list"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "cornerstone" / "locale"]
TIME_ZONE = env.string("CORNERSTONE_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# WhiteNoise warns about a missing root on every start; collectstatic fills it for production.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "cornerstone" / "static"]
# WhiteNoise serves static files in every mode, straight from the apps when not collected.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(env.string("CORNERSTONE_MEDIA_ROOT", str(VAR_DIR / "media")))
# Evidence files are served by a scoped view, never from MEDIA_URL directly.
MEDIA_URL = "/unused-media/"

# Upload limits for lifecycle evidence.
EVIDENCE_MAX_BYTES = env.integer("CORNERSTONE_EVIDENCE_MAX_MB", 20) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Imports above this many data rows are refused; split the workbook.
IMPORT_MAX_ROWS = env.integer("CORNERSTONE_IMPORT_MAX_ROWS", 200_000)
IMPORT_MAX_MB = env.integer("CORNERSTONE_IMPORT_MAX_MB", 50)

# Statistics. 达效率 has no single published definition: a project is due to reach its
# designed capacity this many months after it went into production (changing it needs
# `manage.py stats_rollups_rebuild`). The start rate's denominator differs by place:
# "planned" (the year's planned new starts), "due" (those due by the month) or "all".
STATS_CAPACITY_MONTHS = env.integer("CORNERSTONE_STATS_CAPACITY_MONTHS", 12)
STATS_START_RATE_BASE = env.choice(
    "CORNERSTONE_STATS_START_RATE_BASE", "planned", ("planned", "due", "all")
)

# Briefing PDFs embed a subset of Noto Serif CJK from here (Debian's fonts-noto-cjk).
CORNERSTONE_CJK_FONT_DIR = Path(
    env.string("CORNERSTONE_CJK_FONT_DIR", "/usr/share/fonts/opentype/noto")
)

# Long work (imports, briefings, recomputing lights) runs as a task: "database" queues it
# for `manage.py db_worker` (bin/demo starts one); "immediate" runs it inside the request,
# for tests and scripts.
_TASKS_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS = {
    "default": {
        "BACKEND": _TASKS_BACKENDS[
            env.choice("CORNERSTONE_TASKS_BACKEND", "database", tuple(_TASKS_BACKENDS))
        ]
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.boolean("CORNERSTONE_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "frame-ancestors": ["'none'"],
    }
}

EMAIL_BACKEND = env.string(
    "CORNERSTONE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env.string("CORNERSTONE_FROM_EMAIL", "cornerstone@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.string("CORNERSTONE_LOG_LEVEL", "WARNING")},
}

NINJA_PAGINATION_PER_PAGE = 50
