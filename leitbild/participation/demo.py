"""The demo city's idea call: "Ideenaufruf Smart City Musterstadt", finished, with 170 ideas.

Everything is generated deterministically (``random.Random(SEED)``) from the templates below,
so every demo instance shows the same ideas, places, supports and comments. Musterstadt and its
districts are invented; the points lie in a made-up area (lat 52.40–52.46, lon 10.74–10.84).
No personal data: no e-mail addresses, comment authors are first names or empty.
"""

import datetime
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction

from leitbild.accounts.demo import demo_staff
from leitbild.core.roles import Role
from leitbild.strategy.models import ActionField, Strategy

from . import services
from .models import (
    Comment,
    Idea,
    IdeaSource,
    IdeaStatus,
    Phase,
    Process,
    ReasonTemplate,
    StakeholderGroup,
    Workshop,
)
from .spam import visitor_hash

SEED = 2021
PROCESS_SLUG = "ideenaufruf-smart-city"
STRATEGY_SLUG = "musterstadt"
TZ = ZoneInfo("Europe/Berlin")  # summer time in September and October

# name: (centre lat, centre lon, places)
DISTRICTS = {
    "Altstadt": (
        52.4300,
        10.7900,
        ["Marktplatz", "Rathausplatz", "Kirchstraße", "Stadtbibliothek", "Schlossgarten"],
    ),
    "Nordstadt": (
        52.4520,
        10.7850,
        ["Nordring", "Gesamtschule Nord", "Lindenplatz", "Sportpark Nord"],
    ),
    "Westend": (
        52.4280,
        10.7520,
        ["Westpark", "Ahornweg", "Grundschule Westend", "Gewerbegebiet West"],
    ),
    "Am See": (52.4120, 10.8120, ["Seepromenade", "Strandbad", "Bootsanleger", "Uferweg"]),
    "Hafenviertel": (
        52.4380,
        10.8280,
        ["Hafenbecken", "Speicherstraße", "Kaimauer", "Zollhof"],
    ),
    "Südstadt": (
        52.4080,
        10.7750,
        ["Südbahnhof", "Pflegeheim Sonnenhof", "Birkenallee", "Stadtteilzentrum Süd"],
    ),
    "Gartenstadt": (
        52.4470,
        10.7600,
        ["Rosenweg", "Kita Sonnenblume", "Kleingartenanlage", "Gartenstadtplatz"],
    ),
    "Bahnhofsviertel": (
        52.4340,
        10.8050,
        ["Hauptbahnhof", "Busbahnhof", "Bahnhofstraße", "Parkhaus Mitte"],
    ),
}

