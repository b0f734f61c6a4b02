"""Background work for privacy (run by `balai worker`)."""

from django_tasks import task


@task()
def purge_personal_data(dry_run: bool = False) -> dict[str, dict[str, int]]:
    """Apply every active Pemda's retention periods: {pemda slug: {kind: rows}}; the rows of no
    Pemda (installation-wide audit entries) under the key ``""``."""
    from balai.organizations.models import Pemda

    from .services import privacy_purge

    result = {}
    for pemda in Pemda.objects.filter(is_active=True).order_by("slug"):
        counts = privacy_purge(pemda=pemda, dry_run=dry_run)
        result[pemda.slug] = {entry.kind.key: entry.count for entry in counts}
    counts = privacy_purge(pemda=None, dry_run=dry_run)
    result[""] = {entry.kind.key: entry.count for entry in counts}
    return result
