"""General numerics for every app: intervals, effective sample size, raking, suppression.

A plain package, not a Django app: no models and no Django imports, so that any app, the
exports and the benchmark can use it. Import from the modules (``leitbild.numerics.raking``).
"""
