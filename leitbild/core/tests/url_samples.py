def extra_samples() -> dict[str, dict]:
    """URL parameter values for the strategy, participation and consultation URLs (from the
    demo city)."""
    from leitbild.consultation.tests.url_samples import consultation_samples
    from leitbild.council.demo import url_samples as council_samples
    from leitbild.monitoring.demo import url_samples as monitoring_samples
    from leitbild.monitoring.progress_demo import url_samples as progress_samples
    from leitbild.participation.demo import url_samples as participation_samples
    from leitbild.portfolio.demo import url_samples as portfolio_samples
    from leitbild.portfolio.demo_ranking import url_samples as ranking_samples
    from leitbild.strategy.tests.url_samples import strategy_url_samples

    return {
        **strategy_url_samples(),
        **participation_samples(),
        **consultation_samples(),
        **portfolio_samples(),
        **ranking_samples(),
        **council_samples(),
        **monitoring_samples(),
        **progress_samples(),
    }
