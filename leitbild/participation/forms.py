"""Forms validate and keep what a visitor typed; the rules behind them live in services."""

from typing import TYPE_CHECKING

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from leitbild.core.fields import SafeModelChoiceField, SafeModelMultipleChoiceField
from leitbild.strategy.models import ActionField

from . import spam
from .images import photo_clean, photo_max_bytes
from .models import (
    IdeaSource,
    IdeaStatus,
    Phase,
    Process,
    ReasonTemplate,
    Report,
    Workshop,
)

if TYPE_CHECKING:  # the stubs' alias for "str or lazy str"; dev dependency only
    from django_stubs_ext import StrOrPromise

RESERVED_SLUGS = {"verwaltung", "altcha", "kontakt", "unterstuetzung", "ideen", "api"}

ALTCHA_MESSAGES = {
    "invalid": _("Die Sicherheitsprüfung ist ungültig. Bitte starten Sie sie erneut."),
    "expired": _("Die Sicherheitsprüfung ist abgelaufen. Bitte bestätigen Sie sie erneut."),
    "replayed": _(
        "Diese Sicherheitsprüfung wurde schon verwendet. Bitte bestätigen Sie sie erneut."
    ),
}


class FieldChoiceField(SafeModelMultipleChoiceField):
    def label_from_instance(self, obj: ActionField) -> str:
        return obj.name


def _text(
    label,
    max_length: int,
    *,
    min_length: int = 0,
    required: bool = True,
    rows: int = 0,
    help_text: "StrOrPromise" = "",
) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=label,
        max_length=max_length,
        min_length=min_length or None,
        required=required,
        widget=widget,
        help_text=help_text,
        strip=True,
    )


