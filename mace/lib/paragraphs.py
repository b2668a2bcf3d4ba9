"""Free text as paragraphs: one rule for the pages, the PDFs and the spreadsheets."""


def paragraphs(text: str) -> list[str]:
    """The blocks of `text` between blank lines, without blank space at either end. A
    paragraph keeps its own line breaks, so a list written one item a line stays a list."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    blocks = [block.strip() for block in text.split("\n\n")]
    return [block for block in blocks if block]
