"""The fixed cost of a cached request, in CPU time: `python -m bench.fixed_cost [PATH]
[--requests 1000] [--rounds 5] [--profile] [--floor]`.

Builds the ×1 dataset, warms PATH up once (a cache hit from then on), then calls the WSGI
app directly with a prebuilt environ, as a server would, --requests times per round and
prints the median CPU microseconds a request (time.process_time: much less sensitive to
the machine's load than wall time). What is left is routing, the revision query, the
hooks and the headers. `--profile` prints where that time goes; `--floor` measures the bare
Flask app of bench/serve.py answering a body of the same size, the ceiling to compare with.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench import hello
from bench.profile import BROWSER, published_app

DEFAULT_PATH = "/events/{slug}/sessions/{session_id}.ics"


def environ_for(path: str) -> dict:
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "localhost",
               "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http",
               "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr, "wsgi.multithread": False,
               "wsgi.multiprocess": True, "wsgi.run_once": False, "REMOTE_ADDR": "127.0.0.1"}
    environ |= {"HTTP_" + name.upper().replace("-", "_"): value for name, value in BROWSER.items()}
    return environ | {"HTTP_HOST": "localhost"}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=DEFAULT_PATH)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--floor", action="store_true",
                        help="measure bench/hello.py answering a body of the page's size instead")
    parser.add_argument("--sort", default="cumulative", help="the profile's order: cumulative or tottime")
    arguments = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="eventmgr-fixed-") as folder:
        app, values = published_app(Path(folder))
        template = environ_for(arguments.path.format(**values))
        if arguments.floor:
            with app.test_client() as client:
                size = len(client.get(template["PATH_INFO"]).data)
            app, template = hello.app, environ_for(f"/bytes/{size}")
        statuses = []

        def start_response(status, headers, exc_info=None):
            statuses.append(status)

        def one() -> None:
            body = app.wsgi_app(dict(template), start_response)
            b"".join(body)
            getattr(body, "close", lambda: None)()

        one()
        assert statuses[-1].startswith("200"), statuses[-1]
        # As a gunicorn worker does after start (gunicorn.conf.py): the app's objects are not
        # rescanned by every collection.
        gc.collect()
        gc.freeze()
        rounds = []
        for _ in range(arguments.rounds):
            start = time.process_time()
            for _ in range(arguments.requests):
                one()
            rounds.append((time.process_time() - start) / arguments.requests * 1e6)
        print(f"{template['PATH_INFO']}: {statistics.median(rounds):.0f} µs CPU a request "
              f"(median of {arguments.rounds} rounds of {arguments.requests}: "
              f"{', '.join(f'{r:.0f}' for r in rounds)})")
        if arguments.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(arguments.requests):
                one()
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(arguments.sort).print_stats(60)
            print(out.getvalue())


if __name__ == "__main__":
    main()