# (field codes, title, description). Places and districts are filled in with their article and
# preposition (see ``_words``): {am_ort} "am Marktplatz" / "an der Kirchstraße", {Am_ort} at the
# start of a sentence, {den_ort} "den Marktplatz"; {im_stadtteil} "in der Nordstadt",
# {Im_stadtteil}, {den_stadtteil} "die Nordstadt"; {ort} and {stadtteil} are the bare names.
TEMPLATES = [
    (
        ["MOB"],
        "Sichere Fahrradstellplätze {am_ort}",
        "{Am_ort} ({stadtteil}) stehen Räder an Laternen und Zäunen. Überdachte Bügel oder eine "
        "kleine Fahrradgarage mit App-Zugang würden Diebstähle verhindern und den Gehweg "
        "freihalten.",
    ),
    (
        ["MOB", "DIN"],
        "Echtzeit-Anzeige der Busse {am_ort}",
        "An der Haltestelle {ort} weiß man nie, ob der Bus schon weg ist. Eine Anzeige mit den "
        "tatsächlichen Abfahrtszeiten, auch vorgelesen per Knopfdruck, würde vielen helfen.",
    ),
    (
        ["MOB"],
        "Carsharing-Station {im_stadtteil}",
        "{Im_stadtteil} gibt es keine Carsharing-Station. Eine Station {am_ort} mit zwei "
        "Elektroautos könnte Zweitwagen ersetzen und Parkplätze sparen.",
    ),
    (
        ["MOB", "SIC"],
        "Beleuchteter Radweg {am_ort}",
        "Der Weg {am_ort} ist abends stockdunkel. Bewegungsgesteuerte LED-Leuchten sparen Strom "
        "und machen den Weg für Radfahrende und Fußgänger sicherer.",
    ),
    (
        ["MOB", "DIN"],
        "Freie Parkplätze in der App anzeigen",
        "Sensoren in Parkhäusern und an den Straßen {im_stadtteil} könnten freie Plätze "
        "melden. Das spart Suchverkehr und Abgase.",
    ),
    (
        ["MOB"],
        "Rufbus für {den_stadtteil} am Abend",
        "Nach 20 Uhr fährt in {den_stadtteil} kaum noch ein Bus. Ein Rufbus, der per App oder "
        "Telefon bestellt wird, würde ältere Menschen und Schichtarbeitende mobil halten.",
    ),
    (
        ["BIL", "DIN"],
        "WLAN und Tablets für die Schulen {im_stadtteil}",
        "Die Schulen {im_stadtteil} haben kaum stabiles Internet. Schnelles WLAN in allen "
        "Räumen und ausleihbare Tablets würden digitalen Unterricht für alle Kinder möglich "
        "machen.",
    ),
    (
        ["BIL"],
        "Digitalwerkstatt für Jugendliche {im_stadtteil}",
        "Ein offener Raum {im_stadtteil}, in dem Jugendliche programmieren, 3D-drucken und Roboter "
        "bauen können – betreut von Ehrenamtlichen und der Volkshochschule.",
    ),
    (
        ["BIL", "VBS"],
        "Handy-Sprechstunde für Seniorinnen und Senioren",
        "In der Stadtbibliothek oder im Stadtteilzentrum könnten Schülerinnen und Schüler älteren "
        "Menschen einmal pro Woche bei Smartphone und Online-Terminen helfen.",
    ),
    (
        ["BIL", "KUF"],
        "Lernplattform der Stadtbibliothek ausbauen",
        "Die Stadtbibliothek sollte E-Books, Sprachkurse und Lernvideos gebündelt anbieten, mit "
        "einem Ausweis für alle Angebote.",
    ),
    (
        ["GES"],
        "Defibrillatoren auf der Karte zeigen",
        "Im Notfall weiß niemand, wo der nächste Defibrillator hängt. Eine Karte in der Stadt-App "
        "mit allen Geräten, auch dem {am_ort}, könnte Leben retten.",
    ),
    (
        ["GES", "DIN"],
        "Telemedizin im Pflegeheim",
        "In den Pflegeheimen {im_stadtteil} müssen Bewohnerinnen und Bewohner für kurze "
        "Rückfragen zum Arzt gefahren werden. Videosprechstunden mit den Hausärzten würden "
        "Wege und Wartezeit sparen.",
    ),
    (
        ["GES", "WQ"],
        "Hitzeschutz-Karte für den Sommer",
        "Eine Karte mit kühlen Orten, Trinkbrunnen und schattigen Wegen {im_stadtteil} hilft "
        "älteren Menschen und Familien an heißen Tagen.",
    ),
    (
        ["ENU"],
        "Bodenfeuchte-Sensoren für Stadtbäume",
        "Die jungen Bäume {am_ort} vertrocknen im Sommer. Sensoren könnten melden, wann gegossen "
        "werden muss, und Gießpatenschaften per App organisieren.",
    ),
    (
        ["ENU", "DIN"],
        "Füllstand der Glascontainer messen",
        "Die Container {am_ort} quellen oft über. Füllstandssensoren würden Leerungsfahrten "
        "planbar machen und Müll neben den Containern vermeiden.",
    ),
    (
        ["ENU"],
        "Solaranlagen auf städtischen Dächern",
        "Die Dächer von Schulen und Turnhallen {im_stadtteil} eignen sich für Photovoltaik. Eine "
        "öffentliche Anzeige des erzeugten Stroms würde zeigen, was möglich ist.",
    ),
    (
        ["ENU", "SIC"],
        "Pegelmessung gegen Hochwasser",
        "{Am_ort} steigt das Wasser bei Starkregen schnell. Pegelsensoren mit Warnung per App "
        "würden Anwohnende rechtzeitig informieren.",
    ),
    (
        ["ENU", "WQ"],
        "Luftqualität {im_stadtteil} messen",
        "Ein Netz kleiner Messstationen, eine davon {am_ort}, könnte Feinstaub und Stickoxide "
        "sichtbar machen. Die Daten sollten offen im Netz stehen.",
    ),
    (
        ["WIA", "DIN"],
        "Online-Marktplatz für den Einzelhandel",
        "Die Geschäfte rund um {den_ort} brauchen eine gemeinsame Plattform, auf der man online "
        "bestellt und am selben Tag abholt oder liefern lässt.",
    ),
    (
        ["WIA"],
        "Coworking-Space {im_stadtteil}",
        "Viele pendeln nur, um am Schreibtisch zu sitzen. Ein Coworking-Space {am_ort} mit "
        "Kinderbetreuung würde Wege sparen und {den_stadtteil} beleben.",
    ),
    (
        ["WIA", "BIL"],
        "Gründerzentrum für digitale Start-ups",
        "Im alten Gebäude {am_ort} könnten junge Unternehmen günstige Büros, Beratung und "
        "Kontakte zur Hochschule finden.",
    ),
    (
        ["VBS"],
        "Alle Behördengänge online erledigen",
        "Wohnsitz ummelden, Anwohnerparkausweis, Hundesteuer: Das sollte vollständig online gehen, "
        "ohne Ausdrucken und ohne Termin im Bürgerbüro.",
    ),
    (
        ["VBS", "DIN"],
        "Termine im Bürgerbüro mit Erinnerung",
        "Online-Terminvergabe mit Erinnerung per SMS oder E-Mail und der Möglichkeit, kurzfristig "
        "abzusagen, damit andere den Termin bekommen.",
    ),
    (
        ["VBS"],
        "Mängelmelder für Schlaglöcher und Müll",
        "Ein einfacher Mängelmelder, in dem man ein Foto des Schadens hochlädt und sieht, wann der "
        "Schaden behoben wird.",
    ),
    (
        ["VBS", "KUF"],
        "Stadt-App mit allen Informationen",
        "Veranstaltungen, Abfallkalender, Baustellen und Öffnungszeiten in einer App der Stadt, "
        "auch in leichter Sprache und auf Englisch.",
    ),
    (
        ["WQ"],
        "Nachbarschafts-Plattform für {den_stadtteil}",
        "Eine Plattform, auf der Nachbarn {im_stadtteil} Werkzeug verleihen, Hilfe anbieten und "
        "sich zu Aktionen {am_ort} verabreden.",
    ),
    (
        ["WQ", "ENU"],
        "Gemeinschaftsgärten mit Bewässerungssteuerung",
        "{Am_ort} könnten Hochbeete entstehen, deren Bewässerung über Sensoren gesteuert wird. Ein "
        "Treffpunkt für alle Generationen {im_stadtteil}.",
    ),
    (
        ["WQ", "MOB"],
        "Spielstraße am Wochenende",
        "Die Straße {am_ort} könnte an Sonntagen für Autos gesperrt und zum Spielen freigegeben "
        "werden – mit digitaler Anzeige der Sperrzeiten.",
    ),
    (
        ["KUF"],
        "Digitale Stadtführung durch {den_stadtteil}",
        "Mit QR-Codes an Gebäuden wie {am_ort} könnte man Geschichten, alte Fotos und Hörstücke "
        "über {den_stadtteil} abrufen.",
    ),
    (
        ["KUF", "DIN"],
        "Freies WLAN {am_ort}",
        "{Am_ort} treffen sich viele Menschen. Freies WLAN würde Touristinnen und Jugendlichen "
        "helfen und den Platz beleben.",
    ),
    (
        ["KUF"],
        "Auslastung von Schwimmbad und Sporthallen anzeigen",
        "Eine Anzeige, wie voll das Strandbad oder die Sporthalle gerade ist, würde Wartezeiten "
        "vermeiden und Besuche besser verteilen.",
    ),
    (
        ["SIC"],
        "Mehr Licht {am_ort}",
        "{Am_ort} ist es nachts dunkel. Intelligente Straßenlaternen, die heller "
        "werden, wenn jemand kommt, würden das Sicherheitsgefühl stärken.",
    ),
    (
        ["SIC", "VBS"],
        "Warn-App für Unwetter und Störungen",
        "Die Stadt sollte bei Unwetter, Stromausfall oder gesperrten Straßen per App und "
        "Sirene warnen, auch in einfacher Sprache.",
    ),
    (
        ["DIN"],
        "Offene Daten der Stadt",
        "Haushalt, Baustellen, Parkplätze, Luftwerte: Die Stadt sollte ihre Daten offen und "
        "maschinenlesbar veröffentlichen, damit alle damit arbeiten können.",
    ),
    (
        ["DIN", "WIA"],
        "Glasfaser bis ins Haus {im_stadtteil}",
        "{Im_stadtteil} ist das Internet zu langsam für Homeoffice. Der Glasfaserausbau sollte "
        "hier zuerst kommen.",
    ),
    (
        ["DIN", "VBS"],
        "Digitaler Zwilling der Stadt",
        "Ein 3D-Modell der Stadt, in dem man geplante Bauvorhaben wie {am_ort} vorher ansehen "
        "und kommentieren kann.",
    ),
]

