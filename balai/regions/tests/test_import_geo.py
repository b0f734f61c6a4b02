"""`balai import-geo`: centroids and boundaries from the seed files, checked before writing."""

import csv
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from balai.core.models import AuditLog
from balai.organizations.services import pemda_create
from balai.regions.choices import Level
from balai.regions.geo import haversine_km, seed_file, village_distances_update
from balai.regions.models import Region, RegionBoundary
from balai.regions.services import regions_import

SEED_CSV = Path(str(seed_file("centroids.csv")))
SEED_GEOJSON = Path(str(seed_file("boundaries.geojson")))
BONTANG_BARU = "64.74.01.1002"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def seed_rows(prefix: str = "64.74") -> list[dict[str, str]]:
    with SEED_CSV.open(encoding="utf-8") as fh:
        return [row for row in csv.DictReader(fh) if row["code"].startswith(prefix)]


def seed_features(prefix: str = "64.74") -> list[dict]:
    features = json.loads(SEED_GEOJSON.read_text(encoding="utf-8"))["features"]
    return [f for f in features if f["properties"]["code"].startswith(prefix)]


@pytest.fixture
def kota_bontang(db):
    """Kota Bontang's region tree and its Pemda, seated at the centroid of Bontang Baru."""
    regions_import(only="64.74")
    seat = next(row for row in seed_rows() if row["code"] == BONTANG_BARU)
    return pemda_create(
        actor=None,
        region=Region.objects.get(code="64.74"),
        seat_name="Bontang",
        seat_lat=float(seat["lat"]),
        seat_lng=float(seat["lng"]),
    )


def import_geo(path, **options) -> str:
    out = StringIO()
    call_command("import-geo", str(path), stdout=out, **options)
    return out.getvalue()


def nothing_written() -> bool:
    return (
        not Region.objects.filter(lat__isnull=False).exists()
        and not Region.objects.filter(distance_to_seat_km__isnull=False).exists()
        and not RegionBoundary.objects.exists()
        and not AuditLog.objects.filter(action="regions.geo_import").exists()
    )


def write_csv(tmp_path, lines: list[str]) -> Path:
    path = tmp_path / "centroids.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_geojson(tmp_path, features) -> Path:
    path = tmp_path / "boundaries.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def test_haversine_is_the_great_circle_distance():
    assert haversine_km(0, 117, 0, 118) == pytest.approx(111.195, abs=0.001)
    assert haversine_km(-4.35, 103.02, -4.35, 103.02) == 0
    # Bontang to Samarinda: about 80 km as the crow flies.
    assert haversine_km(0.1333, 117.5, -0.5022, 117.1536) == pytest.approx(80.3, abs=1)


def test_csv_loads_the_centroids_and_the_distances(kota_bontang):
    output = import_geo(SEED_CSV, only="64.74")

    rows = {row["code"]: row for row in seed_rows()}
    assert len(rows) == 19
    tanjung_laut = Region.objects.get(code="64.74.02.1001")
    assert tanjung_laut.lat == pytest.approx(float(rows["64.74.02.1001"]["lat"]))
    assert tanjung_laut.lng == pytest.approx(float(rows["64.74.02.1001"]["lng"]))
    assert Region.objects.filter(lat__isnull=False).count() == 19
    assert not RegionBoundary.objects.exists()

    villages = Region.objects.filter(code__startswith="64.74.", level=Level.DESA_KELURAHAN)
    distances = dict(villages.values_list("code", "distance_to_seat_km"))
    assert len(distances) == 15
    assert distances[BONTANG_BARU] == 0
    selatan = {code: km for code, km in distances.items() if code.startswith("64.74.02.")}
    assert len(selatan) == 6
    assert all(0.5 < km < 20 for km in selatan.values())
    assert distances["64.74.02.1005"] == max(distances.values())  # Bontang Lestari, the south
    assert "19 centroids, 0 boundaries, 15 distances to the seat (1 Pemda updated)" in output
    assert AuditLog.objects.filter(action="regions.geo_import").count() == 1


