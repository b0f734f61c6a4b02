"""Attachment.source: the reporter's own files and the handling-report photos told apart.

Existing rows are classified by the event they were attached to: at intake or with a later
message from the reporter (received, message, reopened, rated) they are the reporter's; with a
handling report (or any other staff event) they are staff's. A file with no event is counted as
the reporter's (data minimisation: when in doubt it goes with the reporter's identity).
"""

from django.db import migrations, models

REPORTER_EVENTS = ("received", "message", "reopened", "rated")


def classify(apps, schema_editor):
    Attachment = apps.get_model("complaints", "Attachment")
    Attachment.objects.filter(event__isnull=False).exclude(event__kind__in=REPORTER_EVENTS).update(
        source="staff"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0005_resolution_round"),
    ]

    operations = [
        migrations.AddField(
            model_name="attachment",
            name="source",
            field=models.CharField(
                choices=[("reporter", "Reporter"), ("staff", "Staff")],
                db_index=True,
                default="reporter",
                max_length=10,
                verbose_name="source",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(classify, migrations.RunPython.noop),
    ]