class SpamProtectedForm(forms.Form):
    """Honeypot plus ALTCHA. The ALTCHA solution is checked (and used up) only when every
    other field is valid, so a typo does not cost the visitor another proof of work.

    A form sent without any solution (a browser without JavaScript) is accepted, but
    ``without_altcha`` is then True: the contribution goes to pre-moderation, and the view
    counts it against a stricter rate limit. A solution that is sent but wrong is refused."""

    without_altcha = False

    website = forms.CharField(
        label=_("Bitte dieses Feld leer lassen"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    altcha = forms.CharField(required=False, widget=forms.HiddenInput, max_length=4000)

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise ValidationError(
                _("Ihre Eingabe konnte nicht angenommen werden."), code="honeypot"
            )
        if not self.errors:
            ok, reason = spam.altcha_verify(data.get("altcha", ""))
            if reason == "missing":
                self.without_altcha = True
            elif not ok:
                self.add_error("altcha", ALTCHA_MESSAGES[reason])
        return data


class PlaceFields(forms.Form):
    lat = forms.DecimalField(
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        widget=forms.HiddenInput,
    )
    lon = forms.DecimalField(
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        widget=forms.HiddenInput,
    )
    address = _text(
        _("Ort oder Adresse"),
        200,
        required=False,
        help_text=_("Zum Beispiel Straße und Hausnummer oder ein bekannter Platz."),
    )

    def clean(self):
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lon") is None):
            self.add_error(
                "address",
                _(
                    "Der Ort auf der Karte ist unvollständig. Bitte wählen "
                    "Sie ihn erneut oder geben Sie eine Adresse an."
                ),
            )
        return data


class PhotoField(forms.FileField):
    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return None
        return photo_clean(upload)


def _photo_field() -> PhotoField:
    return PhotoField(
        label=_("Foto"),
        required=False,
        help_text=_(
            "JPEG, PNG oder WebP, höchstens %(mb)s MB. Wir entfernen Ortsangaben und "
            "andere Metadaten aus dem Bild."
        )
        % {"mb": photo_max_bytes() // 1048576},
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


class IdeaFieldsMixin(forms.Form):
    title = _text(
        _("Titel Ihrer Idee"),
        120,
        min_length=5,
        help_text=_("Kurz und verständlich, höchstens 120 Zeichen."),
    )
    description = _text(
        _("Beschreibung"),
        4000,
        min_length=20,
        rows=8,
        help_text=_("Was schlagen Sie vor, und wem hilft es? Höchstens 4000 Zeichen."),
    )
    action_fields = FieldChoiceField(
        label=_("Handlungsfelder"),
        queryset=ActionField.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Wählen Sie ein bis drei Felder."),
    )

    def setup_fields(self, process: Process) -> None:
        self.fields["action_fields"].queryset = ActionField.objects.filter(
            strategy_id=process.strategy_id
        )

    def clean_action_fields(self):
        chosen = self.cleaned_data["action_fields"]
        if len(chosen) > 3:
            raise ValidationError(_("Bitte wählen Sie höchstens drei Handlungsfelder."))
        return chosen


class IdeaSubmitForm(IdeaFieldsMixin, PlaceFields, SpamProtectedForm):
    photo = _photo_field()
    photo_description = _text(
        _("Was ist auf dem Foto zu sehen?"),
        200,
        required=False,
        help_text=_("Für Menschen, die das Bild nicht sehen können."),
    )
    email = forms.EmailField(
        label=_("E-Mail-Adresse für Rückmeldungen"),
        required=False,
        max_length=254,
        help_text=_(
            "Freiwillig. Wir schreiben Ihnen, wenn sich der Status Ihrer Idee ändert, "
            "nachdem Sie die Adresse bestätigt haben. Sie wird nicht veröffentlicht und "
            "nach dem Verfahren gelöscht."
        ),
    )
    privacy = forms.BooleanField(
        label=_(
            "Ich habe die Datenschutzhinweise gelesen und bin einverstanden, dass meine "
            "Idee veröffentlicht wird."
        ),
        error_messages={"required": _("Bitte stimmen Sie den Datenschutzhinweisen zu.")},
    )

    field_order = [
        "title",
        "description",
        "action_fields",
        "address",
        "lat",
        "lon",
        "photo",
        "photo_description",
        "email",
        "privacy",
        "website",
        "altcha",
    ]

    def __init__(self, *args, process: Process, similar_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_fields(process)
        if similar_url:
            # htmx asks for similar ideas while the visitor types the title.
            self.fields["title"].widget.attrs.update(
                {
                    "hx-get": similar_url,
                    "hx-trigger": "input changed delay:500ms",
                    "hx-target": "#aehnliche-ideen",
                    "hx-sync": "this:replace",
                    "autocomplete": "off",
                }
            )

    def submission(self) -> dict:
        """The valid form as the keyword arguments of ``services.idea_submit``."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            "fields": data["action_fields"],
            "lat": data.get("lat"),
            "lon": data.get("lon"),
            "address": data.get("address", ""),
            "photo": data.get("photo"),
            "photo_description": data.get("photo_description", ""),
            "email": data.get("email", ""),
            "premoderate": self.without_altcha,
        }


class CommentForm(SpamProtectedForm):
    text = _text(
        _("Ihr Kommentar"),
        2000,
        min_length=2,
        rows=5,
        help_text=_("Höchstens 2000 Zeichen. Bitte bleiben Sie sachlich."),
    )
    author_name = _text(
        _("Name oder Kürzel"),
        80,
        required=False,
        help_text=_("Wird neben dem Kommentar gezeigt. Leer: „anonym“."),
    )
    parent = forms.IntegerField(
        required=False, widget=forms.HiddenInput, min_value=1, max_value=2**62
    )

    field_order = ["text", "author_name", "parent", "website", "altcha"]


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Grund"), choices=Report.Reason.choices, widget=forms.RadioSelect
    )
    text = _text(_("Erläuterung"), 1000, required=False, rows=4)
    comment = forms.IntegerField(
        required=False, widget=forms.HiddenInput, min_value=1, max_value=2**62
    )
    website = forms.CharField(
        label=_("Bitte dieses Feld leer lassen"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise ValidationError(_("Ihre Eingabe konnte nicht angenommen werden."))
        return data


class SupportEmailForm(forms.Form):
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        max_length=254,
        help_text=_(
            "Wir senden Ihnen einen Link. Erst damit zählt Ihre "
            "Unterstützung. Die Adresse wird nicht gespeichert."
        ),
    )


# --- Staff ----------------------------------------------------------------------------------
class OfflineIdeaForm(IdeaFieldsMixin, PlaceFields):
    source = forms.ChoiceField(
        label=_("Herkunft"), choices=[c for c in IdeaSource.choices if c[0] != IdeaSource.ONLINE]
    )
    workshop = SafeModelChoiceField(
        label=_("Workshop"),
        queryset=Workshop.objects.none(),
        required=False,
        help_text=_("Nur bei Herkunft „Workshop“."),
    )
    lat = forms.DecimalField(
        label=_("Breite"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
    )
    lon = forms.DecimalField(
        label=_("Länge"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
    )
    photo = _photo_field()
    photo_description = _text(_("Bildbeschreibung"), 200, required=False)
    # Postcards are often short; staff copy them as they are.
    description = _text(_("Beschreibung"), 4000, min_length=3, rows=8)

    field_order = [
        "source",
        "workshop",
        "title",
        "description",
        "action_fields",
        "address",
        "lat",
        "lon",
        "photo",
        "photo_description",
    ]

    def __init__(self, *args, process: Process, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_fields(process)
        self.fields["workshop"].queryset = Workshop.objects.filter(process=process)

    def clean(self):
        data = super().clean()
        if data.get("source") == IdeaSource.WORKSHOP and not data.get("workshop"):
            self.add_error("workshop", _("Bitte wählen Sie den Workshop aus."))
        return data


class IdeaEditForm(IdeaFieldsMixin):
    address = _text(_("Ort oder Adresse"), 200, required=False)
    note = _text(
        _("Hinweis zur Bearbeitung"),
        300,
        required=False,
        help_text=_("Wird öffentlich bei der Idee gezeigt, z. B. „Telefonnummer entfernt“."),
    )

    def __init__(self, *args, process: Process, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_fields(process)


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Neuer Status"),
        choices=[c for c in IdeaStatus.choices if c[0] != IdeaStatus.SUBMITTED],
    )
    template = SafeModelChoiceField(
        label=_("Textbaustein"),
        required=False,
        queryset=ReasonTemplate.objects.all(),
        help_text=_("Wird verwendet, wenn die Begründung leer bleibt."),
    )
    reason = _text(
        _("Begründung"),
        2000,
        required=False,
        rows=4,
        help_text=_(
            "Öffentlich sichtbar und Teil der E-Mail an die Einreichenden. "
            "Pflicht bei „nicht aufgenommen“ und „entfernt“. Eine nicht aufgenommene Idee "
            "ist mit der Begründung öffentlich; Werbung und Spam bitte „entfernen“."
        ),
    )

    def clean(self):
        data = super().clean()
        if not data.get("reason") and data.get("template"):
            data["reason"] = data["template"].text
        if data.get("status") in {IdeaStatus.REJECTED, IdeaStatus.REMOVED} and not data.get(
            "reason"
        ):
            self.add_error(
                "reason",
                _("Bitte geben Sie eine Begründung an oder wählen Sie einen Textbaustein."),
            )
        return data


class MergeForm(forms.Form):
    into = forms.IntegerField(
        label=_("Nummer der Idee, die bestehen bleibt"), min_value=1, max_value=2**62
    )


class NoteForm(forms.Form):
    note = _text(_("Anmerkung"), 300, required=False)


class ProcessForm(forms.ModelForm):
    class Meta:
        model = Process
        fields = [
            "strategy",
            "title",
            "slug",
            "description",
            "moderation",
            "support_requires_verified_email",
            "email_retention_days",
            "offline_contact",
            "map_lat",
            "map_lon",
            "map_zoom",
        ]
        labels = {"strategy": _("Strategie")}  # the model's field has no German name
        widgets = {
            "moderation": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 5}),
            "offline_contact": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise ValidationError(_("Dieser Kurzname ist reserviert."))
        return slug


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class PhaseForm(forms.ModelForm):
    class Meta:
        model = Phase
        fields = ["kind", "title", "description", "starts_at", "ends_at"]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        # "End after start": ``Phase.clean``, which the model form calls.


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class WorkshopForm(forms.ModelForm):
    class Meta:
        model = Workshop
        fields = ["title", "held_on", "stakeholder_group", "participant_count"]
        widgets = {"held_on": DateInput()}


class ReasonTemplateForm(forms.ModelForm):
    class Meta:
        model = ReasonTemplate
        fields = ["title", "text", "order"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}


class CommentModerationForm(forms.Form):
    action = forms.ChoiceField(choices=[("show", _("freigeben")), ("hide", _("ausblenden"))])
    reason = _text(_("Grund"), 300, required=False)
