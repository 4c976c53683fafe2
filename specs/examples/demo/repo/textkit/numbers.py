"""Format numbers for people."""


def ordinal(n: int) -> str:
    """Return n followed by its English ordinal suffix: 1st, 2nd, 3rd, 4th, 11th, 21st, 112th."""
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def group_digits(n: int) -> str:
    """Return n with a comma between each group of three digits: 1234567 -> '1,234,567'."""
    return f"{n:,}"
