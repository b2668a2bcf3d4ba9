"""Plain helpers with no domain knowledge, shared by every app."""