def test_geojson_loads_boundaries_and_centroids_again_and_again(kota_bontang):
    first = import_geo(SEED_GEOJSON, only="64.74")
    second = import_geo(SEED_GEOJSON, only="64.74")

    assert first == second
    assert "19 centroids, 19 boundaries, 15 distances to the seat" in first
    assert RegionBoundary.objects.count() == 19
    boundary = RegionBoundary.objects.get(region_id="64.74.02")
    feature = next(f for f in seed_features() if f["properties"]["code"] == "64.74.02")
    assert boundary.geometry == feature["geometry"]
    assert boundary.geometry["type"] in {"Polygon", "MultiPolygon"}
    assert Region.objects.get(code="64.74.02").lat == pytest.approx(feature["properties"]["lat"])
    assert not Region.objects.filter(
        code__startswith="64.74.02.", distance_to_seat_km__isnull=True
    ).exists()


def test_a_pemda_without_a_seat_gets_no_distances(bontang):
    output = import_geo(SEED_CSV, only="64.74")

    assert "Kota Bontang: no seat coordinates, distances not computed." in output
    assert Region.objects.filter(lat__isnull=False).count() == 19
    assert not Region.objects.filter(distance_to_seat_km__isnull=False).exists()
    assert village_distances_update(pemda=bontang) == 0


def test_a_name_that_differs_from_the_tree_is_loaded_and_pointed_out(kota_bontang, tmp_path):
    path = write_csv(tmp_path, [HEADER, "64.74.01,Bontang Utara Lama,0.1578,117.4912", GOOD[1]])

    output = import_geo(path)

    assert "line 2: 64.74.01 is 'Bontang Utara' in the tree, 'Bontang Utara Lama' here." in output
    assert "line 3" not in output
    assert Region.objects.get(code="64.74.01").lat == 0.1578


def test_distances_follow_a_moved_seat(kota_bontang):
    import_geo(SEED_CSV, only="64.74")
    lestari = Region.objects.get(code="64.74.02.1005")

    kota_bontang.seat_lat, kota_bontang.seat_lng = lestari.lat, lestari.lng
    assert village_distances_update(pemda=kota_bontang) == 15

    lestari.refresh_from_db()
    assert lestari.distance_to_seat_km == 0
    assert Region.objects.get(code=BONTANG_BARU).distance_to_seat_km > 5


HEADER = "code,name,lat,lng"
GOOD = ["64.74.01,Bontang Utara,0.1578,117.4912", "64.74.02,Bontang Selatan,0.0663,117.4490"]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["code;name;lat;lng", *GOOD], "line 1: the header must be code,name,lat,lng"),
        ([HEADER, *GOOD, "64.74.03,Bontang Barat,abc,117.4536"], "line 4: lat 'abc' is not a"),
        ([HEADER, *GOOD, "64.74.03,Bontang Barat,0.1410,"], "line 4: lng '' is not a number"),
        ([HEADER, *GOOD, "64.74.03,Bontang Barat,117.45,0.14"], "line 4: lat 117.45 is outside"),
        ([HEADER, *GOOD, "64.74.03,Bontang Barat,nan,117.4536"], "line 4: lat 'nan' is not a"),
        ([HEADER, *GOOD, "64.74.03,Bontang Barat,0.14"], "line 4: expected 4 fields"),
        ([HEADER, GOOD[0], "", GOOD[1], "64.74.3,Barat,0.14,117.45"], "line 5: '64.74.3' is not"),
        ([HEADER, *GOOD, GOOD[0]], "line 4: code 64.74.01 already on line 2"),
    ],
)
def test_a_malformed_csv_line_is_named_and_nothing_is_written(
    kota_bontang, tmp_path, lines, message
):
    path = write_csv(tmp_path, lines)

    with pytest.raises(CommandError, match=message) as caught:
        import_geo(path)

    assert "nothing was written" in str(caught.value)
    assert nothing_written()


