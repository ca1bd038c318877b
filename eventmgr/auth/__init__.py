"""Accounts, roles, login and the role decorators."""
