"""The demo city's weighting and survey: "Schwerpunkte der Smart-City-Strategie", finished.

A weighting (pick 3 of the 10 fields, participation codes sent to a random sample) with about
1,300 ballots, and a survey "Wie möchten Sie informiert und beteiligt werden?" with about
1,300 answers. As in every real sample, younger people answered more often than older ones:
the population targets of the statistics office differ from the sample, so weighting
visibly moves the results (Mobilität stays first with over half of the ballots, as in
Wolfsburg, but less clearly). Everything is generated with ``random.Random(SEED)``; no
personal data (codes and tokens are random and thrown away).

Every write goes through the services, as the people involved made it: the Strategie-Redaktion
sets up the phases, questions, population targets and codes (whose files it deletes once the
letters are out), residents cast their ballots with the code from their letter and answer the
survey page by page while the phases are open (``now`` at the time they did), and after the end
the ballot boxes are mixed and the results published. Ballots and answers are committed one by
one (``transaction.atomic(durable=True)``), so this is not one transaction: the set-up is.
"""

import datetime
import math
import random
from decimal import Decimal

from django.db import transaction

from leitbild.accounts.demo import demo_staff
from leitbild.core.districts import district_names
from leitbild.core.roles import Role
from leitbild.participation import services as participation_services
from leitbild.participation.models import Phase, Process
from leitbild.strategy.models import ActionField, Strategy

from . import identity, selectors, services
from .models import (
    DemographicQuestion,
    Method,
    Mode,
    QuestionKind,
    Survey,
    SurveyQuestion,
    Weighting,
)
from .questionnaire import parse_options

SEED = 2024
PROCESS_SLUG = "schwerpunkte-smart-city"
STRATEGY_SLUG = "musterstadt"
TZ = datetime.timezone(datetime.timedelta(hours=2))
STARTS = datetime.datetime(2024, 4, 8, 9, 0, tzinfo=TZ)
ENDS = datetime.datetime(2024, 5, 5, 23, 59, tzinfo=TZ)
BALLOTS = 1_312
RESPONSES = 1_320
CODES = 2_500

AGE = [
    "16–24 Jahre",
    "25–34 Jahre",
    "35–49 Jahre",
    "50–64 Jahre",
    "65–79 Jahre",
    "80 Jahre und älter",
]
AGE_POPULATION = [0.11, 0.15, 0.22, 0.25, 0.19, 0.08]
AGE_SAMPLE = [0.19, 0.24, 0.26, 0.19, 0.10, 0.02]
DISTRICTS = [
    "Altstadt",
    "Nordstadt",
    "Westend",
    "Am See",
    "Hafenviertel",
    "Südstadt",
    "Gartenstadt",
    "Bahnhofsviertel",
]
DISTRICT_POPULATION = [0.10, 0.16, 0.14, 0.09, 0.11, 0.17, 0.13, 0.10]
DISTRICT_SAMPLE = [0.17, 0.13, 0.12, 0.12, 0.15, 0.10, 0.11, 0.10]
RELATION = [
    "Ich wohne in Musterstadt",
    "Ich arbeite hier, wohne aber woanders",
    "Ich studiere oder mache eine Ausbildung hier",
]
RELATION_SAMPLE = [0.82, 0.12, 0.06]

# Preference for each field (codes of the demo strategy) and how it changes with age
# (positive: younger people choose it more often).
FIELD_BASE = {
    "MOB": 1.55,
    "BIL": 0.75,
    "GES": 0.55,
    "ENU": 0.95,
    "WIA": 0.25,
    "VBS": 0.55,
    "WQ": 0.45,
    "KUF": 0.0,
    "SIC": 0.25,
    "DIN": 0.6,
}
FIELD_AGE = {
    "MOB": 0.55,
    "BIL": 0.45,
    "GES": -0.9,
    "ENU": 0.35,
    "WIA": 0.1,
    "VBS": -0.45,
    "WQ": 0.0,
    "KUF": 0.15,
    "SIC": -0.7,
    "DIN": 0.5,
}


def _choice(rng: random.Random, weights: list[float]) -> int:
    return rng.choices(range(len(weights)), weights=weights)[0]


