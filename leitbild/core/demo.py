"""The demo city "Musterstadt" (fictional). Every capability adds its part here."""

from django.db import transaction

from leitbild.accounts.models import RoleAssignment, User
from leitbild.accounts.roles import Role

from .models import Page
from .services import site_mark_demo

DEMO_PASSWORD = "musterstadt-demo"
DEMO_USERS = [
    ("admin@musterstadt.example", "Alex Admin", [Role.ADMIN]),
    ("redaktion@musterstadt.example", "Rita Redaktion", [Role.EDITOR]),
    ("moderation@musterstadt.example", "Mo Moderation", [Role.MODERATOR]),
    ("bewertung@musterstadt.example", "Bea Bewertung", [Role.ASSESSOR]),
    ("bewertung.petersen@musterstadt.example", "Jonas Petersen", [Role.ASSESSOR]),
    ("bewertung.aydin@musterstadt.example", "Leyla Aydın", [Role.ASSESSOR]),
    ("ratsbuero@musterstadt.example", "Rainer Ratsbüro", [Role.COUNCIL_OFFICE]),
]

PAGES = {
    "impressum": (
        "Impressum",
        (
            "Musterstadt – Stadtverwaltung (fiktive Demonstrationsstadt)\n"
            "Stabsstelle Digitalisierung und Smart City\nRathausplatz 1\n12345 Musterstadt\n\n"
            "Vertreten durch den Oberbürgermeister. Telefon 01234 5678-0, "
            "E-Mail smartcity@musterstadt.example\n\n"
            "Diese Instanz ist eine Demonstration. Musterstadt gibt es nicht."
        ),
    ),
    "datenschutz": (
        "Datenschutzerklärung",
        (
            "Verantwortlich ist die Stadt Musterstadt, Rathausplatz 1, 12345 Musterstadt.\n\n"
            "Zum Lesen der Seiten werden keine personenbezogenen Daten gespeichert; es werden "
            "keine "
            "Dienste Dritter eingebunden und keine Inhalte von fremden Servern geladen.\n\n"
            "Wenn Sie sich beteiligen, speichern wir nur, was für die Beteiligung nötig ist, und "
            "löschen es, sobald der Zweck entfällt. Einzelheiten stehen bei jedem "
            "Beteiligungsangebot."
            "\n\nSie haben das Recht auf Auskunft, Berichtigung, Löschung, Einschränkung der "
            "Verarbeitung und Beschwerde bei der Aufsichtsbehörde."
        ),
    ),
    "barrierefreiheit": (
        "Erklärung zur Barrierefreiheit",
        (
            "Die Stadt Musterstadt ist bemüht, diese Website im Einklang mit der "
            "Barrierefreie-Informationstechnik-Verordnung (BITV 2.0) barrierefrei zugänglich zu "
            "machen.\n\nStand der Vereinbarkeit: Die Seiten werden bei jeder Änderung automatisch "
            "mit axe-core gegen WCAG 2.1 AA geprüft und per Tastatur getestet.\n\n"
            "Barrieren melden: smartcity@musterstadt.example. Schlichtungsverfahren: Sie können "
            "sich "
            "an die Schlichtungsstelle nach dem Behindertengleichstellungsgesetz wenden."
        ),
    ),
}


def _demo_parts():
    """Each app that contributes to the demo city has a ``demo.load()``; order matters."""
    from leitbild.participation import demo as participation_demo
    from leitbild.participation.consultation import demo as consultation_demo
    from leitbild.portfolio import demo as portfolio_demo
    from leitbild.portfolio import demo_ranking
    from leitbild.strategy import demo as strategy_demo

    return [strategy_demo, participation_demo, consultation_demo, portfolio_demo, demo_ranking]


@transaction.atomic
def demo_load() -> list[tuple[str, str, list[str]]]:
    for slug, (title, body) in PAGES.items():
        Page.objects.update_or_create(slug=slug, defaults={"title": title, "body": body})
    for email, name, roles in DEMO_USERS:
        user, created = User.objects.get_or_create(email=email, defaults={"name": name})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        for role in roles:
            RoleAssignment.objects.get_or_create(user=user, role=role)
    for part in _demo_parts():
        part.load()
    site_mark_demo(is_demo=True)
    return [
        (email, DEMO_PASSWORD, [str(Role(r).label) for r in roles])
        for email, _n, roles in DEMO_USERS
    ]


def pages_ensure() -> None:
    """The legally required pages exist on every instance, demo or not."""
    for slug, (title, _body) in PAGES.items():
        Page.objects.get_or_create(
            slug=slug, defaults={"title": title, "body": "Dieser Text muss noch ergänzt werden."}
        )