# Grammatical gender of each place and district, for the article and preposition in a text.
FEMININE = {
    "Altstadt",
    "Nordstadt",
    "Südstadt",
    "Gartenstadt",
    "Kirchstraße",
    "Stadtbibliothek",
    "Gesamtschule Nord",
    "Grundschule Westend",
    "Seepromenade",
    "Speicherstraße",
    "Kaimauer",
    "Birkenallee",
    "Kita Sonnenblume",
    "Kleingartenanlage",
    "Bahnhofstraße",
}
NEUTER = {
    "Westend",
    "Hafenviertel",
    "Bahnhofsviertel",
    "Gewerbegebiet West",
    "Strandbad",
    "Hafenbecken",
    "Pflegeheim Sonnenhof",
    "Stadtteilzentrum Süd",
    "Parkhaus Mitte",
    "Stadtgebiet",
}
# A district whose name is a phrase of its own takes "Stadtteil" as its noun.
NAMED_PHRASE = {"Am See"}


def _words(*, place: str, district: str) -> dict[str, str]:
    """The placeholders of ``TEMPLATES`` and ``COMMENTS`` for a place in a district."""
    if district in NAMED_PHRASE:
        im, den = f"im Stadtteil {district}", f"den Stadtteil {district}"
    elif district in FEMININE:
        im, den = f"in der {district}", f"die {district}"
    elif district in NEUTER:
        im, den = f"im {district}", f"das {district}"
    else:
        im, den = f"im {district}", f"den {district}"
    if place in FEMININE:
        am, den_ort = f"an der {place}", f"die {place}"
    elif place in NEUTER:
        am, den_ort = f"am {place}", f"das {place}"
    else:
        am, den_ort = f"am {place}", f"den {place}"
    return {
        "ort": place,
        "stadtteil": district,
        "am_ort": am,
        "Am_ort": am[0].upper() + am[1:],
        "den_ort": den_ort,
        "im_stadtteil": im,
        "Im_stadtteil": im[0].upper() + im[1:],
        "den_stadtteil": den,
    }


