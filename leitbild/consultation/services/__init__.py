"""Writes of weighting ballots and surveys. Views translate HTTP; the rules are here.

One module per concern; this package re-exports their public names, so callers write
``from leitbild.consultation import services`` and ``services.ballot_cast(...)``:

* ``configuration`` — a phase's weighting or survey, its rules, schedule and lock;
* ``demographics`` — demographic questions and population targets;
* ``codes`` — participation codes, their private files and letters;
* ``identities`` — who counts as one participant in each mode, e-mail confirmation, grants;
* ``casting`` — casting and changing weighting ballots;
* ``survey_builder`` and ``surveys`` — building a questionnaire, answering it;
* ``ballot_box`` — mixing ballots and responses away from their participations;
* ``publication`` and ``purge`` — publishing results, deleting personal data.

Staff writes record an audit entry in their transaction. Casting a ballot and submitting a
survey run in ``transaction.atomic(durable=True)``: when the participant sees the
confirmation, their answer is committed, never only queued in an outer transaction.

One participation per identity is enforced by the unique constraint on
``Participation(phase, identity_hash)``; a used code is additionally marked under a row lock.
Every refusal that could tell a visitor something about codes or identities raises
``ParticipationRefused`` with one and the same message.

Ballots and responses go into the ballot box first; ``ballot_box_mix`` moves them on in
shuffled batches, in a transaction of its own (see docs/security.md, "Ballot secrecy").
"""

# target_categories is pure and lives in questionnaire.py (selectors need it too).
from ..questionnaire import target_categories
from .ballot_box import (
    ballot_box_minimum,
    ballot_box_mix,
    ballot_boxes_flush,
)
from .casting import (
    BallotReceipt,
    ballot_cast,
    ballot_change,
    ballot_submit,
    ballots_cast_many,
    pack_ballot,
)
from .codes import (
    MAX_CODES,
    batch_codes,
    batch_file,
    codes_files_delete,
    codes_generate,
    codes_letters_build,
    participation_url,
    private_dir,
)
from .configuration import (
    LOCKED,
    WEIGHTING_RULES,
    phase_is_locked,
    phase_schedule,
    survey_configure,
    weighting_configure,
)
from .demographics import (
    demographic_question_delete,
    demographic_question_save,
    population_target_delete,
    population_target_save,
)
from .identities import (
    EMAIL_REQUESTS_PER_DAY,
    EMAIL_TOKEN_HOURS,
    REFUSAL,
    Access,
    Identity,
    ParticipationRefused,
    access_grant,
    access_revoke,
    code_check,
    email_identity_confirm,
    email_identity_request,
    participation_identity,
    proven_code,
    proven_hash,
)
from .publication import (
    results_publish,
    results_summary_save,
)
from .purge import (
    personal_data_purge,
)
from .survey_builder import (
    survey_question_delete,
    survey_question_save,
    survey_questions,
    survey_section_delete,
    survey_section_save,
)
from .surveys import (
    SurveyStart,
    SurveyStep,
    survey_draft_get,
    survey_draft_save,
    survey_draft_start,
    survey_finish,
    survey_missing,
    survey_responses_submit_many,
    survey_start,
    survey_step,
    survey_submit,
)

__all__ = [
    "Access",
    "BallotReceipt",
    "EMAIL_REQUESTS_PER_DAY",
    "EMAIL_TOKEN_HOURS",
    "Identity",
    "LOCKED",
    "MAX_CODES",
    "ParticipationRefused",
    "REFUSAL",
    "SurveyStart",
    "SurveyStep",
    "WEIGHTING_RULES",
    "access_grant",
    "access_revoke",
    "ballot_box_minimum",
    "ballot_box_mix",
    "ballot_boxes_flush",
    "ballot_cast",
    "ballots_cast_many",
    "ballot_change",
    "ballot_submit",
    "batch_codes",
    "batch_file",
    "code_check",
    "codes_files_delete",
    "codes_generate",
    "codes_letters_build",
    "demographic_question_delete",
    "demographic_question_save",
    "email_identity_confirm",
    "email_identity_request",
    "pack_ballot",
    "participation_identity",
    "participation_url",
    "personal_data_purge",
    "phase_is_locked",
    "phase_schedule",
    "population_target_delete",
    "population_target_save",
    "private_dir",
    "proven_code",
    "proven_hash",
    "results_publish",
    "results_summary_save",
    "survey_configure",
    "survey_draft_get",
    "survey_draft_save",
    "survey_draft_start",
    "survey_finish",
    "survey_missing",
    "survey_question_delete",
    "survey_question_save",
    "survey_questions",
    "survey_section_delete",
    "survey_section_save",
    "survey_start",
    "survey_step",
    "survey_responses_submit_many",
    "survey_submit",
    "target_categories",
    "weighting_configure",
]
