"""Forms: they turn posted strings into values; the rules are checked by the services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leitbild.consultation.ballots import validate_ballot
from leitbild.core.districts import district_names
from leitbild.core.fields import SafeModelChoiceField, SafeModelMultipleChoiceField
from leitbild.core.roles import Role
from leitbild.participation.models import Phase
from leitbild.strategy.models import ActionField

from .models import Method, Mode, QuestionKind, SurveyQuestion, Weighting
from .oidc import oidc_configured
from .questionnaire import options_text, parse_options

NO_ANSWER = ("", _("keine Angabe"))


class BallotForm(forms.Form):
    """The ballot for one method, without drag-only widgets: checkboxes (pick), number inputs
    (points), select boxes (rank) or radio groups (rate); then the voluntary questions."""

    def __init__(
        self,
        *args,
        weighting: Weighting,
        fields: list[ActionField],
        questions,
        need_code: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.weighting, self.action_fields, self.questions = weighting, fields, questions
        self.rules = weighting.rules(tuple(f.pk for f in fields))
        method = weighting.method
        if method == Method.PICK:
            self.fields["auswahl"] = forms.TypedMultipleChoiceField(
                label=_("Handlungsfelder"),
                coerce=int,
                required=False,
                choices=[(f.pk, f.name) for f in fields],
                widget=forms.CheckboxSelectMultiple,
            )
        for f in fields:
            if method == Method.POINTS:
                self.fields[f"punkte_{f.pk}"] = forms.IntegerField(
                    label=f.name,
                    required=False,
                    min_value=0,
                    max_value=weighting.points_cap or weighting.points_total,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric", "data-punkte": "1"}),
                )
            elif method == Method.RANK:
                # rules() returns RankRules for Method.RANK; BallotRules is the union.
                places = self.rules.places  # type: ignore[union-attr]
                self.fields[f"platz_{f.pk}"] = forms.TypedChoiceField(
                    label=f.name,
                    required=False,
                    coerce=int,
                    empty_value=None,
                    choices=[("", _("kein Platz"))]
                    + [(i, _("Platz %(n)d") % {"n": i}) for i in range(1, places + 1)],
                )
            elif method == Method.RATE:
                self.fields[f"bewertung_{f.pk}"] = forms.TypedChoiceField(
                    label=f.name,
                    required=False,
                    coerce=int,
                    empty_value=None,
                    choices=[(i, str(i)) for i in range(1, 6)],
                    widget=forms.RadioSelect,
                )
        for question in questions:
            self.fields[f"angabe_{question.key}"] = forms.ChoiceField(
                label=question.text,
                required=False,
                widget=forms.RadioSelect,
                choices=[NO_ANSWER, *zip(question.values, question.labels, strict=True)],
            )
        if need_code:
            self.fields["code"] = forms.CharField(
                label=_("Ihr Teilnahmecode"),
                max_length=60,
                help_text=_("Er steht in Ihrem Brief, z. B. ABCD-EFGH-JKMN."),
                widget=forms.TextInput(
                    attrs={
                        "autocomplete": "off",
                        "spellcheck": "false",
                        "autocapitalize": "characters",
                    }
                ),
            )

    @staticmethod
    def initial_for(ballot, weighting: Weighting) -> dict:
        """The form's values for a ballot being changed (a ``Ballot`` or ``PendingBallot``)."""
        if ballot is None:
            return {}
        initial = {f"angabe_{key}": value for key, value in ballot.demographics.items()}
        if weighting.method == Method.PICK:
            initial["auswahl"] = list(ballot.choices)
        else:
            prefix = {Method.POINTS: "punkte_", Method.RANK: "platz_", Method.RATE: "bewertung_"}[
                weighting.method
            ]
            initial.update({prefix + key: value for key, value in ballot.choices.items()})
        return initial

    def choice_fields(self):
        return [
            self[name]
            for name in self.fields
            if name.startswith(("punkte_", "platz_", "bewertung_"))
        ]

    def demographic_fields(self):
        return [self[name] for name in self.fields if name.startswith("angabe_")]

    def ballot(self):
        data = self.cleaned_data
        method = self.weighting.method
        if method == Method.PICK:
            return list(data.get("auswahl") or [])
        prefix = {Method.POINTS: "punkte_", Method.RANK: "platz_", Method.RATE: "bewertung_"}[
            method
        ]
        values = {}
        for f in self.action_fields:
            value = data.get(prefix + str(f.pk))
            if value is not None and not (method == Method.POINTS and value == 0):
                values[f.pk] = value
        return values

    def demographics(self) -> dict[str, str]:
        return {q.key: self.cleaned_data.get(f"angabe_{q.key}") or "" for q in self.questions}

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            labels = {f.pk: f.name for f in self.action_fields}
            errors = validate_ballot(self.rules, self.ballot(), labels=labels)
            if errors:
                raise ValidationError([error.message for error in errors])
        return cleaned


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Ihr Teilnahmecode"),
        max_length=60,
        help_text=_("Er steht in Ihrem Brief, z. B. ABCD-EFGH-JKMN."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


# --- Staff ---------------------------------------------------------------------------------
def _mode_choices():
    return [
        (value, label) for value, label in Mode.choices if value != Mode.OIDC or oidc_configured()
    ]


class WeightingForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Wer darf teilnehmen?"), choices=_mode_choices, widget=forms.RadioSelect
    )
    method = forms.ChoiceField(label=_("Methode"), choices=Method.choices, widget=forms.RadioSelect)
    fields = SafeModelMultipleChoiceField(
        label=_("Handlungsfelder auf dem Stimmzettel"),
        queryset=ActionField.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    pick_k = forms.IntegerField(label=_("Auswahl: höchstens (k)"), min_value=1, initial=3)
    pick_minimum = forms.IntegerField(label=_("Auswahl: mindestens"), min_value=1, initial=1)
    points_total = forms.IntegerField(
        label=_("Punkte: zu verteilen"), min_value=1, max_value=1000, initial=100
    )
    points_cap = forms.IntegerField(
        label=_("Punkte: höchstens je Handlungsfeld"), min_value=1, max_value=1000, required=False
    )
    rank_depth = forms.IntegerField(
        label=_("Rangfolge: nur die ersten … Plätze"),
        min_value=1,
        required=False,
        help_text=_("Leer lassen: alle Handlungsfelder in eine Rangfolge bringen."),
    )
    rate_require_all = forms.BooleanField(
        label=_("Bewertung: jedes Feld muss bewertet werden"), required=False, initial=True
    )
    allow_changes = forms.BooleanField(
        label=_("Stimme bis zum Ende der Phase änderbar"), required=False
    )
    minimum_group_size = forms.IntegerField(
        label=_("Mindestgröße ausgewiesener Gruppen"), min_value=2, max_value=100, initial=5
    )
    intro = forms.CharField(
        label=_("Einleitung"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, phase: Phase, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fields"].queryset = ActionField.objects.filter(
            strategy_id=phase.process.strategy_id
        )

    @classmethod
    def initial_for(cls, weighting: Weighting | None, phase: Phase) -> dict:
        if weighting is None:
            return {
                "mode": Mode.OPEN,
                "method": Method.PICK,
                "pick_k": 3,
                "pick_minimum": 1,
                "points_total": 100,
                "rate_require_all": True,
                "minimum_group_size": 5,
                "fields": list(ActionField.objects.filter(strategy_id=phase.process.strategy_id)),
            }
        return {
            name: getattr(weighting, name)
            for name in (
                "mode",
                "method",
                "pick_k",
                "pick_minimum",
                "points_total",
                "points_cap",
                "rank_depth",
                "rate_require_all",
                "allow_changes",
                "minimum_group_size",
                "intro",
            )
        } | {"fields": [wf.field for wf in weighting.weighting_fields.select_related("field")]}


class SurveyForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Wer darf teilnehmen?"), choices=_mode_choices, widget=forms.RadioSelect
    )
    minimum_group_size = forms.IntegerField(
        label=_("Mindestgröße ausgewiesener Gruppen"), min_value=2, max_value=100, initial=5
    )
    intro = forms.CharField(
        label=_("Einleitung"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    @classmethod
    def initial_for(cls, survey) -> dict:
        if survey is None:
            return {"mode": Mode.OPEN, "minimum_group_size": 5}
        return {
            "mode": survey.mode,
            "intro": survey.intro,
            "minimum_group_size": survey.minimum_group_size,
        }


class ScheduleForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Beginn"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ends_at = forms.DateTimeField(
        label=_("Ende"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Ein Ende in der Vergangenheit schließt die Phase sofort."),
    )

    def clean(self):
        cleaned = super().clean()
        try:
            Phase.times_check(starts_at=cleaned.get("starts_at"), ends_at=cleaned.get("ends_at"))
        except ValidationError as exc:
            self.add_error(None, exc)
        return cleaned

    @staticmethod
    def initial_for(phase: Phase) -> dict:
        return {
            "starts_at": timezone.localtime(phase.starts_at),
            "ends_at": timezone.localtime(phase.ends_at),
        }


class OptionsField(forms.CharField):
    """Answers, one per line, stored as [{"value", "label"}]."""

    widget = forms.Textarea(attrs={"rows": 5})

    def to_python(self, value):
        return parse_options(super().to_python(value) or "")

    def prepare_value(self, value):
        return options_text(value) if isinstance(value, list) else value


class DemographicQuestionForm(forms.Form):
    text = forms.CharField(label=_("Frage"), max_length=200)
    key = forms.SlugField(
        label=_("Kurzname"), max_length=40, help_text=_("Für Exporte und die API, z. B. alter.")
    )
    options = OptionsField(
        label=_("Antwortmöglichkeiten"), required=False, help_text=_("Eine Antwort je Zeile.")
    )
    options_from_districts = forms.BooleanField(
        label=_("Die Stadtteile der Karte als Antworten nehmen"),
        required=False,
        help_text=_(
            "Für die Frage nach dem Stadtteil: die Namen aus der Stadtteil-Datei der Karte, "
            "statt der Antworten oben."
        ),
    )
    position = forms.IntegerField(label=_("Reihenfolge"), min_value=0, initial=0)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not district_names():
            del self.fields["options_from_districts"]


class CodesForm(forms.Form):
    count = forms.IntegerField(
        label=_("Anzahl der Codes"), min_value=1, max_value=100_000, initial=100
    )


class SectionForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    description = forms.CharField(
        label=_("Beschreibung"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    position = forms.IntegerField(label=_("Reihenfolge"), min_value=0, initial=0)


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Art"), choices=QuestionKind.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("Frage"), max_length=300)
    help_text = forms.CharField(label=_("Hinweis"), max_length=300, required=False)
    required = forms.BooleanField(label=_("Antwort erforderlich"), required=False)
    options = OptionsField(
        label=_("Antwortmöglichkeiten (Auswahlfragen)"),
        required=False,
        help_text=_("Eine Antwort je Zeile."),
    )
    number_min = forms.IntegerField(label=_("kleinste Zahl"), required=False)
    number_max = forms.IntegerField(label=_("größte Zahl"), required=False)
    condition_question = SafeModelChoiceField(
        label=_("Nur zeigen, wenn diese frühere Frage …"),
        required=False,
        queryset=SurveyQuestion.objects.none(),
    )
    condition_value = forms.CharField(
        label=_("… so beantwortet wurde (Antwort wie oben geschrieben, bei Likert 1–5)"),
        required=False,
        max_length=200,
    )
    position = forms.IntegerField(label=_("Reihenfolge"), min_value=0, initial=0)

    @staticmethod
    def initial_for(question: SurveyQuestion | None, section) -> dict:
        """The form's values for a question being edited, or the defaults for a new one."""
        if question is None:
            return {"kind": "single", "position": section.questions.count()}
        condition = question.condition_question
        return {
            "kind": question.kind,
            "text": question.text,
            "help_text": question.help_text,
            "required": question.required,
            "options": question.options,
            "number_min": question.number_min,
            "number_max": question.number_max,
            "condition_question": condition,
            "condition_value": dict(zip(condition.values, condition.labels, strict=True)).get(
                question.condition_value, question.condition_value
            )
            if condition
            else "",
            "position": question.position,
        }

    def __init__(self, *args, survey, exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = SurveyQuestion.objects.filter(
            section__survey=survey,
            kind__in=[QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.LIKERT],
        ).order_by("section__position", "section_id", "position", "pk")
        if exclude is not None:
            queryset = queryset.exclude(pk=exclude.pk)
        self.fields["condition_question"].queryset = queryset

    def clean(self):
        cleaned = super().clean()
        question = cleaned.get("condition_question")
        label = (cleaned.get("condition_value") or "").strip()
        if question is not None:
            # Staff type the answer as they see it; store its value.
            by_label = dict(zip([x.lower() for x in question.labels], question.values, strict=True))
            value = by_label.get(label.lower(), label)
            if value not in question.values:
                self.add_error(
                    "condition_value", _("Diese Antwort gibt es bei der gewählten Frage nicht.")
                )
            cleaned["condition_value"] = value
        else:
            cleaned["condition_value"] = ""
        return cleaned


class PublishForm(forms.Form):
    published = forms.TypedChoiceField(coerce=lambda v: v == "1", choices=[("1", "1"), ("0", "0")])


class PurgeForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "Ich habe verstanden: Codes, Teilnahmen und E-Mail-Prüfwerte dieser Phase "
            "werden gelöscht. Danach kann niemand mehr teilnehmen oder seine Stimme "
            "ändern."
        )
    )


STAFF_ROLES = (Role.EDITOR,)


class TargetForm(forms.Form):
    """One percentage per category of a question (or pair of questions)."""

    source = forms.CharField(
        label=_("Quelle"),
        max_length=200,
        required=False,
        help_text=_("z. B. Melderegister, Stand 31.12.2023"),
    )

    def __init__(self, *args, categories: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = categories
        for index, (_key, label) in enumerate(categories):
            self.fields[f"anteil_{index}"] = forms.DecimalField(
                label=_("%(category)s (in %%)") % {"category": label},
                min_value=0,
                max_value=100,
                decimal_places=2,
                max_digits=6,
                localize=True,
            )

    @staticmethod
    def initial_for(target, categories: list[tuple[str, str]]) -> dict:
        """The form's values for saved shares (a ``PopulationTarget`` or None), in percent."""
        if target is None:
            return {}
        return {"source": target.source} | {
            f"anteil_{i}": round(target.shares.get(key, 0.0) * 100, 2)
            for i, (key, _label) in enumerate(categories)
        }

    def share_fields(self):
        return [self[f"anteil_{index}"] for index in range(len(self.categories))]

    def shares(self) -> dict[str, float]:
        return {
            key: float(self.cleaned_data[f"anteil_{index}"]) / 100
            for index, (key, _label) in enumerate(self.categories)
        }


class PhaseDeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "Ich habe verstanden: Die Phase wird mit allen Stimmen, Antworten, Fragen, "
            "Codes und Teilnahmen gelöscht. Erhalten bleiben nur die archivierten "
            "Ergebnisse."
        )
    )
