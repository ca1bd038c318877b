"""Rooms, sessions, people on sessions; the agenda and its exports."""