COMMENTS = [
    "Sehr gute Idee, das würde ich sofort nutzen!",
    "Das fehlt {im_stadtteil} schon lange.",
    "Wer soll das bezahlen? Ich fände es wichtiger, erst die Schulen zu sanieren.",
    "Bitte auch an Menschen ohne Smartphone denken.",
    "In unserer Partnerstadt gibt es so etwas schon, es funktioniert gut.",
    "Unbedingt mit den Anwohnenden vor Ort sprechen.",
    "Ich unterstütze das, aber bitte datensparsam umsetzen.",
    "Gibt es dazu schon Erfahrungen aus anderen Städten?",
    "Könnte man das mit dem Mängelmelder verbinden?",
    "Super, dann müsste ich nicht mehr mit dem Auto fahren.",
]
REPLIES = [
    "Stimme zu, das wäre ein guter erster Schritt.",
    "Gute Frage – vielleicht über Fördermittel?",
    "Das sehe ich anders, aber die Richtung stimmt.",
    "Danke für den Hinweis, daran hatte ich nicht gedacht.",
]
NAMES = [
    "Anna",
    "Ben",
    "Clara",
    "Deniz",
    "Emil",
    "Fatma",
    "Greta",
    "Hannes",
    "Ida",
    "Jonas",
    "Lea",
    "Mehmet",
    "Nina",
    "Ole",
    "Paula",
    "",
]

