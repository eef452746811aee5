def extra_samples() -> dict[str, dict]:
    """URL parameter values for the strategy and participation URLs (from the demo city)."""
    return {}
