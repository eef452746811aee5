"""The demo city's weighting and survey: "Schwerpunkte der Smart-City-Strategie", finished.

A weighting (pick 3 of the 10 fields, participation codes sent to a random sample) with about
1,300 ballots, and a survey "Wie möchten Sie informiert und beteiligt werden?" with about
1,300 answers. As in every real sample, younger people answered more often than older ones:
the population targets of the statistics office differ from the sample, so weighting
visibly moves the results (Mobilität stays first with over half of the ballots, as in
Wolfsburg, but less clearly). Everything is generated with ``random.Random(SEED)`` and
written with ``bulk_create``; no personal data (codes and tokens are random and thrown away).
"""

import datetime
import math
import random
import secrets

from django.db import transaction

from leitbild.consultation.ballots import encode_ballot
from leitbild.documents.letters import hash_code
from leitbild.participation.models import Phase, Process
from leitbild.strategy.models import ActionField, Strategy

from . import identity
from .models import (
    Ballot,
    CodeBatch,
    DemographicQuestion,
    Method,
    Mode,
    Participation,
    ParticipationCode,
    PopulationTarget,
    QuestionKind,
    Survey,
    SurveyQuestion,
    SurveyResponse,
    SurveySection,
    Weighting,
    WeightingField,
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


def _demographic_questions(phase: Phase) -> list[DemographicQuestion]:
    specs = [
        ("alter", "Wie alt sind Sie?", AGE),
        ("stadtteil", "In welchem Stadtteil wohnen oder arbeiten Sie?", DISTRICTS),
        ("bezug", "Was verbindet Sie mit Musterstadt?", RELATION),
    ]
    return DemographicQuestion.objects.bulk_create(
        [
            DemographicQuestion(
                phase=phase,
                key=key,
                text=text,
                options=parse_options("\n".join(labels)),
                position=position,
            )
            for position, (key, text, labels) in enumerate(specs)
        ]
    )


def _targets(phase: Phase, questions: list[DemographicQuestion]) -> None:
    age, district, _relation = questions
    PopulationTarget.objects.bulk_create(
        [
            PopulationTarget(
                phase=phase,
                question=age,
                source="Melderegister, Stand 31.12.2023",
                shares=dict(zip(age.values, AGE_POPULATION, strict=True)),
            ),
            PopulationTarget(
                phase=phase,
                question=district,
                source="Melderegister, Stand 31.12.2023",
                shares=dict(zip(district.values, DISTRICT_POPULATION, strict=True)),
            ),
        ]
    )


def _person(rng: random.Random) -> tuple[int, int, int]:
    """Codes of age band, district and relation; −1 for a skipped (voluntary) question."""
    age = _choice(rng, AGE_SAMPLE) if rng.random() > 0.04 else -1
    district = _choice(rng, DISTRICT_SAMPLE) if rng.random() > 0.06 else -1
    relation = _choice(rng, RELATION_SAMPLE) if rng.random() > 0.08 else -1
    return age, district, relation


def _demographics(questions, codes) -> dict[str, str]:
    return {q.key: q.values[c] for q, c in zip(questions, codes, strict=True) if c >= 0}


@transaction.atomic
def load() -> None:
    """Idempotent: runs after the strategy and participation demos on every `leitbild demo`."""
    if Process.objects.filter(slug=PROCESS_SLUG).exists():
        return
    strategy = (
        Strategy.objects.filter(slug=STRATEGY_SLUG).first()
        or Strategy.objects.order_by("pk").first()
    )
    if strategy is None:
        return
    fields = list(ActionField.objects.filter(strategy=strategy).order_by("order", "pk"))
    if len(fields) < 3:
        return
    rng = random.Random(SEED)
    process = Process.objects.create(
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
    )
    weighting_phase = Phase.objects.create(
        process=process,
        kind=Phase.Kind.WEIGHTING,
        title="Schwerpunkte wählen",
        description="Wählen Sie die drei Handlungsfelder, die Ihnen am wichtigsten sind.",
        starts_at=STARTS,
        ends_at=ENDS,
    )
    survey_phase = Phase.objects.create(
        process=process,
        kind=Phase.Kind.SURVEY,
        title="Wie möchten Sie informiert und beteiligt werden?",
        description="Zehn Minuten, die uns helfen, besser zu informieren und zu beteiligen.",
        starts_at=STARTS,
        ends_at=ENDS,
    )
    _load_weighting(weighting_phase, fields, rng)
    _load_survey(survey_phase, rng)


def _load_weighting(phase: Phase, fields: list[ActionField], rng: random.Random) -> None:
    weighting = Weighting.objects.create(
        phase=phase,
        mode=Mode.CODES,
        method=Method.PICK,
        pick_k=3,
        pick_minimum=1,
        results_published=True,
        locked_at=STARTS,
        intro=(
            "Die Smart-City-Strategie hat zehn Handlungsfelder. Welche drei sollen zuerst "
            "angegangen werden? Ihre Wahl hilft dem Rat, Projekte zu priorisieren."
        ),
    )
    WeightingField.objects.bulk_create(
        [WeightingField(weighting=weighting, field=f, position=i) for i, f in enumerate(fields)]
    )
    questions = _demographic_questions(phase)
    _targets(phase, questions)
    batch = CodeBatch.objects.create(phase=phase, count=CODES, files_deleted_at=STARTS)
    # Random codes that nobody ever sees: only their hashes exist, as after a real purge of
    # the letter files. The first BALLOTS of them were used.
    hashes = [
        hash_code("".join(secrets.choice("ABCDEFGHJKMNPQRSTUVWXYZ23456789") for _ in range(12)))
        for _ in range(CODES)
    ]
    codes = [
        ParticipationCode(phase=phase, batch=batch, code_hash=h, used=i < BALLOTS)
        for i, h in enumerate(hashes)
    ]
    secrets.SystemRandom().shuffle(codes)  # as codes_generate: ids say nothing about use
    ParticipationCode.objects.bulk_create(codes, batch_size=2000)
    Participation.objects.bulk_create(
        [Participation(phase=phase, identity_hash=h) for h in hashes[:BALLOTS]], batch_size=2000
    )
    rules = weighting.rules(tuple(f.pk for f in fields))
    base = [FIELD_BASE.get(f.code, 0.3) for f in fields]
    slope = [FIELD_AGE.get(f.code, 0.0) for f in fields]
    ballots = []
    for _ in range(BALLOTS):
        person = _person(rng)
        youth = 1.0 - (person[0] if person[0] >= 0 else 2.5) / 2.5  # +1 young … −1 old
        utility = [
            b + s * youth - math.log(-math.log(rng.random() or 1e-12))
            for b, s in zip(base, slope, strict=True)
        ]
        top = sorted(range(len(fields)), key=utility.__getitem__, reverse=True)[:3]
        choices, vector = encode_ballot(rules, [fields[i].pk for i in top], person)
        ballots.append(
            Ballot(
                weighting=weighting,
                choices=choices,
                demographics=_demographics(questions, person),
                vector=vector,
            )
        )
    Ballot.objects.bulk_create(ballots, batch_size=2000)


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
            (QuestionKind.LIKERT, "Ich war mit dieser Beteiligung zufrieden.", [], False),
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


def _load_survey(phase: Phase, rng: random.Random) -> None:
    survey = Survey.objects.create(
        phase=phase,
        mode=Mode.OPEN,
        results_published=True,
        locked_at=STARTS,
        intro="Wie möchten Sie von der Stadt informiert werden, und wie möchten Sie mitreden?",
    )
    questions: list[SurveyQuestion] = []
    for position, (title, description, specs) in enumerate(SURVEY):
        section = SurveySection.objects.create(
            survey=survey, title=title, description=description, position=position
        )
        for q_position, (kind, text, labels, required) in enumerate(specs):
            questions.append(
                SurveyQuestion(
                    section=section,
                    kind=kind,
                    text=text,
                    required=required,
                    options=parse_options("\n".join(labels)),
                    position=q_position,
                    number_min=0 if kind == QuestionKind.NUMBER else None,
                    number_max=600 if kind == QuestionKind.NUMBER else None,
                )
            )
    SurveyQuestion.objects.bulk_create(questions)
    main, channels, informed, took_part, satisfied, formats, minutes, wishes = questions
    satisfied.condition_question, satisfied.condition_value = took_part, took_part.values[0]
    satisfied.save(update_fields=["condition_question", "condition_value"])
    demographics = _demographic_questions(phase)
    _targets(phase, demographics)
    Participation.objects.bulk_create(
        [
            Participation(phase=phase, identity_hash=identity.browser_identity(f"demo-{SEED}-{i}"))
            for i in range(RESPONSES)
        ],
        batch_size=2000,
    )
    responses = []
    for _ in range(RESPONSES):
        person = _person(rng)
        young = person[0] in (0, 1)
        old = person[0] >= 4
        answers: dict[str, object] = {}
        main_weights = (
            [1, 3, 4, 1, 1, 2] if young else [5, 2, 1, 3, 3, 2] if old else [3, 3, 2, 2, 2, 2]
        )
        answers[str(main.pk)] = main.values[_choice(rng, main_weights)]
        chosen = [
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
        if chosen:
            answers[str(channels.pk)] = chosen
        if rng.random() > 0.05:
            answers[str(informed.pk)] = str(_choice(rng, [0.18, 0.3, 0.28, 0.18, 0.06]) + 1)
        yes = rng.random() < (0.22 if young else 0.4)
        answers[str(took_part.pk)] = took_part.values[0 if yes else 1]
        if yes and rng.random() > 0.1:
            answers[str(satisfied.pk)] = str(_choice(rng, [0.08, 0.17, 0.3, 0.3, 0.15]) + 1)
        picked = [
            v
            for v, p in zip(
                formats.values,
                [0.7 if not old else 0.35, 0.35, 0.3, 0.2 if not old else 0.35, 0.25, 0.06],
                strict=True,
            )
            if rng.random() < p
        ]
        if picked:
            answers[str(formats.pk)] = picked
        if rng.random() > 0.25:
            answers[str(minutes.pk)] = int(min(600, round(rng.lognormvariate(3.4, 0.6) / 5) * 5))
        if rng.random() < 0.08:
            answers[str(wishes.pk)] = rng.choice(WISHES)
        responses.append(
            SurveyResponse(
                survey=survey,
                answers=answers,
                submitted=True,
                demographics=_demographics(demographics, person),
                section_index=len(SURVEY),
            )
        )
    SurveyResponse.objects.bulk_create(responses, batch_size=2000)
