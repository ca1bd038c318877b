"""Serve a WSGI app under gunicorn on 127.0.0.1 for drills and throughput benchmarks."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
STARTUP_SECONDS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def served(app_spec: str, *, env: dict[str, str], workers: int = 4, threads: int = 1,
           ready_path: str = "/", log: Path | None = None, gunicorn: Path = GUNICORN,
           cwd: Path = ROOT, port: int | None = None) -> Iterator[str]:
    """Run `gunicorn app_spec` (from `cwd`, whose gunicorn.conf.py it reads) until the block ends;
    yields its base URL once it answers."""
    port = port or free_port()
    base_url = f"http://127.0.0.1:{port}"
    command = [str(gunicorn), "--workers", str(workers), "--threads", str(threads),
               "--bind", f"127.0.0.1:{port}", "--graceful-timeout", "5", "--timeout", "60",
               "--log-level", "warning", app_spec]
    output = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 (closed below)
    process = subprocess.Popen(command, cwd=cwd, env={**os.environ, **env}, stdout=output,
                               stderr=output, start_new_session=True)
    try:
        _wait_until_answering(process, base_url + ready_path)
        yield base_url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if log:
            output.close()


def _wait_until_answering(process: subprocess.Popen, url: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers, even if not with 200
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {url} within {STARTUP_SECONDS} s")
