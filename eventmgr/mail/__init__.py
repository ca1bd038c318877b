"""The outbox: every email the app sends, and its delivery."""
