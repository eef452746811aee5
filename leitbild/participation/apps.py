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

        from . import selectors

        register_home_actions("participation", selectors.home_actions)
