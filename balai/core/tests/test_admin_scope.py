"""The scoped Django admin writes only what the permission matrix allows.

Every role (with `is_staff`, so it reaches /admin/) posts the add form of one or more kinds of
every app whose admin is a `ScopedAdmin`. A role the matrix does not let change that kind gets
403 and nothing is written; a role it lets change it adds inside its scope, and fails for
another Pemda or outside its OPD/area. Changing and deleting are refused the same way, and a
Pemda admin keeps their own Pemda's weekly working hours (and no other Pemda's).
"""

import datetime as dt

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from balai.accounts.choices import Role
from balai.accounts.models import Membership, User
from balai.catalog.models import Maklumat
from balai.complaints.models import ResponseTemplate
from balai.core.models import AuditLog
from balai.organizations.models import OPD, CalendarDay, Pemda, Unit, WorkingHours
from balai.organizations.services import opd_create, pemda_create
from balai.regions.models import Region, SubVillageUnit
from balai.regions.services import regions_import
from balai.visits.models import AreaPopulation

OWN_AREA, OUTSIDE_AREA = "64.74.02", "64.74.01"


@pytest.fixture
def world(bontang):
    regions_import(only="17.01")
    other = pemda_create(actor=None, region=Region.objects.get(code="17.01"), seat_name="Manna")
    dinkes = OPD.objects.get(pemda=bontang, short_name="Dinkes")
    kecamatan = OPD.objects.get(pemda=bontang, short_name="Kec. Bontang Selatan")
    other_opd = opd_create(
        actor=None, pemda=other, name="Dinas PUPR", short_name="PUPR", kind="dinas"
    )

    def unit(opd, name):
        return Unit.objects.create(pemda=opd.pemda, opd=opd, name=name, kind="upt")

    return {
        "bontang": bontang,
        "other": other,
        "dinkes": dinkes,
        "kecamatan": kecamatan,
        "other_opd": other_opd,
        "units": {
            "dinkes": unit(dinkes, "UPT Puskesmas"),
            "kecamatan": unit(kecamatan, "Kantor Camat"),
            "other": unit(other_opd, "UPT Jalan"),
        },
        "target": User.objects.create_user("calon", password="rahasia-123"),
    }


@pytest.fixture
def staff(world, make_member):
    """staff(role) -> a user with `is_staff` holding the role in Bontang (Dinkes / 64.74.02)."""

    def make(role, pemda=None):
        return make_member(
            pemda or world["bontang"],
            role,
            opd=world["dinkes"] if role in (Role.OPD_HEAD, Role.OPD_STAFF) else None,
            region=Region.objects.get(code=OWN_AREA) if role == Role.AREA_STAFF else None,
            is_staff=True,
        )

    return make


