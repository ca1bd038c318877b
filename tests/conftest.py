"""Fixtures: the app on an emptied database per test, clients logged in per role,
a SQL query counter, and a live server for the browser tests.

Speed (the suite runs under pytest-xdist, `make test`): each worker builds an app once per set
of config overrides and hands it to every later test asking for the same overrides, its config,
extension state and database reset (tests/database.py); building apps and compiling their routes,
SQL and templates anew for every test cost more than most tests.
"""

from __future__ import annotations

import copy
import shutil
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from werkzeug.serving import make_server

from config import TestingConfig
from eventmgr import create_app
from eventmgr.auth import service as auth_service
from eventmgr.auth.enums import Role
from eventmgr.extensions import db, limiter
from tests import database

ROLE_EMAILS = {role: f"{role.value}@test.example" for role in Role}
PASSWORD = "correct horse battery"
# Tests convert to PDF with a stand-in unless they ask for LibreOffice (the `real_pdf` fixture).
FAKE_SOFFICE = str(Path(__file__).resolve().parent / "fake_soffice.py")

# Under xdist every worker has a PostgreSQL database of its own (eventmgr_test_gw0, …), made from
# TEST_DATABASE_URL; tests and drills read the URL from TestingConfig, so it is set there.
SERVER_DATABASE_URL = TestingConfig.SQLALCHEMY_DATABASE_URI
TestingConfig.SQLALCHEMY_DATABASE_URI = database.worker_database_url(SERVER_DATABASE_URL)


@pytest.fixture(scope="session", autouse=True)
def worker_database() -> Iterator[None]:
    url = TestingConfig.SQLALCHEMY_DATABASE_URI
    if url == SERVER_DATABASE_URL:
        yield
        return
    database.create_database(SERVER_DATABASE_URL, url)
    yield
    database.drop_database(SERVER_DATABASE_URL, url)


@dataclass
class _Pristine:
    """An app as create_app left it, to hand to the next test asking for the same config."""

    app: Flask
    config: dict[str, Any]
    extensions: frozenset[str]

    @classmethod
    def build(cls, overrides: dict[str, Any]) -> _Pristine:
        app = create_app(type("TestConfig", (TestingConfig,), overrides))
        return cls(app, copy.deepcopy(dict(app.config)), frozenset(app.extensions))

    def refresh(self) -> Flask:
        app = self.app
        app.config.clear()
        app.config.update(copy.deepcopy(self.config))
        # In-process caches (e.g. the agenda's built exports) live in app.extensions.
        for name in set(app.extensions) - self.extensions:
            del app.extensions[name]
        # One Limiter serves every app and keeps the last app's settings: take this app's again.
        limiter.init_app(app)
        if limiter.enabled:
            limiter.reset()
        return app


# Per set of config overrides, the apps kept for reuse: as many as one test has asked for at once.
_APPS: dict[str, list[_Pristine]] = {}


def _fresh_app(overrides: dict[str, Any], instance_path: Path, slot: int | None) -> Flask:
    """An app on an emptied database: the `slot`-th one kept for these overrides (built the first
    time), or a new one when `slot` is None."""
    if slot is None:
        app = _Pristine.build(overrides).app
    else:
        kept = _APPS.setdefault(repr(sorted(overrides.items())), [])
        if slot == len(kept):
            kept.append(_Pristine.build(overrides))
        app = kept[slot].refresh()
    app.instance_path = str(instance_path)
    with app.app_context():
        database.reset(db.engine)
    return app


@pytest.fixture
def make_app(tmp_path):
    """Build apps with config overrides, each on an emptied test database.

    Apps on the default test database are reused by later tests asking for the same overrides
    (the second app of a test is another one than its first); apps on a database URL of their
    own are new.
    """
    asked: Counter[str] = Counter()
    own: list[Flask] = []
    kept: list[Flask] = []

    def build(**overrides):
        overrides = {"EVENTMGR_SOFFICE": FAKE_SOFFICE, "EVENTMGR_PDF_RESIDENT": False} | overrides
        if "SQLALCHEMY_DATABASE_URI" in overrides:
            app = _fresh_app(overrides, tmp_path, None)
            own.append(app)
        else:
            key = repr(sorted(overrides.items()))
            app = _fresh_app(overrides, tmp_path, asked[key])
            asked[key] += 1
            kept.append(app)
        return app

    yield build
    for app in kept:
        with app.app_context():
            db.session.remove()
    for app in own:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def shared_database_url(folder: Path, name: str) -> str:
    """The test database as several connections can share it: a file in `folder` on SQLite
    (an in-memory database is one connection's), the worker's database on PostgreSQL."""
    url = TestingConfig.SQLALCHEMY_DATABASE_URI
    return f"sqlite:///{folder / name}.sqlite" if url == "sqlite://" else url


@pytest.fixture
def empty_database_url(tmp_path) -> Iterator[str]:
    """A database of the test's own with no tables at all (a new file on SQLite, a new database
    on PostgreSQL, dropped afterwards), for tests that build a schema themselves."""
    url = TestingConfig.SQLALCHEMY_DATABASE_URI
    if url == "sqlite://":
        yield f"sqlite:///{tmp_path / 'empty.sqlite'}"
        return
    own = database.suffixed_url(url, "empty")
    database.create_database(SERVER_DATABASE_URL, own)
    yield own
    database.drop_database(SERVER_DATABASE_URL, own)