def test_every_problem_is_listed(kota_bontang, tmp_path):
    path = write_csv(tmp_path, [HEADER, "64.74.01,A,x,117", "64.74.02,B,0.1,200", GOOD[0]])

    with pytest.raises(CommandError) as caught:
        import_geo(path)

    assert "2 problems" in str(caught.value)
    assert "line 2: lat 'x'" in str(caught.value)
    assert "line 3: lng 200.0 is outside -180..180" in str(caught.value)


def _point(feature):
    feature["geometry"] = {"type": "Point", "coordinates": [117.45, 0.14]}


def _no_lat(feature):
    del feature["properties"]["lat"]


def _swapped(feature):
    props = feature["properties"]
    props["lat"], props["lng"] = props["lng"], props["lat"]


def _open_ring(feature):
    geometry = feature["geometry"]
    ring = (
        geometry["coordinates"][0]
        if geometry["type"] == "Polygon"
        else geometry["coordinates"][0][0]
    )
    ring.pop()


def _text_lat(feature):
    feature["properties"]["lat"] = "0.14"


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        (_point, "geometry type 'Point' is not Polygon or MultiPolygon"),
        (_no_lat, "missing property lat"),
        (_swapped, "lat 117.4"),
        (_open_ring, "a ring must end where it starts"),
        (_text_lat, "lat '0.14' is not a number"),
    ],
)
def test_a_malformed_feature_is_named_and_nothing_is_written(
    kota_bontang, tmp_path, breakage, message
):
    features = seed_features()
    breakage(features[3])
    code = features[3]["properties"]["code"]
    path = write_geojson(tmp_path, features)

    with pytest.raises(CommandError, match=message) as caught:
        import_geo(path)

    assert f"features[3] ({code}): " in str(caught.value)
    assert "1 problem," in str(caught.value)
    assert nothing_written()


def test_invalid_json_is_refused(kota_bontang, tmp_path):
    path = tmp_path / "boundaries.geojson"
    path.write_text('{"type": "FeatureCollection",\n "features": [}\n')

    with pytest.raises(CommandError, match=r"not valid JSON: .* \(line 2, column 15\)"):
        import_geo(path)
    assert nothing_written()


def test_an_unknown_region_code_is_refused(kota_bontang, tmp_path):
    path = write_csv(tmp_path, [HEADER, *GOOD, "64.74.02.1099,Kampung Baru,0.11,117.47"])

    with pytest.raises(
        CommandError, match=r"line 4: region 64\.74\.02\.1099 is not in the region tree"
    ):
        import_geo(path)
    assert nothing_written()


def test_the_whole_seed_file_needs_every_region_imported(kota_bontang):
    with pytest.raises(CommandError) as caught:
        import_geo(SEED_GEOJSON)

    message = str(caught.value)
    assert "701 problems, nothing was written" in message
    assert "features[0] (17.01): region 17.01 is not in the region tree" in message
    assert "... and 681 more" in message
    assert nothing_written()


def test_only_csv_and_geojson_files_are_read(kota_bontang, tmp_path):
    path = tmp_path / "centroids.txt"
    path.write_text(HEADER + "\n" + GOOD[0] + "\n")

    with pytest.raises(CommandError, match=r"centroids\.txt: expected a \.csv or \.geojson file"):
        import_geo(path)
    with pytest.raises(CommandError, match="no such file"):
        import_geo(tmp_path / "missing.csv")
    with pytest.raises(CommandError, match="not a region code"):
        import_geo(SEED_CSV, only="64.7x")
    assert nothing_written()


def test_the_seed_data_ships_with_its_mit_notice():
    notice = seed_file("LICENSE").read_text(encoding="utf-8")
    readme = seed_file("README.md").read_text(encoding="utf-8")

    assert notice.startswith("MIT License")
    assert "Copyright (c) 2024 Cahya DSN" in notice
    assert "wilayah_boundaries" in readme
    assert "LICENSE" in readme
