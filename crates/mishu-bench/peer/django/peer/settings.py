"""Settings of the Django peer: Django's defaults as `startproject` writes them, minus what
the two measured views never touch (admin, messages, static files), on the bench's own
SQLite file (`MISHU_PEER_DB`) opened as `mishu serve` opens it."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
# Mishu's zh-CN catalogues, read by the template tags like the app's `ctx.t`.
I18N_DIR = BASE_DIR.parent.parent.parent / "mishu-web" / "i18n" / "zh-CN"

# A throw-away key: the peer only ever signs the bench's own session.
SECRET_KEY = os.environ.get("MISHU_PEER_SECRET", "mishu-bench-django-peer-not-a-secret-0123456789abcdef")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "peer",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "peer.urls"
WSGI_APPLICATION = "peer.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        # With DEBUG off Django wraps the app loader in its cached loader: templates are
        # compiled once per worker, as askama compiles ours once.
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("MISHU_PEER_DB", str(BASE_DIR / "mishu.db")),
        # Persistent connections: one per worker for its whole life (performance.md A2).
        "CONN_MAX_AGE": None,
        "OPTIONS": {
            "timeout": 10,
            # The write lock up front, as Mishu's `Db::begin` takes it (`BEGIN IMMEDIATE`).
            "transaction_mode": "IMMEDIATE",
            # The pragmas `mishu serve` sets on each connection (WAL is a property of the file).
            "init_command": "PRAGMA synchronous=FULL; PRAGMA secure_delete=ON; PRAGMA busy_timeout=10000",
        },
    }
}

AUTH_PASSWORD_VALIDATORS = []
LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = False
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SESSION_COOKIE_NAME = "sessionid"
# The CSRF secret in the session, as ours keeps the CSRF token in the session row (and
# `peer_session` puts it there up front, so no request writes the session).
CSRF_USE_SESSIONS = True
# Sessions live a day, so one made before the run outlasts it.
SESSION_COOKIE_AGE = 86400
LOGGING = {"version": 1, "disable_existing_loggers": False}