# For each kind: its add URL, which roles may add it (in their own scope), how to count what is
# written, and the form for Bontang (own scope) and for the other Pemda.
CASES = {
    "membership": {
        "url": "/admin/accounts/membership/add/",
        "allowed": {Role.PEMDA_ADMIN},
        "count": lambda w: Membership.objects.filter(user=w["target"]).count(),
        "own": lambda w: {
            "user": w["target"].pk,
            "pemda": w["bontang"].pk,
            "role": Role.PEMDA_ADMIN,
            "is_active": "on",
        },
        "other": lambda w: {
            "user": w["target"].pk,
            "pemda": w["other"].pk,
            "role": Role.PEMDA_ADMIN,
            "is_active": "on",
        },
    },
    "calendarday": {
        "url": "/admin/organizations/calendarday/add/",
        "allowed": {Role.PEMDA_ADMIN},
        "count": lambda w: CalendarDay.objects.count(),
        "own": lambda w: {
            "pemda": w["bontang"].pk,
            "date": "2025-04-23",
            "kind": "closed",
            "name": "Galungan",
        },
        "other": lambda w: {
            "pemda": w["other"].pk,
            "date": "2025-04-23",
            "kind": "closed",
            "name": "Galungan",
        },
    },
    "unit": {
        "url": "/admin/organizations/unit/add/",
        "allowed": {Role.PEMDA_ADMIN, Role.OPD_HEAD},
        "count": lambda w: Unit.objects.count(),
        "own": lambda w: {
            "pemda": w["bontang"].pk,
            "opd": w["dinkes"].pk,
            "name": "UPT Labkesda",
            "kind": "upt",
        },
        "other": lambda w: {
            "pemda": w["other"].pk,
            "opd": w["other_opd"].pk,
            "name": "UPT Labkesda",
            "kind": "upt",
        },
    },
    "workinghours": {
        "url": "/admin/organizations/workinghours/add/",
        "allowed": {Role.PEMDA_ADMIN},
        "count": lambda w: WorkingHours.objects.count(),
        "own": lambda w: {
            "pemda": w["bontang"].pk,
            "weekday": 6,
            "start": "08:00",
            "end": "12:00",
        },
        "other": lambda w: {
            "pemda": w["other"].pk,
            "weekday": 6,
            "start": "08:00",
            "end": "12:00",
        },
    },
    "subvillageunit": {
        "url": "/admin/regions/subvillageunit/add/",
        "allowed": {Role.PEMDA_ADMIN, Role.AREA_STAFF},
        "count": lambda w: SubVillageUnit.objects.count(),
        "own": lambda w: {
            "pemda": w["bontang"].pk,
            "village": f"{OWN_AREA}.1001",
            "kind": "rt",
            "name": "009",
        },
        "other": lambda w: {
            "pemda": w["other"].pk,
            "village": "17.01.01.2001",
            "kind": "rt",
            "name": "009",
        },
    },
    "responsetemplate": {
        "url": "/admin/complaints/responsetemplate/add/",
        "allowed": {Role.PEMDA_ADMIN, Role.OPERATOR},
        "count": lambda w: ResponseTemplate.objects.count(),
        "own": lambda w: {"pemda": w["bontang"].pk, "title": "Terima kasih", "text": "..."},
        "other": lambda w: {"pemda": w["other"].pk, "title": "Terima kasih", "text": "..."},
    },
    "areapopulation": {
        "url": "/admin/visits/areapopulation/add/",
        "allowed": {Role.PEMDA_ADMIN},
        "count": lambda w: AreaPopulation.objects.count(),
        "own": lambda w: {
            "pemda": w["bontang"].pk,
            "region": OWN_AREA,
            "population": 1000,
            "year": 2024,
        },
        "other": lambda w: {
            "pemda": w["other"].pk,
            "region": "17.01.01",
            "population": 1000,
            "year": 2024,
        },
    },
    "maklumat": {
        "url": "/admin/catalog/maklumat/add/",
        "allowed": {Role.PEMDA_ADMIN, Role.OPD_HEAD},
        "count": lambda w: Maklumat.objects.count(),
        "own": lambda w: {
            "unit": w["units"]["dinkes"].pk,
            "text": "Kami sanggup",
            "signed_by": "Kepala",
            "effective_from": "2025-01-01",
        },
        "other": lambda w: {
            "unit": w["units"]["other"].pk,
            "text": "Kami sanggup",
            "signed_by": "Kepala",
            "effective_from": "2025-01-01",
        },
    },
}


def test_every_kind_the_matrix_lets_someone_change_is_tested_here():
    """A guard for this file: the allowed roles above are the matrix's, not guesses."""
    from balai.core import permissions

    kinds = {
        "membership": "membership",
        "calendarday": "calendar",
        "unit": "unit",
        "workinghours": "working_hours",
        "subvillageunit": "subvillage",
        "responsetemplate": "response_template",
        "areapopulation": "area_population",
        "maklumat": "maklumat",
    }
    for case, kind in kinds.items():
        changing = {
            role
            for role, (_view, change) in permissions.RULES[kind].items()
            if change is not permissions.Scope.NONE
        }
        assert changing == CASES[case]["allowed"], case


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("role", list(Role))
def test_adding_in_the_admin_follows_the_matrix(client, world, staff, role, case):
    spec = CASES[case]
    client.force_login(staff(role))
    before = spec["count"](world)

    response = client.post(spec["url"], spec["own"](world))

    if role in spec["allowed"]:
        assert response.status_code == 302, (role, case, response.content[:2000])
        assert spec["count"](world) == before + 1, (role, case)
    else:
        assert response.status_code == 403, (role, case)
        assert spec["count"](world) == before, (role, case)
        assert client.get(spec["url"]).status_code == 403, (role, case)


