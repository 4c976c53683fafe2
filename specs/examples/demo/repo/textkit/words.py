"""Split a text into words and count them."""


def words(text: str) -> list[str]:
    """Return the words of text; any run of whitespace separates two words."""
    return text.split()


def word_count(text: str) -> int:
    """Return how many words text contains (0 for an empty or blank text)."""
    return len(text.split(" "))