REASONS = [
    (
        "Zuständigkeit",
        "Dafür ist nicht die Stadt zuständig, sondern das Land beziehungsweise ein "
        "privates Unternehmen. Wir haben die Idee an die zuständige Stelle weitergegeben.",
    ),
    (
        "Bereits umgesetzt",
        "Das gibt es bereits: Die Stadt bietet diesen Dienst seit Anfang 2023 an. "
        "Wir machen ihn bekannter.",
    ),
    (
        "Kosten",
        "Die Kosten stehen derzeit in keinem Verhältnis zum Nutzen. Wir prüfen die Idee "
        "erneut bei der Fortschreibung der Strategie.",
    ),
    (
        "Datenschutz",
        "Die Idee ließe sich nur mit einer Erfassung personenbezogener Daten "
        "umsetzen, die wir nicht verantworten können.",
    ),
]
# The ideas the moderation turned down, by template title, with the reason that fits each.
REJECTION_REASONS = {
    "Glasfaser bis ins Haus {im_stadtteil}": "Zuständigkeit",
    "Echtzeit-Anzeige der Busse {am_ort}": "Zuständigkeit",
    "Termine im Bürgerbüro mit Erinnerung": "Bereits umgesetzt",
    "Warn-App für Unwetter und Störungen": "Bereits umgesetzt",
    "Digitaler Zwilling der Stadt": "Kosten",
    "Gründerzentrum für digitale Start-ups": "Kosten",
    "Auslastung von Schwimmbad und Sporthallen anzeigen": "Datenschutz",
}

CALL_START = datetime.datetime(2023, 9, 1, 9, 0, tzinfo=TZ)
CALL_END = datetime.datetime(2023, 10, 15, 23, 59, tzinfo=TZ)
REVIEW_AT = datetime.datetime(2023, 11, 20, 10, 0, tzinfo=TZ)
DECIDED_AT = datetime.datetime(2024, 3, 22, 10, 0, tzinfo=TZ)


def _point(rng: random.Random, district: str) -> tuple[Decimal, Decimal]:
    lat, lon, _places = DISTRICTS[district]
    lat = min(52.459, max(52.401, lat + rng.uniform(-0.006, 0.006)))
    lon = min(10.839, max(10.741, lon + rng.uniform(-0.009, 0.009)))
    return Decimal(f"{lat:.6f}"), Decimal(f"{lon:.6f}")


def _fields_for(codes: list[str], by_code: dict, fallback: list, rng: random.Random) -> list:
    chosen = [by_code[c] for c in codes if c in by_code]
    return chosen or [rng.choice(fallback)]