@pytest.mark.parametrize("case", list(CASES))
def test_the_allowed_roles_cannot_add_for_another_pemda(client, world, staff, case):
    spec = CASES[case]
    for role in spec["allowed"]:
        client.force_login(staff(role))
        before = spec["count"](world)
        response = client.post(spec["url"], spec["other"](world))
        assert response.status_code in (200, 403), (role, case)  # form error or refused
        assert spec["count"](world) == before, (role, case)


@pytest.mark.parametrize("role", list(Role))
def test_no_role_adds_audit_rows(client, staff, role):
    client.force_login(staff(role))
    before = AuditLog.objects.count()
    assert client.post("/admin/core/auditlog/add/", {"action": "x"}).status_code == 403
    assert AuditLog.objects.count() == before


def test_an_opd_head_granting_themselves_pemda_admin_is_refused(client, world, staff):
    """The audit's probe: an OPD head with is_staff posts a membership for themselves."""
    head = staff(Role.OPD_HEAD)
    client.force_login(head)
    data = {"user": head.pk, "pemda": world["bontang"].pk, "role": "pemda_admin", "is_active": "on"}
    assert client.post("/admin/accounts/membership/add/", data).status_code == 403
    assert list(head.memberships.values_list("role", flat=True)) == [Role.OPD_HEAD]


def test_a_new_object_outside_the_roles_opd_or_area_is_refused(client, world, staff):
    """The form accepts these (same Pemda); the check on the object itself refuses them."""
    client.force_login(staff(Role.OPD_HEAD))
    units = Unit.objects.count()
    response = client.post(
        "/admin/organizations/unit/add/",
        {"pemda": world["bontang"].pk, "opd": world["kecamatan"].pk, "name": "X", "kind": "upt"},
    )
    assert response.status_code == 403
    assert Unit.objects.count() == units
    maklumat = {"text": "t", "signed_by": "s", "effective_from": "2025-01-01"}
    maklumat["unit"] = world["units"]["kecamatan"].pk
    assert client.post("/admin/catalog/maklumat/add/", maklumat).status_code == 403
    assert not Maklumat.objects.exists()

    client.force_login(staff(Role.AREA_STAFF))
    response = client.post(
        "/admin/regions/subvillageunit/add/",
        {
            "pemda": world["bontang"].pk,
            "village": f"{OUTSIDE_AREA}.1001",
            "kind": "rt",
            "name": "001",
        },
    )
    assert response.status_code == 403
    assert not SubVillageUnit.objects.exists()


def test_a_pemda_admin_grants_roles_only_inside_their_pemda(client, world, staff):
    client.force_login(staff(Role.PEMDA_ADMIN))
    url = "/admin/accounts/membership/add/"
    target = world["target"]
    base = {"user": target.pk, "pemda": world["bontang"].pk, "is_active": "on"}
    # An OPD of another Pemda, typed in as an id, under their own Pemda.
    response = client.post(url, base | {"role": "opd_head", "opd": world["other_opd"].pk})
    assert response.status_code == 403
    # An area of another Pemda.
    response = client.post(url, base | {"role": "area_staff", "region": "17.01.01"})
    assert response.status_code == 403
    assert not target.memberships.exists()
    # Their own OPD and area are fine.
    response = client.post(url, base | {"role": "opd_head", "opd": world["dinkes"].pk})
    assert response.status_code == 302
    response = client.post(url, base | {"role": "area_staff", "region": OWN_AREA})
    assert response.status_code == 302
    assert target.memberships.count() == 2


def test_the_object_is_checked_again_when_saved_whatever_the_form_offered(world, staff):
    """save_model / delete_model refuse an object of another Pemda even past the form."""
    admin_user = staff(Role.PEMDA_ADMIN)
    request = RequestFactory().post("/")
    request.user = admin_user
    membership_admin = site._registry[Membership]
    foreign = Membership(user=world["target"], pemda=world["other"], role=Role.PEMDA_ADMIN)
    with pytest.raises(PermissionDenied):
        membership_admin.save_model(request, foreign, form=None, change=False)
    assert not Membership.objects.filter(user=world["target"]).exists()

    day = CalendarDay.objects.create(
        pemda=world["other"], date="2025-04-23", kind="closed", name="Galungan"
    )
    with pytest.raises(PermissionDenied):
        site._registry[CalendarDay].delete_model(request, day)
    with pytest.raises(PermissionDenied):
        site._registry[CalendarDay].delete_queryset(request, CalendarDay.objects.all())
    assert CalendarDay.objects.filter(pk=day.pk).exists()


