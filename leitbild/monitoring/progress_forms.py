"""Forms of the progress pages: they keep what staff typed; the rules are in
``progress_services``."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leitbild.participation.images import photo_clean, photo_max_bytes
from leitbild.portfolio.models import Project

from .progress_models import ProgressStatus
from .progress_services import MAX_IMPORT_BYTES, MilestoneRow

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Meilenstein"), max_length=200, required=False)
    planned_on = forms.DateField(label=_("geplant am"), required=False, widget=DATE_WIDGET)
    actual_on = forms.DateField(
        label=_("erreicht am"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Leer lassen, solange der Meilenstein nicht erreicht ist."),
    )

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(name) for name in ("title", "planned_on", "actual_on"))


MilestoneFormSet = forms.formset_factory(MilestoneForm, extra=2, max_num=100, validate_max=True)


class MilestoneForms:
    """The milestones page: one formset; ``rows()`` reads the filled rows for
    ``progress_services.milestones_set``, whose ``milestones-2-actual_on`` errors (counted
    over the filled rows) go back to the row they belong to."""

    def __init__(self, data=None, *, project: Project):
        initial = None
        if data is None:
            initial = [
                {"title": m.title, "planned_on": m.planned_on, "actual_on": m.actual_on}
                for m in project.milestones.all()
            ]
        self.formset = MilestoneFormSet(data, prefix="milestones", initial=initial)
        self._filled: list[int] = []

    def is_valid(self) -> bool:
        return self.formset.is_valid()

    def rows(self) -> list[MilestoneRow]:
        rows = []
        for index, form in enumerate(self.formset.forms):
            if not form.is_blank():
                d = form.cleaned_data
                rows.append(MilestoneRow(d["title"] or "", d["planned_on"], d["actual_on"]))
                self._filled.append(index)
        return rows

    def add_service_errors(self, exc: ValidationError) -> None:
        for key, errors in getattr(exc, "error_dict", {}).items():
            _prefix, index, name = key.split("-")
            self.formset.forms[self._filled[int(index)]].add_error(name, errors)

    @property
    def has_errors(self) -> bool:
        return any(f.errors for f in self.formset.forms) or bool(self.formset.non_form_errors())


class PhotoField(forms.FileField):
    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        return photo_clean(upload) if upload else None


class ProgressUpdateForm(forms.Form):
    date = forms.DateField(label=_("Datum"), widget=DATE_WIDGET)
    percent = forms.IntegerField(
        label=_("Fertigstellung (Prozent)"),
        help_text=_("Eine ganze Zahl von 0 bis 100."),
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
    )
    status = forms.ChoiceField(label=_("Status"), choices=ProgressStatus.choices)
    text = forms.CharField(
        label=_("Bericht"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Was ist seit dem letzten Bericht geschehen? Erscheint öffentlich."),
    )
    photo = PhotoField(
        label=_("Foto"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    photo_description = forms.CharField(
        label=_("Was ist auf dem Foto zu sehen?"),
        max_length=200,
        required=False,
        help_text=_("Für Menschen, die das Bild nicht sehen können."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photo"].help_text = _(
            "JPEG, PNG oder WebP, höchstens %(mb)s MB. Ortsangaben und andere Metadaten "
            "werden aus dem Bild entfernt."
        ) % {"mb": photo_max_bytes() // 1048576}
        self.fields["date"].initial = timezone.localdate


class ProgressUpdateEditForm(ProgressUpdateForm):
    """The same fields, filled with the report; a new photo replaces the old one."""

    photo_remove = forms.BooleanField(label=_("Foto entfernen"), required=False)

    def __init__(self, *args, update, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "date": update.date,
                "percent": update.percent,
                "status": update.status,
                "text": update.text,
                "photo_description": update.photo_description,
            },
        )
        super().__init__(*args, **kwargs)
        if update.photo:
            self.fields["photo"].label = _("Neues Foto (ersetzt das bisherige)")
        else:
            del self.fields["photo_remove"]

    def clean(self):
        data = super().clean()
        data.setdefault("photo_remove", False)
        return data


class SpendingForm(forms.Form):
    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.years = years
        for year in years:
            self.fields[f"year_{year}"] = forms.DecimalField(
                label=_("Ausgegeben %(year)d (€)") % {"year": year},
                required=False,
                max_digits=14,
                decimal_places=2,
            )

    def year_values(self) -> dict:
        return {year: self.cleaned_data.get(f"year_{year}") for year in self.years}


class ProgressImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV-Datei"),
        required=False,
        help_text=_("UTF-8, Spalten durch Semikolon getrennt, höchstens 1 MB."),
    )
    text = forms.CharField(
        label=_("Oder: CSV-Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Erste Zeile: projekt_id;datum;prozent;status;text oder "
            "projekt_id;meilenstein;geplant;erreicht. Nach einem Fehler steht hier der Inhalt "
            "der Datei zum Korrigieren."
        ),
    )

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > MAX_IMPORT_BYTES:
                raise ValidationError({"file": _("Die Datei ist größer als 1 MB.")})
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise ValidationError(
                    {"file": _("Die Datei ist nicht in UTF-8 gespeichert.")}
                ) from None
        if not data.get("text", "").strip() and not self.errors:
            raise ValidationError(
                {"text": _("Bitte wählen Sie eine Datei oder fügen Sie Text ein.")}
            )
        return data
