"""The smallest Flask app: the framework's ceiling on this machine, for bench/serve.py.

`/bytes/<size>` answers a body of that many bytes, so a page is compared with a floor that
sends as much.
"""

from functools import lru_cache

from flask import Flask, Response

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "hello"


@lru_cache(maxsize=64)
def _body(size: int) -> bytes:
    return b"x" * size


@app.get("/bytes/<int:size>")
def body_of(size: int) -> Response:
    return Response(_body(size), mimetype="text/html")