def test_a_pemda_admin_in_one_pemda_and_staff_in_another_adds_only_in_the_first(
    client, world, make_member
):
    user = make_member(world["bontang"], Role.PEMDA_ADMIN, is_staff=True)
    Membership.objects.create(
        user=user, pemda=world["other"], role=Role.OPD_STAFF, opd=world["other_opd"]
    )
    client.force_login(user)
    spec = CASES["calendarday"]
    response = client.post(spec["url"], spec["other"](world))
    assert response.status_code in (200, 403)
    assert not CalendarDay.objects.filter(pemda=world["other"]).exists()
    assert client.post(spec["url"], spec["own"](world)).status_code == 302


@pytest.mark.parametrize("role", [r for r in Role if r != Role.PEMDA_ADMIN])
def test_changing_and_deleting_are_refused_below_the_matrix(client, world, staff, role):
    user = staff(role)
    day = CalendarDay.objects.create(
        pemda=world["bontang"], date="2025-04-23", kind="closed", name="Galungan"
    )
    colleague = Membership.objects.create(
        user=world["target"], pemda=world["bontang"], role=Role.OPD_STAFF, opd=world["dinkes"]
    )
    client.force_login(user)

    change = client.post(
        f"/admin/organizations/calendarday/{day.pk}/change/",
        {"pemda": world["bontang"].pk, "date": "2025-04-24", "kind": "open", "name": "X"},
    )
    assert change.status_code == 403
    assert client.post(f"/admin/organizations/calendarday/{day.pk}/delete/", {"post": "yes"})
    day.refresh_from_db()
    assert (day.date, day.name) == (dt.date(2025, 4, 23), "Galungan")
    client.post(
        "/admin/organizations/calendarday/",
        {"action": "delete_selected", "_selected_action": [day.pk], "post": "yes"},
    )
    assert CalendarDay.objects.filter(pk=day.pk).exists()

    # An OPD head sees the memberships of their OPD, and changes none of them.
    response = client.post(
        f"/admin/accounts/membership/{colleague.pk}/change/",
        {
            "user": user.pk,
            "pemda": world["bontang"].pk,
            "role": "pemda_admin",
            "is_active": "on",
        },
    )
    assert response.status_code in (302, 403)  # refused, or not even visible to the role
    colleague.refresh_from_db()
    assert (colleague.user, colleague.role) == (world["target"], Role.OPD_STAFF)
    assert client.post(f"/admin/accounts/membership/{colleague.pk}/delete/", {"post": "yes"})
    assert Membership.objects.filter(pk=colleague.pk).exists()


def test_another_pemdas_admin_changes_and_deletes_nothing_here(client, world, staff):
    day = CalendarDay.objects.create(
        pemda=world["bontang"], date="2025-04-23", kind="closed", name="Galungan"
    )
    client.force_login(staff(Role.PEMDA_ADMIN, pemda=world["other"]))
    client.post(
        f"/admin/organizations/calendarday/{day.pk}/change/",
        {"pemda": world["other"].pk, "date": "2025-04-24", "kind": "open", "name": "X"},
    )
    client.post(f"/admin/organizations/calendarday/{day.pk}/delete/", {"post": "yes"})
    day.refresh_from_db()
    assert (day.pemda, day.name) == (world["bontang"], "Galungan")


# Weekly working hours


