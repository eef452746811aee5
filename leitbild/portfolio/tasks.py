"""Background tasks of the implementation concept: the robust portfolio of a round.

The optimisation is repeated for each SMAA draw of weights and scores (``ranking.robust_run``);
a thousand draws take long enough that the page starts a task and shows the progress bar
(``core.progress``) instead of keeping the request open.
"""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from leitbild.core.progress import progress_run

from . import ranking
from .models import PrioritisationRound


@task()
def robust_portfolio_task(progress_id: str, round_id: int, draws: int) -> int:
    with progress_run(progress_id) as reporter:
        round = PrioritisationRound.objects.get(pk=round_id)
        reporter.update(done=0, total=draws)
        step = max(1, draws // 50)

        def report(done: int, total: int) -> None:
            # One UPDATE per fiftieth is enough for a smooth bar.
            if done % step == 0 or done == total:
                reporter.update(done=done, total=total)

        started_by = reporter.progress.started_by
        try:
            ranking.robust_run(actor=started_by, round=round, draws=draws, report=report)
        except ValidationError as exc:
            # The page shows the message; "['…']" would not read well.
            raise RuntimeError(" ".join(exc.messages)) from exc
        reporter.update(done=draws, total=draws)
        reporter.finish(
            result_url=reverse("portfolio:staff_round_portfolio", args=[round_id]) + "#robust",
            result_label=_("Robustes Portfolio ansehen"),
        )
    return draws