@pytest.fixture
def threaded_app(make_app, tmp_path):
    """Build an app for racing threads: each thread's app context gets its own connection,
    on a file SQLite database (or the PostgreSQL of TEST_DATABASE_URL)."""

    def build(threads: int):
        return make_app(SQLALCHEMY_DATABASE_URI=shared_database_url(tmp_path, "threads"),
                        SQLALCHEMY_ENGINE_OPTIONS={"pool_size": threads, "pool_pre_ping": True})

    return build


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def real_pdf(make_app):
    """An app converting with LibreOffice headless, for tests that read the PDF's pages."""
    program = shutil.which("soffice")
    if program is None:
        pytest.fail("LibreOffice is missing: run `make system-packages`")
    app = make_app(EVENTMGR_SOFFICE=program, EVENTMGR_PDF_RESIDENT=True)
    with app.app_context():
        yield app


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def users(app) -> dict[Role, int]:
    """One account per role; returns their ids."""
    from tests.builders import grant_all_series

    with app.app_context():
        ids = {role: auth_service.create_user(email, role=role, password=PASSWORD).id
               for role, email in ROLE_EMAILS.items()}
        grant_all_series()
        db.session.commit()
    return ids


class AuthActions:
    def __init__(self, client) -> None:
        self.client = client

    def login(self, role: Role | str):
        role = Role(role)
        return self.client.post("/auth/login", data={"email": ROLE_EMAILS[role],
                                                     "password": PASSWORD})

    def logout(self):
        return self.client.post("/auth/logout")


@pytest.fixture
def auth(client, users) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def count_queries(app):
    """`with count_queries() as statements:` records every SQL statement run inside."""

    @contextmanager
    def counter() -> Iterator[list[str]]:
        with app.app_context():
            engine = db.engine
        statements: list[str] = []

        def record(conn, cursor, statement, *args):
            statements.append(statement)

        sa.event.listen(engine, "after_cursor_execute", record)
        try:
            yield statements
        finally:
            sa.event.remove(engine, "after_cursor_execute", record)

    return counter


_PREBUILT: dict[tuple[str, str], tuple[Any, database.Snapshot, Path]] = {}


@pytest.fixture
def prebuilt(app, tmp_path_factory) -> Callable[[str, Callable[[], Any]], Any]:
    """`prebuilt(name, build)`: data built once per worker, an identical copy for every test.

    The first test calling it runs `build()` (in an app context, on the emptied database) and
    saves every row and the instance folder's files; later tests get those rows and files back
    and what `build()` returned, which must therefore be plain values (ids, slugs), not ORM
    objects. Call it before the test writes anything.
    """

    def use(name: str, build: Callable[[], Any]) -> Any:
        instance = Path(app.instance_path)
        with app.app_context():
            key = (name, db.engine.url.render_as_string(hide_password=False))
            if key in _PREBUILT:
                result, saved, files = _PREBUILT[key]
                database.restore(db.engine, saved)
                shutil.copytree(files, instance, dirs_exist_ok=True)
                return result
            result = build()
            db.session.commit()
            files = tmp_path_factory.mktemp("prebuilt")
            shutil.copytree(instance, files, dirs_exist_ok=True)
            _PREBUILT[key] = (result, database.snapshot(db.engine), files)
            return result

    return use


@pytest.fixture
def live_server(tmp_path):
    """The app served on 127.0.0.1 in a thread, on a file database (shared by threads)."""
    live_config = type("LiveConfig", (TestingConfig,), {
        "SQLALCHEMY_DATABASE_URI": shared_database_url(tmp_path, "live"), "WTF_CSRF_ENABLED": True,
        "EVENTMGR_SOFFICE": FAKE_SOFFICE, "EVENTMGR_PDF_RESIDENT": False,
    })
    app = create_app(live_config)
    app.instance_path = str(tmp_path)
    with app.app_context():
        database.reset(db.engine)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.base_url = f"http://127.0.0.1:{server.server_port}"
    yield app
    server.shutdown()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


CHROMIUM = "/usr/bin/chromium"
# The SQLite and PostgreSQL runs of `make test` go at once: each keeps its own screenshots.
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-output" / (
    "screenshots-postgresql" if TestingConfig.SQLALCHEMY_DATABASE_URI.startswith("postgresql")
    else "screenshots")


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright, headless."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make system-packages` (apt install chromium)")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, request):
    """A fresh browser page on the live server; a screenshot is saved when the test ends."""
    context = browser.new_context(base_url=live_server.base_url, viewport={"width": 1280,
                                                                           "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def log_in(page, email: str, password: str) -> None:
    """Log in through the login form, as a user would."""
    page.goto("/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def shoot(page, name: str) -> None:
    """Save a named screenshot of the current page under test-output/screenshots/
    (screenshots-postgresql/ on PostgreSQL)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
