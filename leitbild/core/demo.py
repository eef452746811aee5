"""The demo city "Musterstadt" (fictional). Every capability adds its part here."""

from importlib import import_module

from django.apps import apps

from .models import Page
from .services import page_update, site_letter_sender_set, site_mark_demo

# Slug: German title and text, English title and text.
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
        "Legal notice",
        (
            "City of Musterstadt – city administration (a fictional demonstration city)\n"
            "Digitalisation and Smart City unit\nRathausplatz 1\n12345 Musterstadt, Germany\n\n"
            "Represented by the Lord Mayor. Phone +49 1234 5678-0, "
            "e-mail smartcity@musterstadt.example\n\n"
            "This site is a demonstration. Musterstadt does not exist."
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
        "Privacy policy",
        (
            "The controller is the City of Musterstadt, Rathausplatz 1, 12345 Musterstadt.\n\n"
            "Reading these pages stores no personal data; no third-party services are "
            "embedded and nothing is loaded from other servers.\n\n"
            "If you take part, we store only what taking part requires and delete it as soon "
            "as it is no longer needed. Each participation offer gives the details.\n\n"
            "You have the right of access, rectification, erasure, restriction of processing "
            "and to lodge a complaint with the supervisory authority."
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
        "Accessibility statement",
        (
            "The City of Musterstadt endeavours to make this website accessible in accordance "
            "with the German Barrier-Free Information Technology Ordinance (BITV 2.0).\n\n"
            "Compliance status: every change is checked automatically with axe-core against "
            "WCAG 2.1 AA, and the pages are tested with the keyboard.\n\n"
            "Report barriers to smartcity@musterstadt.example. Arbitration: you can contact "
            "the arbitration board under the Disability Equality Act "
            "(Behindertengleichstellungsgesetz)."
        ),
    ),
}

# The sender of the participation-code letters: the same unit as in the Impressum.
LETTER_SENDER = {
    "department": "Stabsstelle Digitalisierung und Smart City",
    "address": "Rathausplatz 1, 12345 Musterstadt",
    "email": "smartcity@musterstadt.example",
    "phone": "01234 5678-0",
}


def _demo_parts():
    """Each app that contributes to the demo city sets ``demo_order`` on its AppConfig and
    has a module ``demo`` with ``load()`` (and, for accounts, ``credentials()``); lower orders
    load first. Found through the app registry, so core imports no app."""
    configs = [config for config in apps.get_app_configs() if hasattr(config, "demo_order")]
    configs.sort(key=lambda config: config.demo_order)
    return [import_module(f"{config.name}.demo") for config in configs]


def demo_load() -> list[tuple[str, str, list[str]]]:
    """Not one transaction: ballots and survey answers are committed as when residents take
    part (the ballot box mixes in transactions of its own). Each part is a transaction of its
    own where it can be and loads only once."""
    pages_ensure()
    for slug, (title, body, title_en, body_en) in PAGES.items():
        page = Page.objects.get(slug=slug)
        if (page.title, page.body, page.title_en, page.body_en) != (title, body, title_en, body_en):
            page_update(
                actor=None, page=page, title=title, body=body, title_en=title_en, body_en=body_en
            )
    site_letter_sender_set(actor=None, **LETTER_SENDER)
    parts = _demo_parts()
    for part in parts:
        part.load()
    site_mark_demo(is_demo=True)
    return [login for part in parts if hasattr(part, "credentials") for login in part.credentials()]


def demo_background() -> None:
    """Starts what a part leaves to the task worker (its ``background()``), for example the
    generated documents, which take seconds each and would slow every test loading the demo."""
    for part in _demo_parts():
        if hasattr(part, "background"):
            part.background()


def pages_ensure() -> None:
    """The legally required pages exist on every instance, demo or not."""
    for slug, (title, *_texts) in PAGES.items():
        Page.objects.get_or_create(
            slug=slug, defaults={"title": title, "body": "Dieser Text muss noch ergänzt werden."}
        )
