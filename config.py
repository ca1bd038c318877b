"""Configuration classes. Environment variables override the class defaults."""

import os
import uuid


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url(variable: str, default: str) -> str:
    url = os.environ.get(variable, default)
    # Hosting services hand out postgres://, which SQLAlchemy rejects; use psycopg 3.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = _database_url("DATABASE_URL", "sqlite:///eventmgr.sqlite")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"

    # Server-side sessions (eventmgr/auth/sessions.py): ended after this long without a request,
    # and after this long in any case (ASVS 7.3).
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", str(12 * 60)))
    SESSION_MAX_HOURS = int(os.environ.get("SESSION_MAX_HOURS", str(14 * 24)))

    # Flask-WTF's HTTPS check wants a Referer on every POST, but token pages send none
    # (Referrer-Policy: no-referrer): eventmgr/security.py refuses a foreign Origin/Referer instead.
    WTF_CSRF_SSL_STRICT = False
    WTF_CSRF_TIME_LIMIT = None  # tied to the session instead, so long forms don't expire

    # flask-limiter: memory by default, e.g. redis://127.0.0.1:6379 in production.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute")
    # Counted in the database (eventmgr/auth/throttle.py), so they hold across workers and hosts:
    # failed sign-ins per account and per client address in a window, then a lock until it ends.
    LOGIN_FAILURE_WINDOW_MINUTES = int(os.environ.get("LOGIN_FAILURE_WINDOW_MINUTES", "15"))
    LOGIN_FAILURES_PER_ACCOUNT = int(os.environ.get("LOGIN_FAILURES_PER_ACCOUNT", "10"))
    LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("LOGIN_FAILURES_PER_ADDRESS", "30"))
    LOGIN_SLOWDOWN_AFTER = int(os.environ.get("LOGIN_SLOWDOWN_AFTER", "3"))
    # Reset links: mails per account address per hour, requests per client address per hour.
    RESET_MAILS_PER_ACCOUNT = int(os.environ.get("RESET_MAILS_PER_ACCOUNT", "3"))
    RESET_REQUESTS_PER_ADDRESS = int(os.environ.get("RESET_REQUESTS_PER_ADDRESS", "20"))

    # Participant-area documents (eventmgr.portal), stored under instance/uploads/.
    UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))

    # Outbox delivery (eventmgr.mail): smtp | file | memory.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "file")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _env_bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "eventmgr <noreply@localhost>")
    # The mailbox calendar answers (Accept / Decline) go to; without one, invitations ask for none.
    MAIL_ORGANIZER = os.environ.get("MAIL_ORGANIZER") or None
    # Temporary failures are retried after 1, 2, 4 ... minutes, then hourly: 30 attempts ~ a day.
    MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "30"))
    # A message a sender holds is taken over by another after this long (a sender killed mid-way).
    MAIL_CLAIM_LEASE_SECONDS = int(os.environ.get("MAIL_CLAIM_LEASE_SECONDS", "120"))
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", "30"))
    # Mass mailings and cancellation notices wait this long in the outbox, so they can be undone.
    MAIL_UNDO_SECONDS = int(os.environ.get("MAIL_UNDO_SECONDS", "120"))

    # The public address: every absolute URL (mails, feeds, exports) is built from it, and only
    # its host (plus EVENTMGR_TRUSTED_HOSTS, comma-separated) is served. See eventmgr/links.py.
    EVENTMGR_BASE_URL = os.environ.get("EVENTMGR_BASE_URL", "http://127.0.0.1:5000")
    EVENTMGR_TRUSTED_HOSTS = os.environ.get("EVENTMGR_TRUSTED_HOSTS", "localhost")
    # Number of reverse proxies in front (werkzeug's ProxyFix); 0: X-Forwarded-* are ignored.
    EVENTMGR_PROXY_COUNT = int(os.environ.get("EVENTMGR_PROXY_COUNT", "0"))

    # Namespace of the uuid5 identifiers (ICS UIDs, schedule guids); never change it
    # once calendars have subscribed, or every client sees every session anew.
    EVENTMGR_UID_NAMESPACE = uuid.UUID(
        os.environ.get("EVENTMGR_UID_NAMESPACE", "6f1c2d8e-4b7a-5e3c-9a1d-2f0b8c7e6d5a")
    )

    # PDF of every document, converted from its DOCX by LibreOffice headless (eventmgr.documents.pdf):
    # the program (default: soffice on PATH), how many conversions may run at once (each on its
    # own profile directory), and how long one may take.
    EVENTMGR_SOFFICE = os.environ.get("EVENTMGR_SOFFICE")
    EVENTMGR_PDF_WORKERS = int(os.environ.get("EVENTMGR_PDF_WORKERS", "2"))
    EVENTMGR_PDF_TIMEOUT = float(os.environ.get("EVENTMGR_PDF_TIMEOUT", "120"))
    EVENTMGR_PDF_PROFILES = os.environ.get("EVENTMGR_PDF_PROFILES")
    # Keep a LibreOffice running per profile, so a conversion does not wait for it to start.
    EVENTMGR_PDF_RESIDENT = _env_bool("EVENTMGR_PDF_RESIDENT", True)

    UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
    # Side events (the dinner the evening before, a site visit after) may fall this many
    # days before or after an event's dates.
    AGENDA_SIDE_EVENT_DAYS = int(os.environ.get("AGENDA_SIDE_EVENT_DAYS", "2"))
    MAX_CONTENT_LENGTH = UPLOAD_MAX_BYTES + 1024 * 1024

    # What an import reads at most (eventmgr.tabular); it stops at the first limit passed.
    IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "50000"))
    IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
    IMPORT_MAX_CELLS = int(os.environ.get("IMPORT_MAX_CELLS", "1000000"))
    IMPORT_MAX_UNPACKED_BYTES = int(os.environ.get("IMPORT_MAX_UNPACKED_BYTES", str(200 * 1024 * 1024)))
    IMPORT_MAX_COMPRESSION_RATIO = int(os.environ.get("IMPORT_MAX_COMPRESSION_RATIO", "100"))


class DevelopmentConfig(Config):
    DEBUG = False


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret-key-not-for-production"
    SQLALCHEMY_DATABASE_URI = _database_url("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    MAIL_BACKEND = "memory"
    EVENTMGR_BASE_URL = "http://localhost"
    # The live server of the browser tests answers on 127.0.0.1.
    EVENTMGR_TRUSTED_HOSTS = ["127.0.0.1"]
    EVENTMGR_PROXY_COUNT = 0
    # Fast hashing keeps the suite quick; production uses werkzeug's default (scrypt).
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"


class ProductionConfig(Config):
    REQUIRE_SECRET_KEY = True
    # No default: production must say where it is served (create_app refuses to start otherwise).
    EVENTMGR_BASE_URL = os.environ.get("EVENTMGR_BASE_URL")
    EVENTMGR_TRUSTED_HOSTS = os.environ.get("EVENTMGR_TRUSTED_HOSTS", "")
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")
