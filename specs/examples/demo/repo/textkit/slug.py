"""Turn arbitrary text into URL slugs."""

import re
import unicodedata


def slugify(text: str) -> str:
    """Return a lowercase ASCII slug of text: its words joined by single dashes.

    >>> slugify("Hello, World!")
    'hello-world'
    """
    text = unicodedata.normalize("NFKD", text)
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"[^a-z0-9]", "-", text)
    return text.strip("-")
