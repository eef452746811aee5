"""Reads of weighting and surveys, above all the results.

Results are computed by ``consultation.statistics`` and ``leitbild.numerics`` from NumPy
arrays: ballots are loaded in one query as packed int16 vectors (see ``Ballot``), so a results
page costs the same few queries for a hundred or a million ballots. Suppression happens here,
once, so that pages, exports and the API can only show what may be shown.

Every read of ballots and responses takes the final tables *and* the ballot box (entries not
yet mixed, see ``services.ballot_box_mix``), so figures are right the moment a ballot counts.
"""

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from django.db import connection
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from leitbild.consultation.ballots import decode_vectors
from leitbild.consultation.statistics import (
    FieldResult,
    GroupResult,
    aggregate,
    breakdown,
    sample_supports_inference,
)
from leitbild.core.inbox import InboxEntry, Section
from leitbild.core.security import stored_hash
from leitbild.numerics.intervals import (
    Estimate,
    effective_sample_size,
    mean_interval,
    weighted_mean,
    weighted_share,
    wilson_interval,
)
from leitbild.numerics.raking import RakingError, rake_codes
from leitbild.numerics.suppression import suppress_with_complement
from leitbild.participation.models import Phase, Process
from leitbild.strategy.models import ActionField

from . import identity
from .models import (
    AccessGrant,
    Ballot,
    CodeBatch,
    DemographicQuestion,
    Method,
    Participation,
    PendingBallot,
    PendingResponse,
    PopulationTarget,
    QuestionKind,
    Survey,
    SurveyQuestion,
    SurveyResponse,
    SurveySection,
    Weighting,
)
from .questionnaire import target_categories

CONSULTATION_KINDS = (Phase.Kind.WEIGHTING, Phase.Kind.SURVEY)


# --- Lookups ---------------------------------------------------------------------------------
def weighting_get(*, phase_id: int) -> Weighting | None:
    return (
        Weighting.objects.select_related("phase__process__strategy")
        .filter(phase_id=phase_id, phase__kind=Phase.Kind.WEIGHTING)
        .first()
    )


def survey_get(*, phase_id: int) -> Survey | None:
    return (
        Survey.objects.select_related("phase__process__strategy")
        .filter(phase_id=phase_id, phase__kind=Phase.Kind.SURVEY)
        .first()
    )


def phase_get(*, pk: int) -> Phase | None:
    return (
        Phase.objects.select_related("process__strategy", "weighting", "survey")
        .filter(pk=pk, kind__in=CONSULTATION_KINDS)
        .first()
    )


def consultation_phases() -> list[Phase]:
    """Weighting and survey phases with their configuration, newest process first."""
    return list(
        Phase.objects.filter(kind__in=CONSULTATION_KINDS)
        .select_related("process", "weighting", "survey")
        .order_by("-process__created_at", "starts_at", "pk")
    )


def public_phases() -> list[Phase]:
    return [p for p in consultation_phases() if configuration(p) is not None]


def configuration(phase: Phase) -> Weighting | Survey | None:
    name = "weighting" if phase.kind == Phase.Kind.WEIGHTING else "survey"
    try:
        return getattr(phase, name)
    except (Weighting.DoesNotExist, Survey.DoesNotExist):
        return None


def inbox_phases(user) -> list[InboxEntry]:
    """Weighting and survey phases not over yet: those without a ballot or questionnaire set
    up wait for the editors (residents see no link to them before); those open now run.
    One query."""
    now = timezone.now()
    phases = (
        Phase.objects.filter(kind__in=CONSULTATION_KINDS, ends_at__gt=now)
        .select_related("process", "weighting", "survey")
        .order_by("starts_at", "pk")
    )
    entries = []
    for phase in phases:
        url = reverse("consultation:staff_phase", kwargs={"pk": phase.pk})
        name = f"{phase.title} ({phase.process.title})"
        if configuration(phase) is None:
            label = gettext("noch nicht eingerichtet: %(phase)s") % {"phase": name}
            entries.append(InboxEntry(Section.WAITS, label, url))
        elif phase.is_open(now):
            end = date_format(timezone.localtime(phase.ends_at), "SHORT_DATETIME_FORMAT")
            entries.append(
                InboxEntry(Section.RUNS, name, url, detail=gettext("bis %(end)s") % {"end": end})
            )
    return entries


