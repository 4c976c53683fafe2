"""Roman numerals."""


def to_roman(n: int) -> str:
    """Return n (1 to 3999) as a Roman numeral in subtractive notation: 4 -> 'IV', 1994 -> 'MCMXCIV'.

    Raises ValueError when n is outside 1..3999.
    """
    raise NotImplementedError("to_roman() is not written yet")
