import pytest

from config import ProductionConfig
from eventmgr import create_app


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", None)

    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app(ProductionConfig)


def test_production_cookies_are_secure(monkeypatch):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "x" * 64)
    monkeypatch.setattr(ProductionConfig, "EVENTMGR_BASE_URL", "https://events.example.org")

    app = create_app(ProductionConfig)

    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_development_keeps_one_random_secret_key(tmp_path, monkeypatch):
    from config import DevelopmentConfig

    monkeypatch.setattr(DevelopmentConfig, "SECRET_KEY", None)
    first = create_app(DevelopmentConfig)
    first.instance_path  # noqa: B018

    second = create_app(DevelopmentConfig)

    assert len(first.config["SECRET_KEY"]) == 64
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]


def test_sqlite_connections_have_foreign_keys_wal_and_normal_sync(app_ctx, tmp_path):
    import sqlalchemy as sa

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'x.sqlite'}")
    with engine.connect() as connection:
        assert connection.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(sa.text("PRAGMA synchronous")).scalar() == 1  # NORMAL: no fsync per commit


def test_production_warns_when_rate_limits_count_per_worker(monkeypatch, caplog):
    import sys

    from eventmgr import _worker_count

    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "x" * 64)
    monkeypatch.setattr(ProductionConfig, "EVENTMGR_BASE_URL", "https://events.example.org")
    monkeypatch.setattr(ProductionConfig, "RATELIMIT_STORAGE_URI", "memory://")
    monkeypatch.setattr(sys, "argv", ["/srv/venv/bin/gunicorn", "--workers", "4", "eventmgr:create_app()"])

    with caplog.at_level("WARNING"):
        create_app(ProductionConfig)

    assert "memory:// with 4 workers" in caplog.text
    assert _worker_count(["gunicorn", "-w8"], {}) == 8
    assert _worker_count(["gunicorn", "x:y"], {"WEB_CONCURRENCY": "3"}) == 3
    assert _worker_count(["flask", "run"], {"WEB_CONCURRENCY": "3"}) == 1