@transaction.atomic
def load() -> None:
    """Idempotent: runs after the strategy demo on every `leitbild demo`.

    Every write goes through ``services``, as the people of the idea call made it: residents
    submit, support and comment while the call is open (``now`` at the time they did), the
    moderation enters postcards and workshop results, checks, reviews and merges.
    """
    if Process.objects.filter(slug=PROCESS_SLUG).exists():
        return
    strategy = (
        Strategy.objects.filter(slug=STRATEGY_SLUG).first()
        or Strategy.objects.order_by("pk").first()
    )
    if strategy is None:
        return
    fields = list(ActionField.objects.filter(strategy=strategy))
    if not fields:
        return
    by_code = {f.code: f for f in fields}
    rng = random.Random(SEED)
    staff = demo_staff(Role.MODERATOR)

    process, workshops = _configure(staff, strategy)
    # The rules ask ``process.phases.all()`` on every write: prefetched, that is no query.
    process = Process.objects.prefetch_related("phases").get(pk=process.pk)
    ideas = _submit_ideas(staff, process, workshops, fields, by_code, rng)

    # Supports: a few ideas are very popular, most have some (Zipf-like).
    for rank, idea in enumerate(rng.sample(ideas, len(ideas))):
        count = int(180 / (rank + 1) ** 0.8) + rng.randrange(0, 4)
        for k in range(count):
            # A browser new to the idea: its key is what ``selectors.support_visitor`` gives.
            visitor = visitor_hash(f"demo-{SEED}-{idea.pk}-{k}")
            services.idea_support(idea=idea, visitor=visitor, now=idea.created_at)

    # Comments and replies while the call is open (the services refuse them afterwards).
    last_minute = CALL_END - datetime.timedelta(minutes=1)
    comments = []
    for idea in ideas:
        for _k in range(rng.choice([0, 0, 0, 1, 1, 2, 3])):
            district = idea.address.split(", ")[-1] if idea.address else "Stadtgebiet"
            author_name = rng.choice(NAMES)
            text = rng.choice(COMMENTS).format(**_words(place="", district=district))
            at = idea.created_at + datetime.timedelta(hours=rng.randrange(1, 200))
            comments.append(
                services.comment_add(
                    idea=idea, text=text, author_name=author_name, now=min(at, last_minute)
                )
            )
    for comment in comments:
        if rng.random() < 0.3:
            author_name = rng.choice(NAMES)
            text = rng.choice(REPLIES)
            at = comment.created_at + datetime.timedelta(hours=rng.randrange(1, 48))
            services.comment_add(
                idea=comment.idea,
                parent=comment,
                text=text,
                author_name=author_name,
                now=min(at, last_minute),
            )

    # The outcome after the call: most taken up, some still in review, a few rejected,
    # duplicates merged.
    # Rejected are only ideas for which one of the reason templates is the true answer.
    template_of = {idea.pk: TEMPLATES[k % len(TEMPLATES)][1] for k, idea in enumerate(ideas)}
    order = rng.sample(ideas, len(ideas))
    rejected = [idea for idea in order if template_of[idea.pk] in REJECTION_REASONS][:12]
    rest = [idea for idea in order if idea not in rejected]
    merged, review, accepted = rest[:5], rest[5:38], rest[38:98]
    reasons = {r.title: r for r in ReasonTemplate.objects.filter(title__in=[r[0] for r in REASONS])}
    for idea in ideas:
        if idea in merged:
            continue
        if idea in rejected or idea in review or idea in accepted:
            services.idea_status_set(
                actor=staff, idea=idea, status=IdeaStatus.IN_REVIEW, now=REVIEW_AT
            )
        if idea in rejected:
            services.idea_status_set(
                actor=staff,
                idea=idea,
                status=IdeaStatus.REJECTED,
                reason=reasons[REJECTION_REASONS[template_of[idea.pk]]].text,
                now=DECIDED_AT,
            )
        elif idea in accepted:
            services.idea_status_set(
                actor=staff, idea=idea, status=IdeaStatus.ACCEPTED, now=DECIDED_AT
            )

    # Duplicates: each merged idea goes into another idea made from the same template.
    for idea in merged:
        index = ideas.index(idea)
        twin = next(
            other
            for k, other in enumerate(ideas)
            if k % len(TEMPLATES) == index % len(TEMPLATES)
            and other not in merged
            and other is not idea
        )
        services.idea_merge(actor=staff, idea=idea, into=twin, now=REVIEW_AT)


