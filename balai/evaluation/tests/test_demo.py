import random

from balai.core.models import AuditLog
from balai.devtools.demo_evaluation import demo_evaluation_transparency
from balai.evaluation.models import TransparencySetting


def test_demo_publishes_and_is_idempotent(bontang):
    assert demo_evaluation_transparency(bontang, random.Random(1)) == [
        "show_night_service",
        "show_complaints",
    ]
    setting = TransparencySetting.objects.get(pemda=bontang)
    assert setting.published == ["show_complaints", "show_night_service"]
    audits = AuditLog.objects.count()
    demo_evaluation_transparency(bontang, random.Random(2))
    assert AuditLog.objects.count() == audits  # nothing changed the second time
    assert TransparencySetting.objects.count() == 1
