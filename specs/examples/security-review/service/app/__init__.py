"""Billing service: a tiny web backend used by the Converge review demo."""
