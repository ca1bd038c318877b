"""Directory, registration, check-in and participant lists."""

from flask import Blueprint

bp = Blueprint("registry", __name__)
