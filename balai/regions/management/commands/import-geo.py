"""`balai import-geo FILE [--only 64.74]`: load region centroids (CSV) or boundaries (GeoJSON)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from balai.regions.geo import GeoDataError, geo_import_file
from balai.regions.services import normalize_prefix


class Command(BaseCommand):
    help = (
        "Load region centroids from a CSV (code,name,lat,lng) or boundaries and centroids from "
        "a GeoJSON FeatureCollection, then update the villages' distances to the seat. A file "
        "with any problem changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .csv or .geojson file")
        parser.add_argument(
            "--only", help="load only this province or kabupaten/kota, e.g. 64.74", default=None
        )

    def handle(self, *args, file, only=None, **options):
        try:
            only = normalize_prefix(only) if only else None
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file.")
        try:
            report = geo_import_file(path=path, only=only)
        except GeoDataError as exc:
            count = len(exc.problems)
            raise CommandError(
                f"{path.name}: {count} problem{'s' if count != 1 else ''}, nothing was written.\n"
                f"{exc}"
            ) from exc
        self.stdout.write(
            f"{path.name}: {report.centroids:,} centroids, {report.boundaries:,} boundaries, "
            f"{report.distances:,} distances to the seat "
            f"({len(report.pemda_updated)} Pemda updated)."
        )
        for name in report.pemda_without_seat:
            self.stdout.write(f"  {name}: no seat coordinates, distances not computed.")
        for where, code, file_name, tree_name in report.name_differences[:20]:
            self.stdout.write(
                f"  {where}: {code} is '{tree_name}' in the tree, '{file_name}' here."
            )
