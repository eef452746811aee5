from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationConfig(AppConfig):
    """Weighting ballots and surveys: part of the participation domain, in an app of its own
    so that its data (ballots kept apart from identities) has its own migrations."""

    name = "leitbild.consultation"
    label = "consultation"
    verbose_name = _("Gewichtung und Umfragen")
    demo_order = 30  # core.demo loads the demo parts in this order

    def ready(self) -> None:
        from leitbild.core.audit import register_actions
        from leitbild.core.inbox import register_inbox, register_staff_area
        from leitbild.core.roles import Role
        from leitbild.participation.models import Phase
        from leitbild.participation.phases import register_phase_kind

        from . import selectors
        from .archive import phase_guard
        from .audit import ConsultationAction

        register_actions(ConsultationAction)
        from . import document

        document.register()

        # Ballots, codes and identities hang on these phases: only this app's services
        # (with their locks, archive and file clean-up) may delete them or change their kind.
        # They are linked publicly only once their ballot or questionnaire is set up.
        for kind in (Phase.Kind.WEIGHTING, Phase.Kind.SURVEY):
            register_phase_kind(kind, self.label, phase_guard, ready=selectors.phases_ready)
        register_staff_area(
            order=40, label=_("Gewichtung und Umfragen"), url_name="consultation:staff_index"
        )
        register_inbox(order=20, roles=(Role.EDITOR,), entries=selectors.inbox_phases)

        from leitbild.core.home import register_home_actions, register_home_results

        from . import home

        register_home_actions("consultation", home.home_actions)
        register_home_results("consultation", home.home_results)
