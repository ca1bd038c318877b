"""Forms of the registry: directory, registration, imports, lists."""
