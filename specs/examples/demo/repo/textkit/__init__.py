"""textkit: small text helpers (standard library only)."""

__version__ = "0.3.0"