def phases_ready(phases: Sequence[Phase]) -> set[int]:
    """The weighting and survey phases among ``phases`` whose ballot or questionnaire is set
    up: only these are linked publicly (the participation app asks through its phase
    registry). One query per kind present."""
    ready: set[int] = set()
    for kind, model in ((Phase.Kind.WEIGHTING, Weighting), (Phase.Kind.SURVEY, Survey)):
        ids = [phase.pk for phase in phases if phase.kind == kind]
        if ids:
            ready.update(model.objects.filter(phase_id__in=ids).values_list("phase_id", flat=True))
    return ready


def processes_with_phases():
    return (
        Process.objects.select_related("strategy")
        .prefetch_related(
            Prefetch("phases", queryset=Phase.objects.select_related("weighting", "survey"))
        )
        .order_by("-created_at")
    )


def ballot_fields(weighting: Weighting) -> list[ActionField]:
    """The fields on the ballot in position order (the columns of the ballot matrix)."""
    return [wf.field for wf in weighting.weighting_fields.select_related("field")]


def demographic_questions(phase_id: int) -> list[DemographicQuestion]:
    return list(DemographicQuestion.objects.filter(phase_id=phase_id))


def code_batches(phase: Phase) -> list[CodeBatch]:
    return list(
        CodeBatch.objects.filter(phase=phase)
        .annotate(used=Count("codes", filter=Q(codes__used=True)))
        .select_related("created_by")
    )


def code_counts(phase: Phase) -> dict[str, int]:
    counts = phase.participation_codes.aggregate(
        total=Count("pk"), used=Count("pk", filter=Q(used=True))
    )
    return {"total": counts["total"] or 0, "used": counts["used"] or 0}


def ballot_count(weighting: Weighting) -> int:
    return (
        Ballot.objects.filter(weighting=weighting).count()
        + PendingBallot.objects.filter(weighting=weighting).count()
    )


def ballot_for_token(*, weighting: Weighting, token: str) -> Ballot | PendingBallot | None:
    """The ballot a change token belongs to, still in the box or already mixed."""
    if not token:
        return None
    key = identity.ballot_key(token)
    return (
        PendingBallot.objects.filter(weighting=weighting, change_key=key).first()
        or Ballot.objects.filter(weighting=weighting, change_key=key).first()
    )


def _shuffled(rows: list) -> list:
    # Rows still in the box come in the order they were cast: exports and free-text lists
    # must not repeat it.
    secrets.SystemRandom().shuffle(rows)
    return rows


def ballot_rows(weighting: Weighting) -> list[tuple]:
    """(choices, demographics) of every ballot, mixed or in the box, in one query, in random
    order."""
    return _shuffled(
        list(
            Ballot.objects.filter(weighting=weighting)
            .values_list("choices", "demographics")
            .union(
                PendingBallot.objects.filter(weighting=weighting).values_list(
                    "choices", "demographics"
                ),
                all=True,
            )
        )
    )


def response_rows(survey: Survey) -> list[tuple]:
    """(answers, demographics) of every submitted response, mixed or in the box, in one
    query, in random order."""
    return _shuffled(
        list(
            SurveyResponse.objects.filter(survey=survey, submitted=True)
            .values_list("answers", "demographics")
            .union(
                PendingResponse.objects.filter(survey=survey).values_list(
                    "answers", "demographics"
                ),
                all=True,
            )
        )
    )


