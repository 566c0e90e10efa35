"""Storage: engine, sessions, tables and migrations."""
