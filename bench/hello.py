"""The smallest Flask app: the framework's ceiling on this machine, for bench/serve.py."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "hello"