def access_proof(*, phase: Phase, token: str, now: datetime | None = None) -> str:
    """What the browser holding ``token`` proved for the phase ("hash:…", "code:…") or ""."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return ""
    grant = AccessGrant.objects.filter(
        phase=phase, token_hash=identity.grant_key(token), expires_at__gt=now or timezone.now()
    ).first()
    return identity.unseal(grant.sealed, token) if grant is not None else ""


def survey_structure(survey: Survey) -> list[SurveySection]:
    """Sections with their questions prefetched, in order."""
    return list(
        survey.sections.prefetch_related(
            Prefetch(
                "questions", queryset=SurveyQuestion.objects.select_related("condition_question")
            )
        )
    )


@dataclass(frozen=True)
class SurveyPage:
    """One page of the questionnaire: a section, or the demographic questions after the last."""

    sections: list[SurveySection]
    demographics: list[DemographicQuestion]
    index: int
    section: SurveySection | None  # None on the page of demographic questions
    questions: list[SurveyQuestion]  # of this section
    all_questions: list[SurveyQuestion]  # of the questionnaire, in order

    @property
    def pages(self) -> int:
        return len(self.sections) + (1 if self.demographics else 0)

    @property
    def on_demographics(self) -> bool:
        return self.section is None

    @property
    def is_last(self) -> bool:
        return self.index == self.pages - 1


def survey_page(*, survey: Survey, index: int) -> SurveyPage | None:
    """Page ``index`` of the questionnaire, or None if it has no such page."""
    sections = survey_structure(survey)
    demographics = demographic_questions(survey.phase_id)
    if not 0 <= index < len(sections) + (1 if demographics else 0):
        return None
    section = sections[index] if index < len(sections) else None
    return SurveyPage(
        sections=sections,
        demographics=demographics,
        index=index,
        section=section,
        questions=[] if section is None else list(section.questions.all()),
        all_questions=[q for s in sections for q in s.questions.all()],
    )


# --- Population targets ------------------------------------------------------------------------
def target_questions(
    questions: Sequence[DemographicQuestion], *, first: str, second: str
) -> tuple[DemographicQuestion | None, DemographicQuestion | None]:
    """The question (and the optional second one, for a combined target) chosen by key."""
    by_key = {q.key: q for q in questions}
    chosen, combined = by_key.get(first), by_key.get(second)
    if combined is not None and chosen is not None and combined.pk == chosen.pk:
        combined = None
    return chosen, combined


def population_target(
    *, phase: Phase, question: DemographicQuestion, second: DemographicQuestion | None
) -> PopulationTarget | None:
    return PopulationTarget.objects.filter(
        phase=phase, question=question, second_question=second
    ).first()


def population_targets(phase: Phase) -> list[PopulationTarget]:
    return list(
        PopulationTarget.objects.filter(phase=phase).select_related("question", "second_question")
    )


# --- Who may see results ---------------------------------------------------------------------
def results_public(consultation: Weighting | Survey, *, now: datetime | None = None) -> bool:
    """Public once published by staff, or once the phase has ended."""
    now = now or timezone.now()
    return consultation.results_published or consultation.phase.ends_at <= now


# --- Loading ballots ---------------------------------------------------------------------------
def ballot_vectors(weighting: Weighting, width: int) -> np.ndarray:
    """All ballots of a weighting as an (n, width) int16 matrix, in one query.

    On PostgreSQL the rows are joined into one ``bytea`` by the server (``string_agg``): a
    cursor over a million rows would build a million Python objects first. The ballot box
    is read in the same query.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT string_agg(vector, ''::bytea) FROM ("
                "SELECT vector FROM consultation_ballot WHERE weighting_id = %s "
                "UNION ALL SELECT vector FROM consultation_pendingballot "
                "WHERE weighting_id = %s) AS ballots",
                [weighting.pk, weighting.pk],
            )
            packed = bytes(cursor.fetchone()[0] or b"")
    else:
        packed = b"".join(
            bytes(v)
            for v in Ballot.objects.filter(weighting=weighting)
            .values_list("vector", flat=True)
            .union(
                PendingBallot.objects.filter(weighting=weighting).values_list("vector", flat=True),
                all=True,
            )
            .iterator(chunk_size=5000)
        )
    return decode_vectors(packed, width)


# --- Weighting to the population ---------------------------------------------------------------
@dataclass
class Raking:
    """The outcome of weighting to the population targets."""

    weights: np.ndarray | None
    error: str = ""
    n_effective: float | None = None
    iterations: int = 0
    targets: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.weights is not None