def _configure(staff, strategy: Strategy) -> tuple[Process, list[Workshop]]:
    """The process as the moderation set it up: phases, workshops, reason templates."""
    process = services.process_save(
        actor=staff,
        strategy=strategy,
        slug=PROCESS_SLUG,
        title="Ideenaufruf Smart City Musterstadt",
        description=(
            "Vom 1. September bis 15. Oktober 2023 hat Musterstadt alle Einwohnerinnen und "
            "Einwohner gefragt: Wie kann Digitalisierung das Leben in unserer Stadt besser "
            "machen? Ideen kamen online, per Postkarte, im Bürgerbüro und aus zwei Workshops.\n\n"
            "Die Verwaltung hat alle Ideen geprüft. Viele sind in die Smart-City-Strategie "
            "eingeflossen; bei jeder Idee steht, was aus ihr geworden ist."
        ),
        moderation=Process.Moderation.POST,
        email_retention_days=90,
        offline_contact=(
            "Postkarten lagen im Bürgerbüro, Rathausplatz 1, aus. Ideen per "
            "E-Mail: smartcity@musterstadt.example"
        ),
        map_lat=Decimal("52.430000"),
        map_lon=Decimal("10.790000"),
        map_zoom=13,
    )
    services.phase_save(
        actor=staff,
        process=process,
        kind=Phase.Kind.IDEAS,
        title="Ideen sammeln",
        description="Ideen einreichen, unterstützen und kommentieren.",
        starts_at=CALL_START,
        ends_at=CALL_END,
    )
    services.phase_save(
        actor=staff,
        process=process,
        kind=Phase.Kind.INFORMATION,
        title="Prüfung und Rückmeldung",
        description="Die Verwaltung prüft die Ideen und meldet zurück.",
        starts_at=CALL_END,
        ends_at=DECIDED_AT,
    )
    known = set(ReasonTemplate.objects.values_list("title", flat=True))
    for order, (title, text) in enumerate(REASONS):
        if title not in known:
            services.reason_template_save(actor=staff, title=title, text=text, order=order)
    workshops = [
        services.workshop_save(
            actor=staff,
            process=process,
            title="Wirtschaft und Wissenschaft",
            held_on=datetime.date(2023, 9, 20),
            stakeholder_group=StakeholderGroup.BUSINESS,
            participant_count=24,
        ),
        services.workshop_save(
            actor=staff,
            process=process,
            title="Jugendforum Smart City",
            held_on=datetime.date(2023, 10, 5),
            stakeholder_group=StakeholderGroup.CIVIL_SOCIETY,
            participant_count=31,
        ),
    ]
    return process, workshops