def _form_data(response) -> dict:
    """What the browser would post back from an admin change page, unchanged."""

    def put(data, form):
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif value is None:
                data[key] = ""
            elif isinstance(value, dt.time):
                data[key] = value.strftime("%H:%M")
            elif isinstance(value, dt.date):
                data[key] = value.isoformat()
            elif hasattr(value, "pk"):
                data[key] = value.pk
            else:
                data[key] = value

    data: dict = {}
    put(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        put(data, formset.management_form)
        for form in formset.initial_forms:
            put(data, form)
    return data


def test_a_pemda_admin_edits_their_pemdas_weekly_hours_on_its_page(client, world, staff):
    bontang = world["bontang"]
    client.force_login(staff(Role.PEMDA_ADMIN))
    url = f"/admin/organizations/pemda/{bontang.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="working_hours-TOTAL_FORMS"' in html
    assert 'name="_save"' in html

    data = _form_data(page)
    monday = WorkingHours.objects.filter(pemda=bontang, weekday=0).order_by("start").last()
    index = next(
        i
        for i in range(int(data["working_hours-TOTAL_FORMS"]))
        if str(data[f"working_hours-{i}-id"]) == str(monday.pk)
    )
    data[f"working_hours-{index}-end"] = "15:30"
    response = client.post(url, data)
    assert response.status_code == 302, response.context and [
        f.errors for f in response.context["inline_admin_formsets"][0].formset
    ]
    monday.refresh_from_db()
    assert monday.end == dt.time(15, 30)


def test_a_pemda_admin_edits_weekly_hours_in_their_own_list(client, world, staff):
    bontang = world["bontang"]
    hours = WorkingHours.objects.filter(pemda=bontang).first()
    client.force_login(staff(Role.PEMDA_ADMIN))
    changelist = client.get("/admin/organizations/workinghours/")
    assert changelist.status_code == 200
    response = client.post(
        f"/admin/organizations/workinghours/{hours.pk}/change/",
        {"pemda": bontang.pk, "weekday": hours.weekday, "start": "07:30", "end": "15:00"},
    )
    assert response.status_code == 302
    hours.refresh_from_db()
    assert (hours.start, hours.end) == (dt.time(7, 30), dt.time(15))


def test_another_pemdas_admin_cannot_touch_these_hours(client, world, staff):
    bontang = world["bontang"]
    hours = WorkingHours.objects.filter(pemda=bontang).first()
    before = (hours.start, hours.end)
    client.force_login(staff(Role.PEMDA_ADMIN, pemda=world["other"]))

    page = client.get(f"/admin/organizations/pemda/{bontang.pk}/change/")
    assert page.status_code == 302  # not theirs: not even listed
    assert b"Bontang" not in client.get("/admin/organizations/pemda/").content
    client.post(
        f"/admin/organizations/workinghours/{hours.pk}/change/",
        {"pemda": bontang.pk, "weekday": hours.weekday, "start": "01:00", "end": "02:00"},
    )
    client.post(f"/admin/organizations/workinghours/{hours.pk}/delete/", {"post": "yes"})
    hours.refresh_from_db()
    assert (hours.start, hours.end) == before
    # Their own Pemda's page has the hours, editable.
    own = client.get(f"/admin/organizations/pemda/{world['other'].pk}/change/")
    assert 'name="working_hours-TOTAL_FORMS"' in own.content.decode()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.PEMDA_ADMIN])
def test_other_roles_see_the_hours_but_do_not_change_them(client, world, staff, role):
    bontang = world["bontang"]
    hours = WorkingHours.objects.filter(pemda=bontang).first()
    before = (hours.start, hours.end)
    client.force_login(staff(role))
    page = client.get(f"/admin/organizations/pemda/{bontang.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    response = client.post(
        f"/admin/organizations/workinghours/{hours.pk}/change/",
        {"pemda": bontang.pk, "weekday": hours.weekday, "start": "01:00", "end": "02:00"},
    )
    assert response.status_code == 403
    response = client.post(f"/admin/organizations/pemda/{bontang.pk}/change/", {"name": "X"})
    assert response.status_code == 403
    hours.refresh_from_db()
    assert (hours.start, hours.end) == before
    assert Pemda.objects.get(pk=bontang.pk).name != "X"


def test_a_pemda_admin_cannot_change_what_makes_the_tenant(client, world, staff):
    """Name and seat are the Pemda's to keep; region, slug, time zone, active and demo flags are
    the installation's: posted values for them are ignored."""
    bontang = world["bontang"]
    before = (bontang.region_id, bontang.slug, bontang.timezone, bontang.is_active)
    client.force_login(staff(Role.PEMDA_ADMIN))
    url = f"/admin/organizations/pemda/{bontang.pk}/change/"
    page = client.get(url)
    html = page.content.decode()
    for field in ("slug", "timezone", "is_active", "region"):
        assert f'name="{field}"' not in html  # shown read-only, not as inputs
    data = _form_data(page)
    data.update(
        name="Kota Bontang (Pemkot)",
        slug="diambil-alih",
        timezone="Asia/Jayapura",
        is_active="",
        region=world["other"].region_id,
    )
    response = client.post(url, data)
    assert response.status_code == 302
    bontang.refresh_from_db()
    assert bontang.name == "Kota Bontang (Pemkot)"
    assert (bontang.region_id, bontang.slug, bontang.timezone, bontang.is_active) == before
