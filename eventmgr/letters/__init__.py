"""Letters to participants on the host's letterhead: visa support and attendance."""
