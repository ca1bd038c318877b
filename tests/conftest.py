"""Fixtures: the app on a fresh database per test, clients logged in per role,
a SQL query counter, and a live server for the browser tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from config import TestingConfig
from eventmgr import create_app
from eventmgr.auth import service as auth_service
from eventmgr.auth.enums import Role
from eventmgr.extensions import db

ROLE_EMAILS = {role: f"{role.value}@test.example" for role in Role}
PASSWORD = "correct horse battery"
# Tests convert to PDF with a stand-in unless they ask for LibreOffice (the `real_pdf` fixture).
FAKE_SOFFICE = str(Path(__file__).resolve().parent / "fake_soffice.py")


def _reset_database() -> None:
    if db.engine.dialect.name == "postgresql":
        # One schema per session is enough on PostgreSQL; emptying tables is faster than DDL.
        db.create_all()
        tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        with db.engine.begin() as connection:
            connection.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    else:
        db.drop_all()
        db.create_all()


@pytest.fixture
def make_app(tmp_path):
    """Build apps with config overrides, each on an emptied test database."""
    apps = []

    def build(**overrides):
        overrides = {"EVENTMGR_SOFFICE": FAKE_SOFFICE, "EVENTMGR_PDF_RESIDENT": False} | overrides
        config = type("TestConfig", (TestingConfig,), overrides)
        app = create_app(config)
        app.instance_path = str(tmp_path)
        with app.app_context():
            _reset_database()
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def threaded_app(make_app, tmp_path):
    """Build an app for racing threads: each thread's app context gets its own connection,
    on a file SQLite database (or the PostgreSQL of TEST_DATABASE_URL)."""

    def build(threads: int):
        database = TestingConfig.SQLALCHEMY_DATABASE_URI
        if database == "sqlite://":
            database = f"sqlite:///{tmp_path / 'threads.sqlite'}"
        return make_app(SQLALCHEMY_DATABASE_URI=database,
                        SQLALCHEMY_ENGINE_OPTIONS={"pool_size": threads, "pool_pre_ping": True})

    return build


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def real_pdf(make_app):
    """An app converting with LibreOffice headless, for tests that read the PDF's pages."""
    import shutil

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
    with app.app_context():
        ids = {role: auth_service.create_user(email, role=role, password=PASSWORD).id
               for role, email in ROLE_EMAILS.items()}
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


@pytest.fixture
def live_server(tmp_path):
    """The app served on 127.0.0.1 in a thread, on a file database (shared by threads)."""
    database = TestingConfig.SQLALCHEMY_DATABASE_URI
    if database == "sqlite://":
        database = f"sqlite:///{tmp_path / 'live.sqlite'}"
    live_config = type("LiveConfig", (TestingConfig,), {
        "SQLALCHEMY_DATABASE_URI": database, "WTF_CSRF_ENABLED": True, "EVENTMGR_SOFFICE": FAKE_SOFFICE,
        "EVENTMGR_PDF_RESIDENT": False,
    })
    app = create_app(live_config)
    app.instance_path = str(tmp_path)
    with app.app_context():
        _reset_database()
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
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-output" / "screenshots"


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
    """Save a named screenshot of the current page under test-output/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
