def load() -> None:
    """The demo city's participation (filled in by the participation capability)."""