def _demographic_questions(staff, phase: Phase) -> list[DemographicQuestion]:
    specs = [
        ("alter", "Wie alt sind Sie?", AGE),
        ("stadtteil", "In welchem Stadtteil wohnen oder arbeiten Sie?", DISTRICTS),
        ("bezug", "Was verbindet Sie mit Musterstadt?", RELATION),
    ]
    # The district question takes its answers from the map's districts, like a city would
    # (the demo's DISTRICTS are the names of the shipped file, in its order).
    return [
        services.demographic_question_save(
            actor=staff,
            phase=phase,
            key=key,
            text=text,
            options=parse_options("\n".join(labels)),
            options_from_districts=key == "stadtteil" and district_names() == DISTRICTS,
            position=position,
        )
        for position, (key, text, labels) in enumerate(specs)
    ]


def _targets(staff, phase: Phase, questions: list[DemographicQuestion]) -> None:
    age, district, _relation = questions
    for question, shares in ((age, AGE_POPULATION), (district, DISTRICT_POPULATION)):
        services.population_target_save(
            actor=staff,
            phase=phase,
            question=question,
            second_question=None,
            shares=dict(zip(question.values, shares, strict=True)),
            source="Melderegister, Stand 31.12.2023",
        )


def _person(rng: random.Random) -> tuple[int, int, int]:
    """Codes of age band, district and relation; −1 for a skipped (voluntary) question."""
    age = _choice(rng, AGE_SAMPLE) if rng.random() > 0.04 else -1
    district = _choice(rng, DISTRICT_SAMPLE) if rng.random() > 0.06 else -1
    relation = _choice(rng, RELATION_SAMPLE) if rng.random() > 0.08 else -1
    return age, district, relation


def _demographics(questions, codes) -> dict[str, str]:
    """The answers as the form sends them: "" for a question left out."""
    return {q.key: q.values[c] if c >= 0 else "" for q, c in zip(questions, codes, strict=True)}


def load() -> None:
    """Idempotent: runs after the strategy and participation demos on every `leitbild demo`."""
    configured = _configure()
    if configured is None:
        return
    staff, weighting, codes, survey = configured
    rng = random.Random(SEED)
    _cast_ballots(weighting, codes, rng)
    _answer_survey(survey, rng)
    # After the end the worker mixes what is left in the ballot boxes; here at once.
    for consultation in (weighting, survey):
        services.ballot_boxes_flush(phase=consultation.phase)
        consultation.refresh_from_db()  # as the staff page reads it
        services.results_publish(actor=staff, consultation=consultation, published=True)


@transaction.atomic
def _configure():
    """The process as the Strategie-Redaktion set it up before the phases opened."""
    if Process.objects.filter(slug=PROCESS_SLUG).exists():
        return None
    strategy = (
        Strategy.objects.filter(slug=STRATEGY_SLUG).first()
        or Strategy.objects.order_by("pk").first()
    )
    if strategy is None:
        return None
    fields = list(ActionField.objects.filter(strategy=strategy).order_by("order", "pk"))
    if len(fields) < 3:
        return None
    staff = demo_staff(Role.EDITOR)
    process = participation_services.process_save(
        actor=staff,
        strategy=strategy,
        slug=PROCESS_SLUG,
        title="Schwerpunkte der Smart-City-Strategie",
        description=(
            "Im April 2024 hat Musterstadt gefragt, welche Handlungsfelder der "
            "Smart-City-Strategie zuerst angegangen werden sollen, und wie die Menschen "
            "informiert und beteiligt werden möchten.\n\nFür die Gewichtung hat die "
            "Statistikstelle 2.500 Einwohnerinnen und Einwohner zufällig ausgewählt und "
            "ihnen einen Teilnahmecode geschickt. Die Umfrage war offen für alle."
        ),
        email_retention_days=0,
        # What the staff form sends for the default map centre (no map in this process).
        map_lat=Decimal("52.430000"),
        map_lon=Decimal("10.790000"),
        map_zoom=13,
    )
    weighting_phase = participation_services.phase_save(
        actor=staff,
        process=process,
        kind=Phase.Kind.WEIGHTING,
        title="Schwerpunkte wählen",
        description="Wählen Sie die drei Handlungsfelder, die Ihnen am wichtigsten sind.",
        starts_at=STARTS,
        ends_at=ENDS,
    )
    survey_phase = participation_services.phase_save(
        actor=staff,
        process=process,
        kind=Phase.Kind.SURVEY,
        title="Wie möchten Sie informiert und beteiligt werden?",
        description="Zehn Minuten, die uns helfen, besser zu informieren und zu beteiligen.",
        starts_at=STARTS,
        ends_at=ENDS,
    )
    weighting, codes = _configure_weighting(staff, weighting_phase, fields)
    survey = _configure_survey(staff, survey_phase)
    return staff, weighting, codes, survey


