def public_strategy_summary():
    return None