def population_raking(
    phase_id: int, questions: Sequence[DemographicQuestion], codes: np.ndarray
) -> Raking | None:
    """Raking weights for answers coded per question (columns of ``codes``), or None when
    no targets were entered. A target that cannot be met gives an error message instead."""
    targets = list(PopulationTarget.objects.filter(phase_id=phase_id))
    if not targets:
        return None
    column = {q.pk: i for i, q in enumerate(questions)}
    by_id = {q.pk: q for q in questions}
    code_map: dict[str, np.ndarray] = {}
    target_map: dict[str, list[float]] = {}
    labels: dict[str, list[str]] = {}
    for target in targets:
        first = by_id.get(target.question_id)
        second = by_id.get(target.second_question_id) if target.second_question_id else None
        if first is None or (target.second_question_id and second is None):
            continue
        a = codes[:, column[first.pk]]
        if second is None:
            name, values = first.text, a
        else:
            b = codes[:, column[second.pk]]
            name = f"{first.text} × {second.text}"
            values = np.where((a >= 0) & (b >= 0), a * len(second.options) + b, -1)
        categories = target_categories(first, second)
        code_map[name] = values
        target_map[name] = [float(target.shares.get(key, 0.0)) for key, _l in categories]
        labels[name] = [label for _k, label in categories]
    if not code_map:
        return None
    names = list(code_map)
    try:
        result = rake_codes(code_map, target_map, labels=labels)
    except RakingError as error:
        return Raking(None, error.translate(gettext), targets=names)
    return Raking(result.weights, "", result.effective_sample_size, result.iterations, names)


# --- Weighting results -------------------------------------------------------------------------
@dataclass
class Breakdown:
    question: DemographicQuestion
    groups: list[GroupResult]
    weighted: bool


@dataclass
class WeightingResults:
    weighting: Weighting
    fields: list[ActionField]
    questions: list[DemographicQuestion]
    n: int
    minimum: int
    suppressed: bool  # fewer ballots than the minimum: nothing but the count is shown
    weighted: bool  # the main figures are weighted
    raking: Raking | None
    unweighted: list[FieldResult] | None
    weighted_results: list[FieldResult] | None
    breakdowns: list[Breakdown]

    @property
    def main(self) -> list[FieldResult] | None:
        return self.weighted_results if self.weighted else self.unweighted

    @property
    def method(self) -> str:
        return self.weighting.method

    @property
    def inference(self) -> bool:
        """Intervals and weighting mean something only for a random sample."""
        return sample_supports_inference(self.weighting.mode)

    def field_name(self, key) -> str:
        return next((f.name for f in self.fields if f.pk == key), str(key))


def weighting_results(
    *, weighting: Weighting, weighted: bool = False, by: str = "", all_breakdowns: bool = False
) -> WeightingResults:
    """Results per field (share, mean points, mean place or mean rating, with 95 % CI and n),
    unweighted and — if population targets exist — weighted by raking, and breakdowns by
    one (``by``) or every demographic question with small groups suppressed."""
    fields = ballot_fields(weighting)
    questions = demographic_questions(weighting.phase_id)
    rules = weighting.rules(tuple(f.pk for f in fields)) if len(fields) >= 1 else None
    vectors = ballot_vectors(weighting, len(fields) + len(questions))
    n = int(vectors.shape[0])
    minimum = weighting.minimum_group_size
    empty = WeightingResults(
        weighting, fields, questions, n, minimum, True, False, None, None, None, []
    )
    if rules is None or n == 0 or n < minimum:
        return empty
    choices = vectors[:, : len(fields)]
    if weighting.method == Method.PICK:
        choices = choices != 0
    codes = vectors[:, len(fields) :].astype(np.intp)
    raking = population_raking(weighting.phase_id, questions, codes) if questions else None
    weights = raking.weights if raking is not None and raking.ok else None
    unweighted = aggregate(rules, choices)
    weighted_results = aggregate(rules, choices, weights=weights) if weights is not None else None
    use_weights = weighted and weights is not None
    breakdowns = []
    wanted = questions if all_breakdowns else [q for q in questions if q.key == by]
    for question in wanted:
        index = questions.index(question)
        for weighted_run in (
            (False, True) if all_breakdowns and weights is not None else (use_weights,)
        ):
            groups = breakdown(
                rules,
                choices,
                codes[:, index],
                question.labels,
                weights=weights if weighted_run else None,
                minimum=minimum,
            )
            breakdowns.append(Breakdown(question, groups, weighted_run))
    return WeightingResults(
        weighting,
        fields,
        questions,
        n,
        minimum,
        False,
        use_weights,
        raking,
        unweighted,
        weighted_results,
        breakdowns,
    )


