"""The inbox tabs read through indexes that match their filters and their ORDER BY exactly.

On a small table PostgreSQL's planner prefers a sequential scan, so the tests switch scans and
sorts off: the plan can then only avoid a sort if an index matches the query's expression.
"""

import pytest
from django.db import connection

from balai.complaints.models import Complaint
from balai.complaints.selectors import complaint_inbox

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="index plans are checked on PostgreSQL"
)


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.django_db(transaction=False)
@pytest.mark.parametrize(
    ("view", "index"), [("all", "complaint_all_order"), ("new", "complaint_new")]
)
def test_inbox_tab_reads_its_index(bangli, staff, view, index):
    rows = complaint_inbox(user=staff["operator"], pemda=bangli, view=view)[:25]
    assert Complaint.objects.count() == 0  # the plan, not the data, is under test
    plan = _plan(rows)
    assert index in plan, plan
    assert "Sort" not in plan.replace("Sort Key", ""), plan
