"""The public JSON API (read-only), documented at /api/v1/docs and /api/v1/openapi.json.

Each app contributes a router from its own ``api.py``; this module only assembles them.
"""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Leitbild API",
    version="1",
    description=(
        "Offene Daten der Smart-City-Strategie: strategischer Rahmen, Beteiligung, Projekte. "
        "Enthält keine personenbezogenen Daten."
    ),
    urls_namespace="api",
)


def _register_routers() -> None:
    from leitbild.participation.api import router as participation_router
    from leitbild.strategy.api import router as strategy_router

    api.add_router("/strategy", strategy_router, tags=["Strategie"])
    api.add_router("", participation_router, tags=["Beteiligung"])

    from leitbild.participation.consultation.api import router as consultation_router

    api.add_router("", consultation_router, tags=["Gewichtung und Umfragen"])

    from leitbild.portfolio.api import router as portfolio_router

    api.add_router("", portfolio_router, tags=["Umsetzungskonzept"])


_register_routers()
