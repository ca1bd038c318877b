"""Invitations and the personal RSVP links."""