def _submit_ideas(
    staff, process: Process, workshops: list[Workshop], fields, by_code, rng: random.Random
) -> list[Idea]:
    """170 ideas: online by residents (checked by the moderation afterwards, the process is
    post-moderated), postcards and the Bürgerbüro's notes entered by the moderation on the
    day they arrived, workshop results entered on the evening of the workshop."""
    districts = list(DISTRICTS)
    ideas: list[Idea] = []
    total = 170
    call_seconds = int((CALL_END - CALL_START).total_seconds()) - 3600
    for n in range(total):
        codes, title, description = TEMPLATES[n % len(TEMPLATES)]
        district = districts[(n * 7 + n // len(TEMPLATES)) % len(districts)]
        place = rng.choice(DISTRICTS[district][2])
        words = _words(place=place, district=district)
        if n < 140:
            source, workshop = IdeaSource.ONLINE, None
        elif n < 150:
            source, workshop = IdeaSource.POSTCARD, None
        elif n < 156:
            source, workshop = IdeaSource.OFFICE, None
        else:
            source, workshop = IdeaSource.WORKSHOP, workshops[(n - 156) % 2]
        created = CALL_START + datetime.timedelta(seconds=rng.randrange(call_seconds))
        if workshop is not None:
            created = datetime.datetime.combine(workshop.held_on, datetime.time(18, 0), tzinfo=TZ)
        has_place = rng.random() < 0.85
        lat, lon = _point(rng, district) if has_place else (None, None)
        extra = [rng.choice(fields)] if rng.random() < 0.25 else []
        chosen = list(dict.fromkeys(_fields_for(codes, by_code, fields, rng) + extra))[:3]
        online = source == IdeaSource.ONLINE
        idea = services.idea_submit(
            process=process,
            title=title.format(**words)[:120],
            description=description.format(**words),
            fields=chosen,
            lat=lat,
            lon=lon,
            address=f"{place}, {district}" if has_place else "",
            source=source,
            workshop=workshop,
            actor=None if online else staff,
            now=created,
        )
        if online:
            services.idea_approve(actor=staff, idea=idea, now=created)
        ideas.append(idea)
    return ideas


def url_samples() -> dict[str, dict]:
    """URL parameters for ``core/tests/test_url_access.py``, taken from this demo."""
    process = Process.objects.filter(slug=PROCESS_SLUG).first()
    if process is None:
        return {}
    idea = (
        Idea.objects.filter(process=process, merged_into__isnull=True, status=IdeaStatus.PUBLISHED)
        .order_by("pk")
        .first()
    )
    merged = Idea.objects.filter(process=process, merged_into__isnull=False).first()
    comment = (
        Comment.objects.filter(idea=idea).first()
        or Comment.objects.filter(idea__process=process).first()
    )
    report_idea = idea
    from .models import Report

    # A visitor's report, so that the resolve page has one (the demo itself has none).
    report = Report.objects.filter(idea__process=process).first() or services.report_create(
        idea=report_idea, reason=Report.Reason.OTHER, text="Beispielmeldung"
    )
    slug = {"slug": process.slug}
    with_idea = {"slug": process.slug, "pk": idea.pk}
    return {
        "participation:contact_confirm": {"token": "unbekannt"},
        "participation:support_confirm": {"token": "unbekannt"},
        "participation:process_detail": slug,
        "participation:idea_list": slug,
        "participation:idea_export": {"slug": process.slug, "fmt": "csv"},
        "participation:idea_map": slug,
        "participation:idea_submit": slug,
        "participation:idea_similar": slug,
        "participation:idea_detail": {"slug": process.slug, "pk": (merged or idea).pk},
        "participation:idea_support": with_idea,
        "participation:support_email": with_idea,
        "participation:comment_create": with_idea,
        "participation:report_create": with_idea,
        "participation:staff_process_edit": slug,
        "participation:staff_phase_create": slug,
        "participation:staff_phase_edit": {"pk": process.phases.first().pk},
        "participation:staff_workshop_create": slug,
        "participation:staff_workshop_edit": {"pk": process.workshops.first().pk},
        "participation:staff_queue": slug,
        "participation:staff_idea_list": slug,
        "participation:staff_document_ideas": slug,
        "participation:staff_idea_create": slug,
        "participation:staff_export": {"slug": process.slug, "fmt": "csv"},
        "participation:staff_idea": {"pk": idea.pk},
        "participation:staff_idea_approve": {"pk": idea.pk},
        "participation:staff_idea_status": {"pk": idea.pk},
        "participation:staff_idea_edit": {"pk": idea.pk},
        "participation:staff_idea_merge": {"pk": idea.pk},
        "participation:staff_email_block": {"pk": idea.pk},
        "participation:staff_comment_moderate": {"pk": comment.pk},
        "participation:staff_report_resolve": {"pk": report.pk},
        "api:idea": {"idea_id": idea.pk},
        "participation:staff_reason_template_edit": {
            "pk": ReasonTemplate.objects.order_by("pk").first().pk
        },
    }
