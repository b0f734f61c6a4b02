"""Approved bookings of one space never overlap: an exclusion constraint on PostgreSQL.

`EXCLUDE USING gist (space_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
WHERE (status = 'approved')`: half-open ranges, so a booking ending at 10.00 and the next
starting at 10.00 touch without overlapping. `space_id WITH =` in a GiST index needs the
btree_gist extension (trusted since PostgreSQL 13: the database owner may create it).

Other databases (SQLite) skip both steps; there the services' check under a lock on the space
row (SQLite takes the write lock at BEGIN IMMEDIATE) is what keeps bookings apart.
The constraint is not in the model's Meta: Django would try to validate and create it on
SQLite too.
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

CONSTRAINT = "community_booking_no_overlap"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE community_booking ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist "
        "(space_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) "
        "WHERE (status = 'approved')"
    )


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE community_booking DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("community", "0001_initial")]

    operations = [
        # CreateExtension does nothing on databases other than PostgreSQL.
        BtreeGistExtension(),
        migrations.RunPython(add_constraint, drop_constraint, elidable=False),
    ]
