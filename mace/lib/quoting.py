"""Quoting what someone typed in a message about it (issue 16): a bad value is shown so
they can find it, but never whole when it is long, so a 10,000-character name cannot flood
a console, a rejects file's reasons or a page, nor carry more personal data than needed."""

QUOTE_LIMIT = 40


def quoted(value: str, limit: int = QUOTE_LIMIT) -> str:
    """The value in double quotes; past `limit` characters only its start, then "…" and
    how long it is: `"Amelia…" (10,000 characters)`."""
    if len(value) <= limit:
        return f'"{value}"'
    return f'"{value[:limit]}…" ({len(value):,} characters)'
