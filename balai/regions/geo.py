"""Region coordinates: centroids (CSV) and boundaries (GeoJSON), and distances to the seat.

A file is first read and checked in full (syntax, ranges, geometry, codes known to the region
tree); only a file without any problem is written, in one transaction. Problems name the CSV
line or the GeoJSON feature (its index in `features` and its code).
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from balai.core.audit import audit_record

from .choices import Level, level_of
from .models import Region, RegionBoundary
from .services import normalize_prefix

BATCH = 2000
MAX_PROBLEMS = 20
EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)
CSV_HEADER = ["code", "name", "lat", "lng"]
GEOMETRY_TYPES = {"Polygon", "MultiPolygon"}
_CODE = re.compile(r"\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?")


def seed_file(name: str) -> Traversable:
    """A file of the seed data shipped in the package: centroids.csv or boundaries.geojson."""
    return resources.files("balai.regions").joinpath("data", "seed_regions", name)


class GeoDataError(ValueError):
    """A file that cannot be loaded; `problems` lists each one with its line or feature."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = problems[:MAX_PROBLEMS]
        if len(problems) > MAX_PROBLEMS:
            shown.append(_("... and %(count)d more") % {"count": len(problems) - MAX_PROBLEMS})
        super().__init__("\n".join(shown))


@dataclass
class GeoRow:
    where: str  # "line 5" or "features[3] (64.74.02)", for messages
    code: str
    name: str
    lat: float
    lng: float
    geometry: dict[str, Any] | None = None


@dataclass
class GeoImportReport:
    centroids: int = 0
    boundaries: int = 0
    distances: int = 0
    pemda_updated: list[str] = field(default_factory=list)
    pemda_without_seat: list[str] = field(default_factory=list)
    # (where, code, name in the file, name in the region tree): worth a look, not an error
    name_differences: list[tuple[str, str, str, str]] = field(default_factory=list)


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in kilometres between two WGS84 points."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lng2 - lng1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


# Reading and checking ---------------------------------------------------------------------------


def _number(value: Any, *, axis: str, limit: float, from_text: bool) -> tuple[float | None, str]:
    """(value, "") or (None, problem) for a latitude (limit 90) or longitude (limit 180)."""
    if from_text and isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            number = math.nan
    elif isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    else:
        number = math.nan
    if not math.isfinite(number):
        return None, _("%(axis)s %(value)r is not a number") % {"axis": axis, "value": value}
    if not -limit <= number <= limit:
        return None, _("%(axis)s %(value)s is outside -%(limit)d..%(limit)d") % {
            "axis": axis,
            "value": number,
            "limit": limit,
        }
    return number, ""


def _code_problem(code: Any) -> str:
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        return _("%(code)r is not a region code such as 64.74.02.1001") % {"code": code}
    return ""


def centroids_parse_csv(text: str) -> list[GeoRow]:
    """Rows of a `code,name,lat,lng` CSV (header required). Raises GeoDataError."""
    reader = csv.reader(io.StringIO(text))
    problems: list[str] = []
    rows: list[GeoRow] = []
    seen: dict[str, str] = {}
    try:
        header = next(reader, None)
        if header is None or [column.strip().lower() for column in header] != CSV_HEADER:
            raise GeoDataError(
                [
                    _("line 1: the header must be %(expected)s, found %(found)s")
                    % {"expected": ",".join(CSV_HEADER), "found": ",".join(header or [])}
                ]
            )
        for fields in reader:
            where = _("line %(line)d") % {"line": reader.line_num}
            if not any(value.strip() for value in fields):
                continue
            if len(fields) != len(CSV_HEADER):
                problems.append(
                    _("%(where)s: expected 4 fields (code,name,lat,lng), found %(count)d")
                    % {"where": where, "count": len(fields)}
                )
                continue
            code, name, lat_text, lng_text = (value.strip() for value in fields)
            lat, lat_problem = _number(lat_text, axis="lat", limit=90, from_text=True)
            lng, lng_problem = _number(lng_text, axis="lng", limit=180, from_text=True)
            found = [p for p in (_code_problem(code), lat_problem, lng_problem) if p]
            if code in seen:
                found.append(
                    _("code %(code)s already on %(other)s") % {"code": code, "other": seen[code]}
                )
            if found:
                problems.extend(f"{where}: {problem}" for problem in found)
                continue
            seen[code] = where
            rows.append(GeoRow(where=where, code=code, name=name, lat=lat, lng=lng))
    except csv.Error as exc:
        problems.append(_("line %(line)d: %(error)s") % {"line": reader.line_num, "error": exc})
    if problems:
        raise GeoDataError(problems)
    return rows