def _configure_weighting(
    staff, phase: Phase, fields: list[ActionField]
) -> tuple[Weighting, list[str]]:
    weighting = services.weighting_configure(
        actor=staff,
        phase=phase,
        fields=fields,
        mode=Mode.CODES,
        method=Method.PICK,
        pick_k=3,
        pick_minimum=1,
        intro=(
            "Die Smart-City-Strategie hat zehn Handlungsfelder. Welche drei sollen zuerst "
            "angegangen werden? Ihre Wahl hilft dem Rat, Projekte zu priorisieren."
        ),
    )
    _targets(staff, phase, _demographic_questions(staff, phase))
    # The codes for the letters; once the letters are out, the files with the plain codes are
    # deleted, as the Strategie-Redaktion should. The plain codes live on only in memory here,
    # as on the letters: the first BALLOTS of them are used below.
    batch = services.codes_generate(actor=staff, phase=phase, count=CODES)
    codes = services.batch_codes(batch)
    services.codes_files_delete(actor=staff, batch=batch)
    return weighting, codes


def _cast_ballots(weighting: Weighting, codes: list[str], rng: random.Random) -> None:
    """BALLOTS residents cast a ballot with the code from their letter, as the form sends it:
    through ``ballots_cast_many``, the rules, claim and ballot box of ``ballot_cast`` without
    a durable commit each (ballot by ballot the demo took ten times as long)."""
    phase = weighting.phase
    fields = selectors.ballot_fields(weighting)
    questions = selectors.demographic_questions(phase.pk)
    base = [FIELD_BASE.get(f.code, 0.3) for f in fields]
    slope = [FIELD_AGE.get(f.code, 0.0) for f in fields]
    ballots = []
    for i in range(BALLOTS):
        person = _person(rng)
        youth = 1.0 - (person[0] if person[0] >= 0 else 2.5) / 2.5  # +1 young … −1 old
        utility = [
            b + s * youth - math.log(-math.log(rng.random() or 1e-12))
            for b, s in zip(base, slope, strict=True)
        ]
        top = sorted(range(len(fields)), key=utility.__getitem__, reverse=True)[:3]
        ballots.append(
            {
                "choices": [fields[k].pk for k in top],
                "demographics": _demographics(questions, person),
                "code": codes[i],
            }
        )
    services.ballots_cast_many(weighting=weighting, ballots=ballots, now=STARTS)


SATISFIED = "Ich war mit dieser Beteiligung zufrieden."
SURVEY = [
    (
        "Information",
        "Wie Sie heute von Vorhaben der Stadt erfahren.",
        [
            (
                QuestionKind.SINGLE,
                "Wie erfahren Sie hauptsächlich von Vorhaben der Stadt?",
                [
                    "Tageszeitung",
                    "Website der Stadt",
                    "Soziale Medien",
                    "Stadtmagazin",
                    "Radio oder Fernsehen",
                    "Gespräche mit Nachbarn oder Bekannten",
                ],
                True,
            ),
            (
                QuestionKind.MULTIPLE,
                "Auf welchen Wegen möchten Sie künftig informiert werden?",
                [
                    "Newsletter per E-Mail",
                    "Stadt-App",
                    "Soziale Medien",
                    "Website der Stadt",
                    "Aushänge im Stadtteil",
                    "Brief oder Postwurfsendung",
                ],
                False,
            ),
            (
                QuestionKind.LIKERT,
                "Ich fühle mich über die Smart-City-Strategie gut informiert.",
                [],
                False,
            ),
        ],
    ),
    (
        "Beteiligung",
        "Wie Sie mitreden möchten.",
        [
            (
                QuestionKind.SINGLE,
                "Haben Sie sich schon einmal an einem Vorhaben der Stadt beteiligt?",
                ["Ja", "Nein"],
                True,
            ),
            (QuestionKind.LIKERT, SATISFIED, [], False),
            (
                QuestionKind.MULTIPLE,
                "Wie möchten Sie sich künftig beteiligen?",
                [
                    "Online-Umfragen",
                    "Ideen online einreichen",
                    "Workshops vor Ort",
                    "Bürgerversammlungen",
                    "Stadtteilspaziergänge",
                    "Gar nicht",
                ],
                False,
            ),
            (
                QuestionKind.NUMBER,
                "Wie viele Minuten im Monat würden Sie sich dafür nehmen?",
                [],
                False,
            ),
            (QuestionKind.TEXT, "Was wünschen Sie sich noch?", [], False),
        ],
    ),
]
WISHES = [
    "Mehr Veranstaltungen am Abend, tagsüber arbeite ich.",
    "Bitte auch in einfacher Sprache informieren.",
    "Eine Rückmeldung, was aus den Vorschlägen geworden ist.",
    "Kurze Umfragen in der Stadt-App, nicht so lange Fragebögen.",
    "Mehr Angebote direkt im Stadtteil, nicht nur im Rathaus.",
    "Ergebnisse offen als Daten veröffentlichen.",
]


