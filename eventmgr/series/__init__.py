"""Series (the process) and their events."""