# --- Survey results --------------------------------------------------------------------------
@dataclass
class OptionResult:
    value: str
    label: str
    estimate: Estimate | None


@dataclass
class QuestionResult:
    question: SurveyQuestion
    n: int  # respondents who answered
    hidden: bool = False  # answered by fewer than the minimum: figures suppressed
    options: list[OptionResult] = field(default_factory=list)
    mean: Estimate | None = None
    texts: list[str] = field(default_factory=list)


@dataclass
class SurveyGroup:
    label: str | None
    n: int | None
    suppressed: bool
    questions: list[QuestionResult] | None = None


@dataclass
class SurveyResults:
    survey: Survey
    sections: list[SurveySection]
    questions: list[SurveyQuestion]
    demographics: list[DemographicQuestion]
    n: int
    minimum: int
    suppressed: bool
    weighted: bool
    raking: Raking | None
    results: list[QuestionResult]
    by: DemographicQuestion | None = None
    groups: list[SurveyGroup] = field(default_factory=list)

    @property
    def inference(self) -> bool:
        """Intervals and weighting mean something only for a random sample."""
        return sample_supports_inference(self.survey.mode)


def _question_result(
    question: SurveyQuestion,
    values: list,
    weights: np.ndarray | None,
    minimum: int,
    with_texts: bool,
) -> QuestionResult:
    """Figures for one question from the answers of a set of respondents (None: no answer)."""
    answered = [i for i, value in enumerate(values) if value is not None]
    n = len(answered)
    result = QuestionResult(question, n)
    if question.kind == QuestionKind.TEXT:
        if with_texts:
            result.texts = [str(values[i]) for i in answered]
        return result
    if n == 0:
        return result
    if n < minimum:
        result.hidden = True
        return result
    w = None if weights is None else weights[answered]
    if w is not None and float(w.sum()) <= 0:
        w = None
    if question.kind == QuestionKind.NUMBER:
        numbers = np.asarray([float(values[i]) for i in answered])
        result.mean = mean_interval(numbers) if w is None else weighted_mean(numbers, w)
        return result
    for value, label in zip(question.values, question.labels, strict=True):
        if question.kind == QuestionKind.MULTIPLE:
            chosen = np.asarray([value in values[i] for i in answered], dtype=bool)
        else:
            chosen = np.asarray([values[i] == value for i in answered], dtype=bool)
        estimate = wilson_interval(int(chosen.sum()), n) if w is None else weighted_share(chosen, w)
        result.options.append(OptionResult(value, label, estimate))
    if question.kind == QuestionKind.LIKERT:
        numbers = np.asarray([float(values[i]) for i in answered])
        result.mean = mean_interval(numbers) if w is None else weighted_mean(numbers, w)
    return result


def survey_results(
    *, survey: Survey, weighted: bool = False, by: str = "", with_texts: bool = False
) -> SurveyResults:
    """Counts and shares per option with 95 % CI, Likert distributions and means, means of
    numbers; free text only ``with_texts`` (staff). Weighted and broken down as ballots."""
    sections = survey_structure(survey)
    questions = [q for section in sections for q in section.questions.all()]
    demographics = demographic_questions(survey.phase_id)
    rows = response_rows(survey)
    n = len(rows)
    minimum = survey.minimum_group_size
    if n == 0 or n < minimum:
        return SurveyResults(
            survey, sections, questions, demographics, n, minimum, True, False, None, []
        )
    codes = np.full((n, len(demographics)), -1, dtype=np.intp)
    for j, question in enumerate(demographics):
        index = {value: i for i, value in enumerate(question.values)}
        codes[:, j] = [index.get(demo.get(question.key), -1) for _a, demo in rows]
    raking = population_raking(survey.phase_id, demographics, codes) if demographics else None
    use_weights = weighted and raking is not None and raking.ok
    weights = raking.weights if use_weights else None
    columns = {q.pk: [answers.get(str(q.pk)) for answers, _d in rows] for q in questions}
    results = [_question_result(q, columns[q.pk], weights, minimum, with_texts) for q in questions]
    by_question = next((q for q in demographics if q.key == by), None)
    groups: list[SurveyGroup] = []
    if by_question is not None:
        j = demographics.index(by_question)
        sizes = {
            position: int((codes[:, j] == position).sum())
            for position in range(len(by_question.options))
        }
        missing = int((codes[:, j] == -1).sum())
        if missing:
            sizes[-1] = missing
        hidden = suppress_with_complement(sizes, minimum=minimum)
        for position, size in sizes.items():
            label = by_question.labels[position] if position >= 0 else None
            if position in hidden:
                groups.append(SurveyGroup(label, None, True))
                continue
            members = np.flatnonzero(codes[:, j] == position)
            group_weights = None if weights is None else weights[members]
            group_results = [
                _question_result(
                    q, [columns[q.pk][i] for i in members], group_weights, minimum, False
                )
                for q in questions
                if q.kind != QuestionKind.TEXT
            ]
            groups.append(SurveyGroup(label, size, False, group_results))
    return SurveyResults(
        survey,
        sections,
        questions,
        demographics,
        n,
        minimum,
        False,
        use_weights,
        raking,
        results,
        by_question,
        groups,
    )


