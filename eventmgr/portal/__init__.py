"""The participant area of an event: documents, directory, posts."""
