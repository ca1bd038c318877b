"""Organizations, people, registrations, imports and participant lists."""
