"""Shorten text for display."""


def truncate(text: str, width: int, placeholder: str = "...") -> str:
    """Return text shortened to at most width characters.

    Text that fits is returned unchanged. Longer text is cut at a word boundary and placeholder
    is appended; the result, placeholder included, is never longer than width.
    """
    raise NotImplementedError("truncate() is not written yet")
