"""General numerics for every app: intervals, effective sample size, raking, suppression,
multi-criteria ranking (``mcda``: AHP, SMAA-2, sensitivity) and project portfolios (``portfolio``).

A plain package, not a Django app: no models and no Django imports, so that any app, the
exports and the benchmark can use it. Import from the modules (``leitbild.numerics.raking``).
"""