def _position_problem(position: Any) -> str:
    if (
        not isinstance(position, list)
        or not 2 <= len(position) <= 3
        or not all(isinstance(n, int | float) and not isinstance(n, bool) for n in position)
    ):
        return _("position %(value).40r is not [lng, lat]") % {"value": position}
    lng, lat = position[0], position[1]
    if not (math.isfinite(lng) and math.isfinite(lat) and -180 <= lng <= 180 and -90 <= lat <= 90):
        return _("position %(value).40r is outside the lng/lat range") % {"value": position}
    return ""


def _polygon_problem(rings: Any) -> str:
    if not isinstance(rings, list) or not rings:
        return _("a polygon needs a list of rings")
    for ring in rings:
        if not isinstance(ring, list) or len(ring) < 4:
            return _("a ring needs at least 4 positions")
        for position in ring:
            if problem := _position_problem(position):
                return problem
        if ring[0][:2] != ring[-1][:2]:
            return _("a ring must end where it starts")
    return ""


def _geometry_problem(geometry: Any) -> str:
    if not isinstance(geometry, dict):
        return _("geometry is missing")
    kind = geometry.get("type")
    if kind not in GEOMETRY_TYPES:
        return _("geometry type %(type)r is not Polygon or MultiPolygon") % {"type": kind}
    coordinates = geometry.get("coordinates")
    if kind == "Polygon":
        return _polygon_problem(coordinates)
    if not isinstance(coordinates, list) or not coordinates:
        return _("a MultiPolygon needs a list of polygons")
    for polygon in coordinates:
        if problem := _polygon_problem(polygon):
            return problem
    return ""


