from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "leitbild.participation"
    label = "participation"
    verbose_name = _("Beteiligung")
    demo_order = 20  # core.demo loads the demo parts in this order

    def ready(self) -> None:
        from leitbild.core.audit import register_actions

        from .audit import ParticipationAction
        from .models import Phase
        from .phases import register_phase_kind

        # The idea call's own kinds: nothing of another app hangs on them.
        for kind in (Phase.Kind.IDEAS, Phase.Kind.INFORMATION):
            register_phase_kind(kind, self.label)
        register_actions(ParticipationAction)
        from . import document

        document.register()

        from leitbild.core.home import register_home_actions
        from leitbild.core.inbox import register_inbox, register_staff_area
        from leitbild.core.roles import Role

        from . import selectors

        register_home_actions("participation", selectors.home_actions)
        register_inbox(order=10, roles=(Role.MODERATOR,), entries=selectors.inbox_moderation)
        register_inbox(
            order=50, roles=(Role.MODERATOR, Role.EDITOR), entries=selectors.inbox_running_phases
        )
        register_staff_area(
            order=30,
            label=_("Beteiligung: Verfahren, Ideen und Moderation"),
            url_name="participation:staff_index",
        )