def n_effective(weights: np.ndarray | None) -> float | None:
    return None if weights is None else effective_sample_size(weights)


# --- Archive and deletion ------------------------------------------------------------------------
def phase_ballot_count(phase: Phase) -> int:
    """Cast ballots and submitted survey responses of a phase: what deleting it would lose."""
    ballots = (
        Ballot.objects.filter(weighting__phase=phase).count()
        + PendingBallot.objects.filter(weighting__phase=phase).count()
    )
    return (
        ballots
        + SurveyResponse.objects.filter(survey__phase=phase, submitted=True).count()
        + PendingResponse.objects.filter(survey__phase=phase).count()
    )


def results_archives() -> list:
    from .models import ResultsArchive

    return list(ResultsArchive.objects.select_related("archived_by").defer("results", "records"))


def results_archive_latest(phase: Phase):
    from .models import ResultsArchive

    return (
        ResultsArchive.objects.filter(phase_id=phase.pk)
        .defer("results", "records")
        .order_by("-archived_at", "-pk")
        .first()
    )


def results_archive_get(*, pk: int):
    from .models import ResultsArchive

    return ResultsArchive.objects.select_related("archived_by").filter(pk=pk).first()


def identity_hash_for(*, phase, candidates: Sequence[str]) -> str:
    """The hash to claim a participation in ``phase`` under, from an identity's hashes under
    the current key and every fallback (``identity.*_candidates``): the one it took part under
    already, if any, so that ``one_participation_per_identity`` refuses it after a key
    rotation too; else the current key's."""
    return stored_hash(list(candidates), Participation.objects.filter(phase=phase), "identity_hash")


# --- Home page ------------------------------------------------------------------------------------
def _ready(phase: Phase) -> bool:
    """Configured so that its page works: a ballot with at least two fields, a questionnaire
    with at least one question (the pages show "closed" otherwise)."""
    if phase.kind == Phase.Kind.WEIGHTING:
        return getattr(phase, "ballot_fields", 0) >= 2
    return getattr(phase, "survey_questions", 0) >= 1


def home_phases(now: datetime) -> list[Phase]:
    """Weighting and survey phases open now or starting later whose page works, in one query
    (``ballot_fields`` and ``survey_questions`` annotated)."""
    phases = (
        Phase.objects.filter(kind__in=CONSULTATION_KINDS, ends_at__gt=now)
        .filter(Q(weighting__isnull=False) | Q(survey__isnull=False))
        .select_related("process", "weighting", "survey")
        .annotate(
            ballot_fields=Count("weighting__weighting_fields", distinct=True),
            survey_questions=Count("survey__sections__questions", distinct=True),
        )
    )
    return [p for p in phases if _ready(p)]


def home_results_phases(now: datetime, *, limit: int = 3) -> list[Phase]:
    """The newest configured phases whose results are public (published, or the phase has
    ended; see ``results_public``), newest first, in one query."""
    public = (
        Q(ends_at__lte=now)
        | Q(weighting__results_published=True)
        | Q(survey__results_published=True)
    )
    return list(
        Phase.objects.filter(kind__in=CONSULTATION_KINDS)
        .filter(Q(weighting__isnull=False) | Q(survey__isnull=False))
        .filter(public, starts_at__lte=now)
        .select_related("process", "weighting", "survey")
        .order_by("-ends_at", "-pk")[:limit]
    )
