import datetime as dt
import shutil
import subprocess

from django.urls import reverse
from icalendar import Calendar

from balai.accounts.choices import Role
from balai.core.testing import qr_codes_in_pdf
from balai.outreach import services
from balai.outreach.models import Event, PlanRun
from balai.regions.models import Region


def _today():
    from django.utils import timezone

    return timezone.localdate()


def _events(program, admin, n, start=dt.date(2030, 7, 2), code_prefix="32.16.19.200"):
    out = []
    for i in range(n):
        out.append(
            services.event_schedule(
                actor=admin,
                program=program,
                date=start + dt.timedelta(days=7 * i),
                venue=Region.objects.get(code=f"{code_prefix}{i % 7 + 1}"),
                published=True,
            )
        )
    return out


def test_staff_pages_for_the_admin(client, village_program, admin):
    (event,) = _events(village_program, admin, 1)
    client.force_login(admin)
    pemda = village_program.pemda.slug
    for url in (
        reverse("staff:outreach_programs", args=[pemda]),
        reverse("staff:outreach_program_new", args=[pemda]),
        reverse("staff:outreach_program", args=[pemda, village_program.slug]),
        reverse("staff:outreach_program_edit", args=[pemda, village_program.slug]),
        reverse("staff:outreach_plan", args=[pemda, village_program.slug]),
        reverse("staff:outreach_event", args=[pemda, event.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(reverse("staff:outreach_program", args=[pemda, village_program.slug]))
    assert event.venue.name.encode() in page.content


def test_program_form_creates(client, bekasi, admin):
    client.force_login(admin)
    response = client.post(
        reverse("staff:outreach_program_new", args=["bekasi"]),
        {
            "name": "Keliling Sehat",
            "venue_level": "village",
            "weekdays": ["1", "3"],
            "slots_per_day": "2",
            "is_public": "on",
        },
    )
    assert response.status_code == 302
    program = bekasi.outreach_programs.get(slug="keliling-sehat")
    assert (program.weekdays, program.slots_per_day) == ([1, 3], 2)
    bad = client.post(
        reverse("staff:outreach_program_new", args=["bekasi"]),
        {"name": "X", "venue_level": "village", "weekdays": [], "slots_per_day": "0"},
    )
    assert bad.status_code == 200 and bekasi.outreach_programs.count() == 1


def test_plan_form_runs_and_progress_page(
    client, village_program, admin, fake_candidates, django_capture_on_commit_callbacks
):
    client.force_login(admin)
    url = reverse("staff:outreach_plan", args=["bekasi", village_program.slug])
    data = {
        "period_start": "2024-07-09",
        "period_end": "2024-09-30",
        "weekdays": ["1", "3"],
        "slots_per_day": "1",
        "blackout": "2024-07-11",
        "one_per_kecamatan_per_week": "on",
        "exclude_visited": "on",
        "remoteness": "1",
        "population": "0",
        "since_visit": "0",
        "demand": "0",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    run = PlanRun.objects.get()
    assert response.url == reverse(
        "staff:outreach_run", args=["bekasi", village_program.slug, run.pk]
    )
    run.refresh_from_db()
    assert run.status == "done" and run.constraints["blackout"] == ["2024-07-11"]
    assert not Event.objects.filter(date=dt.date(2024, 7, 11)).exists()
    page = client.get(response.url)
    assert page.status_code == 200 and b"100%" in page.content
    fragment = client.get(response.url, headers={"HX-Request": "true"})
    assert b"run-progress" in fragment.content and b"<html" not in fragment.content


def test_lock_move_publish_views(client, village_program, admin):
    (event,) = _events(village_program, admin, 1)
    event.published = False
    event.save()
    client.force_login(admin)
    client.post(reverse("staff:outreach_event_lock", args=["bekasi", event.pk]), {"locked": "1"})
    event.refresh_from_db()
    assert event.locked
    client.post(
        reverse("staff:outreach_event_move", args=["bekasi", event.pk]), {"date": "2030-07-06"}
    )
    event.refresh_from_db()
    assert event.date == dt.date(2030, 7, 2)  # Saturday: refused without confirmation
    client.post(
        reverse("staff:outreach_event_move", args=["bekasi", event.pk]),
        {"date": "2030-07-06", "confirm": "on"},
    )
    event.refresh_from_db()
    assert event.date == dt.date(2030, 7, 6)
    client.post(reverse("staff:outreach_publish", args=["bekasi", village_program.slug]))
    event.refresh_from_db()
    assert event.published


def test_staff_scope(client, bekasi, village_program, admin, make_member):
    inside = services.event_schedule(
        actor=admin,
        program=village_program,
        date=dt.date(2030, 7, 2),
        venue=Region.objects.get(code="32.16.19.2003"),
    )
    outside = services.event_schedule(
        actor=admin,
        program=village_program,
        date=dt.date(2030, 7, 4),
        venue=Region.objects.get(code="32.16.01.2001"),
    )
    area = make_member(bekasi, Role.AREA_STAFF, region=Region.objects.get(code="32.16.19"))
    client.force_login(area)
    page = client.get(reverse("staff:outreach_program", args=["bekasi", village_program.slug]))
    assert page.status_code == 200
    assert reverse("staff:outreach_event", args=["bekasi", inside.pk]).encode() in page.content
    assert reverse("staff:outreach_event", args=["bekasi", outside.pk]).encode() not in page.content
    assert (
        client.get(reverse("staff:outreach_event", args=["bekasi", outside.pk])).status_code == 404
    )
    assert (
        client.post(
            reverse("staff:outreach_event_lock", args=["bekasi", inside.pk]), {"locked": "1"}
        ).status_code
        == 403
    )
    assert (
        client.get(
            reverse("staff:outreach_plan", args=["bekasi", village_program.slug])
        ).status_code
        == 403
    )
    for role in (Role.LEADERSHIP, Role.EVENT_STAFF):
        client.force_login(make_member(bekasi, role))
        assert (
            client.get(reverse("staff:outreach_event", args=["bekasi", outside.pk])).status_code
            == 200
        )
        assert (
            client.post(
                reverse("staff:outreach_event", args=["bekasi", outside.pk]), {"status": "held"}
            ).status_code
            == 403
        )
    client.force_login(make_member(bekasi, Role.OPERATOR))
    assert client.get(reverse("staff:outreach_programs", args=["bekasi"])).status_code == 403


def test_public_schedule_query_count_constant(
    client, village_program, kecamatan_program, admin, django_assert_max_num_queries
):
    _events(village_program, admin, 3)
    url = reverse("portal:outreach_schedule", args=["bekasi"])
    with django_assert_max_num_queries(12) as small:
        assert client.get(url).status_code == 200
    _events(village_program, admin, 15, start=dt.date(2031, 1, 7))
    _events(kecamatan_program, admin, 5, code_prefix="32.16.0")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert b"Ciantra" in response.content
    program_url = reverse("portal:outreach_program_schedule", args=["bekasi", village_program.slug])
    assert client.get(program_url).status_code == 200


def test_unpublished_and_private_are_not_public(client, village_program, admin):
    (event,) = _events(village_program, admin, 1)
    event.published = False
    event.save()
    url = reverse("portal:outreach_schedule", args=["bekasi"])
    assert b"Ciantra" not in client.get(url).content
    village_program.is_public = False
    village_program.save()
    assert (
        client.get(
            reverse("portal:outreach_program_schedule", args=["bekasi", village_program.slug])
        ).status_code
        == 404
    )


def test_ical_matches_the_events(client, village_program, admin):
    events = _events(village_program, admin, 4, start=_today() + dt.timedelta(days=3))
    response = client.get(reverse("portal:outreach_ical", args=["bekasi", village_program.slug]))
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    items = list(cal.walk("VEVENT"))
    assert len(items) == 4
    by_uid = {str(c["UID"]): c for c in items}
    for event in events:
        item = by_uid[f"outreach-event-{event.pk}@bekasi.balai"]
        start = item.decoded("DTSTART")
        assert start.date() == event.date and start.hour == 9
        assert str(start.tzinfo) == "Asia/Jakarta"
        assert str(item["SUMMARY"]) == f"Botram Masuk Desa: {event.venue.name}"
    again = Calendar.from_ical(
        client.get(reverse("portal:outreach_ical", args=["bekasi", village_program.slug])).content
    )
    assert {str(c["UID"]) for c in again.walk("VEVENT")} == set(by_uid)


def test_poster_pdf(client, village_program, admin, tmp_path):
    _events(village_program, admin, 3, start=dt.date(2030, 7, 2))
    url = reverse("portal:outreach_poster", args=["bekasi", village_program.slug, 2030, 7])
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        (tmp_path / "p.pdf").write_bytes(response.content)
        text = subprocess.run(  # noqa: S603
            ["pdftotext", str(tmp_path / "p.pdf"), "-"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "Juli 2030" in text or "July 2030" in text
        assert "Botram Masuk Desa" in text and "Ciantra" in text
    schedule = reverse("portal:outreach_program_schedule", args=["bekasi", village_program.slug])
    assert qr_codes_in_pdf(response.content) == [f"http://testserver{schedule}"]
    a3 = client.get(url + "?size=a3").content
    assert a3.startswith(b"%PDF") and a3 != response.content
    if shutil.which("pdfinfo"):
        for pdf, size in ((response.content, "595.276 x 841.89"), (a3, "841.89 x 1190.55")):
            (tmp_path / "p.pdf").write_bytes(pdf)
            info = subprocess.run(  # noqa: S603
                ["pdfinfo", str(tmp_path / "p.pdf")],  # noqa: S607
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            assert size in info
    assert (
        client.get(
            reverse("portal:outreach_poster", args=["bekasi", village_program.slug, 2030, 13])
        ).status_code
        == 404
    )


def test_photo_upload_strips_metadata(client, village_program, admin, settings, tmp_path):
    import io

    from PIL import Image

    settings.MEDIA_ROOT = str(tmp_path)
    (event,) = _events(village_program, admin, 1)
    image = Image.new("RGB", (40, 30), "green")
    exif = Image.Exif()
    exif[0x010F] = "Kamera Rahasia"  # Make
    exif[0x8825] = {2: (6, 15, 0)}  # GPS latitude
    raw = io.BytesIO()
    image.save(raw, format="JPEG", exif=exif.tobytes())
    assert b"Kamera Rahasia" in raw.getvalue()
    raw.seek(0)
    raw.name = "foto.jpg"
    client.force_login(admin)
    client.post(
        reverse("staff:outreach_event_photo", args=["bekasi", event.pk]),
        {"image": raw, "caption": "Antrean KTP-el"},
    )
    (photo,) = event.photos.all()
    stored = photo.image.read()
    assert stored.startswith(b"\xff\xd8") and b"Kamera Rahasia" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()
    response = client.get(
        reverse("staff:outreach_event_photo_file", args=["bekasi", event.pk, photo.pk])
    )
    assert response.status_code == 200
    not_image = io.BytesIO(b"just text")
    not_image.name = "x.txt"
    client.post(
        reverse("staff:outreach_event_photo", args=["bekasi", event.pk]), {"image": not_image}
    )
    assert event.photos.count() == 1


def test_staff_calendar_query_count_constant(
    client, village_program, admin, django_assert_max_num_queries
):
    _events(village_program, admin, 3)
    client.force_login(admin)
    url = reverse("staff:outreach_program", args=["bekasi", village_program.slug]) + "?show=all"
    with django_assert_max_num_queries(30) as few:
        assert client.get(url).status_code == 200
    _events(village_program, admin, 30, start=dt.date(2031, 1, 7))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_public_schedule_shows_what_to_bring(client, village_program, admin):
    """Each service offered on an upcoming day, with the requirements of its Standar Pelayanan
    in force (not a draft, not a superseded version)."""
    from balai.catalog.choices import ServiceCategory, StandardStatus
    from balai.catalog.models import Requirement, Service, StandardVersion

    def standard(service, version, status, requirements, effective_from=dt.date(2024, 1, 1)):
        sv = StandardVersion.objects.create(
            service=service,
            version=version,
            status=status,
            effective_from=effective_from,
            procedure="Datang ke loket.",
            processing_time=1,
            processing_unit="working_days",
            product="Dokumen",
            complaints_handling="Lapor ke Balai.",
        )
        for order, (text, mandatory) in enumerate(requirements):
            Requirement.objects.create(standard=sv, order=order, text=text, is_mandatory=mandatory)

    opd = village_program.pemda.opds.order_by("pk").first()
    ktp = Service.objects.create(
        pemda=village_program.pemda,
        code="ktp-el",
        name="Perekaman KTP-el",
        category=ServiceCategory.LETTERS,
        opd=opd,
    )
    standard(ktp, 1, StandardStatus.PUBLISHED, [("Surat pengantar RT lama", True)])
    standard(
        ktp,
        2,
        StandardStatus.PUBLISHED,
        [("Fotokopi Kartu Keluarga", True), ("Pas foto 3x4", False)],
        effective_from=dt.date(2025, 1, 1),
    )
    standard(ktp, 3, StandardStatus.DRAFT, [("Syarat rancangan", True)])
    unlisted = Service.objects.create(
        pemda=village_program.pemda,
        code="akta",
        name="Akta kelahiran",
        category=ServiceCategory.LETTERS,
        opd=opd,
    )
    standard(unlisted, 1, StandardStatus.PUBLISHED, [("Surat keterangan lahir", True)])
    (event,) = _events(village_program, admin, 1, start=_today() + dt.timedelta(days=4))
    event.services.set([ktp])
    response = client.get(
        reverse("portal:outreach_program_schedule", args=["bekasi", village_program.slug])
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f'href="#bawa-{ktp.pk}"' in page and f'id="bawa-{ktp.pk}"' in page
    bring = page.split(f'id="bawa-{ktp.pk}"', 1)[1].split("</details>", 1)[0]
    assert "Perekaman KTP-el" in bring
    assert "<li>Fotokopi Kartu Keluarga</li>" in bring
    assert "Pas foto 3x4 <span" in bring  # optional, marked as such
    assert "Surat pengantar RT lama" not in page  # superseded
    assert "Syarat rancangan" not in page  # a draft
    assert "Surat keterangan lahir" not in page  # not offered that day
    assert [(s.pk, [r.text for r in reqs]) for s, reqs in response.context["bring"]] == [
        (ktp.pk, ["Fotokopi Kartu Keluarga", "Pas foto 3x4"])
    ]
