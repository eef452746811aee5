"""Rewrite ballots, submitted responses and codes stored before the ballot box existed.

Those rows were written in the transaction of their participation (ballots, responses) or in
the order of the letters file (codes), so their transaction ids, physical order and ids could
pair them with identities. Here each set is deleted and written again in random order under
new keys, all by this one transaction. See docs/security.md, "Ballot secrecy".
"""

import secrets
import uuid

from django.db import migrations

COPIED = {
    "Ballot": ("weighting_id", ("choices", "demographics", "vector", "change_key")),
    "SurveyResponse": ("survey_id", ("answers", "demographics", "section_index", "submitted")),
}


def _rewrite(model, parent: str, copied: tuple[str, ...], rows_filter: dict) -> None:
    rng = secrets.SystemRandom()
    for parent_id in (model.objects.filter(**rows_filter).values_list(parent, flat=True)
                      .distinct()):
        rows = list(model.objects.filter(**rows_filter, **{parent: parent_id})
                    .values(*copied))
        rng.shuffle(rows)
        model.objects.filter(**rows_filter, **{parent: parent_id}).delete()
        model.objects.bulk_create([model(id=uuid.uuid4(), **{parent: parent_id}, **row)
                                   for row in rows], batch_size=2000)


def mix_existing(apps, schema_editor):
    for name, (parent, copied) in COPIED.items():
        rows_filter = {"submitted": True} if name == "SurveyResponse" else {}
        _rewrite(apps.get_model("consultation", name), parent, copied, rows_filter)
    code = apps.get_model("consultation", "ParticipationCode")
    rng = secrets.SystemRandom()
    for phase_id in code.objects.values_list("phase_id", flat=True).distinct():
        rows = list(code.objects.filter(phase_id=phase_id)
                    .values("batch_id", "code_hash", "used"))
        rng.shuffle(rows)
        code.objects.filter(phase_id=phase_id).delete()
        code.objects.bulk_create([code(phase_id=phase_id, **row) for row in rows],
                                 batch_size=5000)


class Migration(migrations.Migration):

    dependencies = [
        ("consultation", "0002_ballot_box"),
    ]

    operations = [
        migrations.RunPython(mix_existing, migrations.RunPython.noop),
    ]