def _configure_survey(staff, phase: Phase) -> Survey:
    survey = services.survey_configure(
        actor=staff,
        phase=phase,
        mode=Mode.OPEN,
        intro="Wie möchten Sie von der Stadt informiert werden, und wie möchten Sie mitreden?",
    )
    questions: list[SurveyQuestion] = []
    for position, (title, description, specs) in enumerate(SURVEY):
        section = services.survey_section_save(
            actor=staff, survey=survey, title=title, description=description, position=position
        )
        for q_position, (kind, text, labels, required) in enumerate(specs):
            condition = None
            if text == SATISFIED:  # only asked of those who took part before
                condition = questions[-1]
            questions.append(
                services.survey_question_save(
                    actor=staff,
                    section=section,
                    kind=kind,
                    text=text,
                    required=required,
                    options=parse_options("\n".join(labels)),
                    position=q_position,
                    number_min=0 if kind == QuestionKind.NUMBER else None,
                    number_max=600 if kind == QuestionKind.NUMBER else None,
                    condition_question=condition,
                    condition_value=condition.values[0] if condition else "",
                )
            )
    _targets(staff, phase, _demographic_questions(staff, phase))
    return survey


def _answer_survey(survey: Survey, rng: random.Random) -> None:
    """RESPONSES visitors answer the survey, each from their own browser, as the pages send
    the answers: through ``survey_responses_submit_many``, the checks, claim and ballot box
    of the pages and ``survey_submit`` without a draft and a durable commit each."""
    questions = [
        q for section in selectors.survey_structure(survey) for q in section.questions.all()
    ]
    demographics = selectors.demographic_questions(survey.phase_id)
    main, channels, informed, took_part, satisfied, formats, minutes, wishes = questions
    responses = []
    for i in range(RESPONSES):
        person = _person(rng)
        young = person[0] in (0, 1)
        old = person[0] >= 4
        answers: dict[SurveyQuestion, object] = {}
        main_weights = (
            [1, 3, 4, 1, 1, 2] if young else [5, 2, 1, 3, 3, 2] if old else [3, 3, 2, 2, 2, 2]
        )
        answers[main] = main.values[_choice(rng, main_weights)]
        answers[channels] = [
            v
            for v, p in zip(
                channels.values,
                [
                    0.4,
                    0.55 if not old else 0.2,
                    0.5 if young else 0.2,
                    0.45,
                    0.3,
                    0.45 if old else 0.15,
                ],
                strict=True,
            )
            if rng.random() < p
        ]
        if rng.random() > 0.05:
            answers[informed] = str(_choice(rng, [0.18, 0.3, 0.28, 0.18, 0.06]) + 1)
        yes = rng.random() < (0.22 if young else 0.4)
        answers[took_part] = took_part.values[0 if yes else 1]
        if yes and rng.random() > 0.1:
            answers[satisfied] = str(_choice(rng, [0.08, 0.17, 0.3, 0.3, 0.15]) + 1)
        answers[formats] = [
            v
            for v, p in zip(
                formats.values,
                [0.7 if not old else 0.35, 0.35, 0.3, 0.2 if not old else 0.35, 0.25, 0.06],
                strict=True,
            )
            if rng.random() < p
        ]
        if rng.random() > 0.25:
            answers[minutes] = str(int(min(600, round(rng.lognormvariate(3.4, 0.6) / 5) * 5)))
        if rng.random() < 0.08:
            answers[wishes] = rng.choice(WISHES)

        responses.append(
            {
                "raw": {str(q.pk): value for q, value in answers.items()},
                "demographics": _demographics(demographics, person),
                "identity_hash": identity.browser_identity(f"demo-{SEED}-{i}"),
            }
        )
    services.survey_responses_submit_many(survey=survey, responses=responses, now=STARTS)
