def load() -> None:
    """The demo city's strategic framework (filled in by the strategy capability)."""
