def load() -> None:
    """The demo city's weighting and survey (filled in by the consultation capability)."""