def boundaries_parse_geojson(text: str) -> list[GeoRow]:
    """Rows of a FeatureCollection with properties code, name, lat, lng and a (Multi)Polygon."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GeoDataError(
            [
                _("not valid JSON: %(error)s (line %(line)d, column %(column)d)")
                % {"error": exc.msg, "line": exc.lineno, "column": exc.colno}
            ]
        ) from exc
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise GeoDataError([_("not a GeoJSON FeatureCollection with a list of features")])
    problems: list[str] = []
    rows: list[GeoRow] = []
    seen: dict[str, str] = {}
    for index, feature in enumerate(data["features"]):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        code = properties.get("code") if isinstance(properties, dict) else None
        where = _("features[%(index)d] (%(code)s)") % {"index": index, "code": code or "?"}
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(_("%(where)s: not a Feature") % {"where": where})
            continue
        if not isinstance(properties, dict):
            problems.append(_("%(where)s: properties are missing") % {"where": where})
            continue
        missing = [key for key in CSV_HEADER if properties.get(key) in (None, "")]
        if missing:
            problems.append(
                _("%(where)s: missing property %(names)s")
                % {"where": where, "names": ", ".join(missing)}
            )
            continue
        name = properties["name"]
        lat, lat_problem = _number(properties["lat"], axis="lat", limit=90, from_text=False)
        lng, lng_problem = _number(properties["lng"], axis="lng", limit=180, from_text=False)
        found = [
            problem
            for problem in (
                _code_problem(code),
                "" if isinstance(name, str) else _("name must be text"),
                lat_problem,
                lng_problem,
                _geometry_problem(feature.get("geometry")),
            )
            if problem
        ]
        if isinstance(code, str) and code in seen:
            found.append(
                _("code %(code)s already in %(other)s") % {"code": code, "other": seen[code]}
            )
        if found:
            problems.extend(f"{where}: {problem}" for problem in found)
            continue
        seen[code] = where
        geometry = feature["geometry"]
        rows.append(
            GeoRow(
                where=where,
                code=code,
                name=name.strip(),
                lat=lat,
                lng=lng,
                geometry={"type": geometry["type"], "coordinates": geometry["coordinates"]},
            )
        )
    if problems:
        raise GeoDataError(problems)
    return rows


def geo_file_parse(path: Path | Traversable) -> list[GeoRow]:
    """Read a .csv (centroids) or .geojson/.json (boundaries + centroids) file."""
    suffix = Path(path.name).suffix.lower()
    if suffix not in {".csv", ".geojson", ".json"}:
        raise GeoDataError([_("%(name)s: expected a .csv or .geojson file") % {"name": path.name}])
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GeoDataError(
            [_("%(name)s is not UTF-8 text (byte %(at)d)") % {"name": path.name, "at": exc.start}]
        ) from exc
    return centroids_parse_csv(text) if suffix == ".csv" else boundaries_parse_geojson(text)


# Writing ----------------------------------------------------------------------------------------


def _in_scope(code: str, prefix: str | None) -> bool:
    return prefix is None or code == prefix or code.startswith(prefix + ".")


@transaction.atomic
def village_distances_update(*, pemda) -> int:
    """Set `distance_to_seat_km` of each desa/kelurahan of the Pemda from its seat of government.

    Great-circle distance from the seat (Pemda.seat_lat/seat_lng) to the village's centroid; a
    village without a centroid gets none. A Pemda without a seat is left alone. Returns the
    number of villages that have a distance. Derived data: no audit row of its own (the change
    that calls it, a geo import or a new seat, is audited).
    """
    if pemda.seat_lat is None or pemda.seat_lng is None:
        return 0
    villages = list(
        Region.objects.filter(
            level=Level.DESA_KELURAHAN, code__startswith=f"{pemda.region_id}."
        ).only("code", "lat", "lng", "distance_to_seat_km")
    )
    changed = []
    for village in villages:
        distance = None
        if village.lat is not None and village.lng is not None:
            distance = round(
                haversine_km(pemda.seat_lat, pemda.seat_lng, village.lat, village.lng), 3
            )
        if distance != village.distance_to_seat_km:
            village.distance_to_seat_km = distance
            changed.append(village)
    Region.objects.bulk_update(changed, ["distance_to_seat_km"], batch_size=BATCH)
    return sum(1 for village in villages if village.distance_to_seat_km is not None)


def geo_import(
    *, rows: list[GeoRow], only: str | None = None, actor=None, source_name: str = ""
) -> GeoImportReport:
    """Write checked rows: centroids into Region.lat/lng, geometries into RegionBoundary.

    With `only` (a province or kabupaten/kota code), rows outside it are ignored. Every code must
    already be in the region tree; otherwise nothing is written (GeoDataError). Then the village
    distances of each Pemda whose area was touched are recomputed.
    """
    prefix = normalize_prefix(only) if only else None
    rows = [row for row in rows if _in_scope(row.code, prefix)]
    if prefix and not rows:
        raise GeoDataError([_("the file has no region in %(code)s") % {"code": prefix}])
    tree = Region.objects.all()
    if prefix:
        tree = tree.filter(code__startswith=prefix)
    names = dict(tree.values_list("code", "name"))
    problems = [
        _("%(where)s: region %(code)s is not in the region tree (run import-regions first)")
        % {"where": row.where, "code": row.code}
        for row in rows
        if row.code not in names
    ]
    if problems:
        raise GeoDataError(problems)
    report = GeoImportReport(
        centroids=len(rows),
        boundaries=sum(1 for row in rows if row.geometry is not None),
        name_differences=[
            (row.where, row.code, row.name, names[row.code])
            for row in rows
            if row.name and row.name.casefold() != names[row.code].casefold()
        ],
    )
    with transaction.atomic():
        Region.objects.bulk_update(
            [Region(code=row.code, lat=row.lat, lng=row.lng) for row in rows],
            ["lat", "lng"],
            batch_size=BATCH,
        )
        RegionBoundary.objects.bulk_create(
            [
                RegionBoundary(region_id=row.code, geometry=row.geometry)
                for row in rows
                if row.geometry is not None
            ],
            batch_size=500,
            update_conflicts=True,
            unique_fields=["region"],
            update_fields=["geometry"],
        )
        kabupaten = {".".join(row.code.split(".")[:2]) for row in rows if level_of(row.code) >= 2}
        for region in (
            Region.objects.filter(code__in=kabupaten, pemda__isnull=False)
            .select_related("pemda")
            .order_by("code")
        ):
            pemda = region.pemda
            if pemda.seat_lat is None or pemda.seat_lng is None:
                report.pemda_without_seat.append(pemda.name)
                continue
            report.distances += village_distances_update(pemda=pemda)
            report.pemda_updated.append(pemda.name)
        audit_record(
            actor=actor,
            action="regions.geo_import",
            changes={
                "file": source_name,
                "only": prefix or "",
                "centroids": report.centroids,
                "boundaries": report.boundaries,
                "distances": report.distances,
            },
        )
    return report


def geo_import_file(
    *, path: Path | Traversable, only: str | None = None, actor=None
) -> GeoImportReport:
    """Check and load a centroid CSV or a boundary GeoJSON file (see `geo_file_parse`)."""
    return geo_import(rows=geo_file_parse(path), only=only, actor=actor, source_name=path.name)
