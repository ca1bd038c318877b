"""eventmgr: events, agendas, participant registries and outcome reports."""

from __future__ import annotations

import importlib
import os
import secrets
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine

from eventmgr.extensions import csrf, db, limiter, login_manager, migrate
from eventmgr.links import PublicAddressFlask, configure_public_address

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"

# The domain packages, in URL order; each has models.py and views.py (blueprint `bp`).
DOMAIN_PACKAGES = ("auth", "series", "agenda", "registry", "invitations", "mail", "reports", "letters",
                   "portal")

DEV_SECRET_FILE = "secret_key"


def create_app(config: type | str | Mapping[str, Any] | None = None) -> Flask:
    """Build the eventmgr application."""
    app = PublicAddressFlask(__name__, template_folder=str(TEMPLATES_DIR), instance_relative_config=True)
    load_config(app, config)
    configure_public_address(app)
    register_extensions(app)
    register_blueprints(app)
    register_cli(app)
    register_request_hooks(app)
    from eventmgr.errors import register_error_handlers
    from eventmgr.templating import register_template_helpers

    register_error_handlers(app)
    register_template_helpers(app)
    return app


def load_config(app: Flask, config: type | str | Mapping[str, Any] | None) -> None:
    if config is None or isinstance(config, Mapping):
        app.config.from_object(os.environ.get("EVENTMGR_CONFIG", "config.DevelopmentConfig"))
    else:
        app.config.from_object(config)
    app.config.from_pyfile("eventmgr.cfg", silent=True)
    if isinstance(config, Mapping):
        app.config.update(config)
    os.makedirs(app.instance_path, exist_ok=True)
    _ensure_secret_key(app)


def _ensure_secret_key(app: Flask) -> None:
    if app.config.get("SECRET_KEY"):
        return
    if app.config.get("REQUIRE_SECRET_KEY"):
        # Production: a key made up here would differ between workers and restarts.
        raise RuntimeError(
            "SECRET_KEY is not set. Production needs a fixed secret shared by every worker: "
            'export SECRET_KEY="$(python -c \'import secrets; print(secrets.token_hex())\')"'
        )
    # Development: make one random key and keep it in the instance folder.
    path = Path(app.instance_path) / DEV_SECRET_FILE
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    app.config["SECRET_KEY"] = path.read_text().strip()


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(MIGRATIONS_DIR), user_module_prefix="eventmgr.sqltypes."
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    _warn_if_limits_count_per_worker(app)
    _import_models()


def _worker_count(argv: list[str], environ: Mapping[str, str]) -> int:
    """How many gunicorn workers serve this app, as far as its command line or
    WEB_CONCURRENCY tell (1 when not under gunicorn)."""
    if not argv or not Path(argv[0]).name.startswith("gunicorn"):
        return 1
    count = environ.get("WEB_CONCURRENCY", "1")
    for index, arg in enumerate(argv):
        if arg in ("-w", "--workers") and index + 1 < len(argv):
            count = argv[index + 1]
        elif arg.startswith("--workers="):
            count = arg.split("=", 1)[1]
        elif arg.startswith("-w") and arg[2:].isdigit():
            count = arg[2:]
    return int(count) if str(count).isdigit() else 1


def _warn_if_limits_count_per_worker(app: Flask) -> None:
    storage = app.config.get("RATELIMIT_STORAGE_URI", "memory://")
    workers = _worker_count(sys.argv, os.environ)
    if app.config.get("REQUIRE_SECRET_KEY") and storage.startswith("memory://") and workers > 1:
        app.logger.warning(
            "RATELIMIT_STORAGE_URI is memory:// with %d workers: each worker counts its own requests, "
            "so the rate limits are %d times looser. Point it at Redis, e.g. "
            "RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379 (sign-in and reset limits are counted in "
            "the database and hold anyway).", workers, workers)


def _import_models() -> None:
    # Every model module, so relationships resolve and Alembic sees every table.
    for package in DOMAIN_PACKAGES:
        importlib.import_module(f"eventmgr.{package}.models")


@sa_event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """Foreign keys, WAL and its NORMAL sync on every SQLite connection (off by default in SQLite).

    In WAL mode, synchronous=NORMAL syncs the log at checkpoints instead of at every commit:
    a commit survives the application's crash, and the file is never corrupted, but a power
    cut may lose the last commits. SQLite recommends it for WAL; it takes the fsync out of the
    write lock, which every seat change holds (issue 19's rush). PostgreSQL keeps full
    durability.
    """
    if type(dbapi_connection).__module__.split(".")[0] not in {"sqlite3", "pysqlite2"}:
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def register_blueprints(app: Flask) -> None:
    for package in DOMAIN_PACKAGES:
        app.register_blueprint(importlib.import_module(f"eventmgr.{package}.views").bp)


def register_cli(app: Flask) -> None:
    from eventmgr.cli import register_commands

    register_commands(app)


def register_request_hooks(app: Flask) -> None:
    import logging

    from eventmgr.accesslog import TokenRedactingFilter, learn_token_routes
    from eventmgr.security import (
        SessionCookies,
        apply_security_headers,
        reject_foreign_origin,
        reject_nul_characters,
    )

    learn_token_routes(app.url_map)
    werkzeug_log = logging.getLogger("werkzeug")
    if not any(isinstance(f, TokenRedactingFilter) for f in werkzeug_log.filters):
        werkzeug_log.addFilter(TokenRedactingFilter())
    app.before_request(reject_nul_characters)
    app.before_request(reject_foreign_origin)
    app.after_request(apply_security_headers)
    app.session_interface = SessionCookies()
