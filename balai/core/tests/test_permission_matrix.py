"""Every role x every kind of object: may the role see it, change it, or neither?

The expectations below are written out by hand from the roles' descriptions (issue #2), not
derived from `balai.core.permissions.RULES`, so a wrong rule fails here.
"""

import pytest
from django.utils import timezone

from balai.accounts.choices import Role
from balai.accounts.models import Membership
from balai.catalog.models import Maklumat, Service, StandardVersion
from balai.complaints.models import Category, Complaint, ComplaintSettings, ResponseTemplate
from balai.core import permissions
from balai.core.audit import audit_record
from balai.core.models import AuditLog
from balai.organizations.models import OPD, CalendarDay, ServicePoint, Unit, WorkingHours
from balai.organizations.services import opd_create, pemda_create
from balai.regions.models import Region, SubVillageUnit
from balai.regions.services import regions_import
from balai.service_requests.models import ServiceRequest
from balai.visits.models import AreaPopulation, SurveyResponse, UptakeSettings, Visit

CHANGE, SEE, NEITHER = "change", "see", "-"

# EXPECTED[role][kind] = (object in the role's own scope, another object of the same Pemda)
EXPECTED = {
    Role.PEMDA_ADMIN: {
        "pemda": (CHANGE, None),
        "opd": (CHANGE, CHANGE),
        "unit": (CHANGE, CHANGE),
        "calendar": (CHANGE, None),
        "working_hours": (CHANGE, None),
        "subvillage": (CHANGE, CHANGE),
        "membership": (CHANGE, CHANGE),
        "complaint": (CHANGE, CHANGE),
        "category": (CHANGE, CHANGE),
        "complaint_settings": (CHANGE, None),
        "response_template": (CHANGE, None),
        "service": (CHANGE, CHANGE),
        "standard": (CHANGE, CHANGE),
        "maklumat": (CHANGE, CHANGE),
        "service_point": (CHANGE, CHANGE),
        "service_request": (CHANGE, CHANGE),
        "visit": (CHANGE, CHANGE),
        "survey_response": (CHANGE, CHANGE),
        "area_population": (CHANGE, CHANGE),
        "uptake_settings": (CHANGE, None),
        "audit": (SEE, None),
    },
    Role.LEADERSHIP: {
        "pemda": (SEE, None),
        "opd": (SEE, SEE),
        "unit": (SEE, SEE),
        "calendar": (SEE, None),
        "working_hours": (SEE, None),
        "subvillage": (SEE, SEE),
        "membership": (NEITHER, NEITHER),
        "complaint": (SEE, SEE),
        "category": (SEE, SEE),
        "complaint_settings": (SEE, None),
        "response_template": (NEITHER, None),
        "service": (SEE, SEE),
        "standard": (SEE, SEE),
        "maklumat": (SEE, SEE),
        "service_point": (SEE, SEE),
        "service_request": (SEE, SEE),
        "visit": (SEE, SEE),
        "survey_response": (SEE, SEE),
        "area_population": (SEE, SEE),
        "uptake_settings": (SEE, None),
        "audit": (NEITHER, None),
    },
    Role.OPD_HEAD: {
        "pemda": (SEE, None),
        "opd": (CHANGE, SEE),
        "unit": (CHANGE, NEITHER),
        "calendar": (SEE, None),
        "working_hours": (SEE, None),
        "subvillage": (SEE, SEE),
        "membership": (SEE, NEITHER),
        "complaint": (CHANGE, NEITHER),
        "category": (SEE, SEE),
        "complaint_settings": (SEE, None),
        "response_template": (SEE, None),
        "service": (CHANGE, SEE),
        "standard": (CHANGE, SEE),
        "maklumat": (CHANGE, SEE),
        "service_point": (SEE, SEE),
        "service_request": (SEE, NEITHER),
        "visit": (SEE, NEITHER),
        "survey_response": (CHANGE, NEITHER),
        "area_population": (SEE, SEE),
        "uptake_settings": (NEITHER, None),
        "audit": (NEITHER, None),
    },
    Role.OPD_STAFF: {
        "pemda": (SEE, None),
        "opd": (SEE, SEE),
        "unit": (SEE, NEITHER),
        "calendar": (SEE, None),
        "working_hours": (SEE, None),
        "subvillage": (SEE, SEE),
        "membership": (NEITHER, NEITHER),
        "complaint": (CHANGE, NEITHER),
        "category": (SEE, SEE),
        "complaint_settings": (SEE, None),
        "response_template": (SEE, None),
        "service": (SEE, SEE),
        "standard": (SEE, SEE),
        "maklumat": (SEE, SEE),
        "service_point": (SEE, SEE),
        "service_request": (SEE, NEITHER),
        "visit": (SEE, NEITHER),
        "survey_response": (CHANGE, NEITHER),
        "area_population": (SEE, SEE),
        "uptake_settings": (NEITHER, None),
        "audit": (NEITHER, None),
    },
    Role.AREA_STAFF: {
        "pemda": (SEE, None),
        "opd": (SEE, SEE),
        "unit": (SEE, NEITHER),
        "calendar": (SEE, None),
        "working_hours": (SEE, None),
        "subvillage": (CHANGE, NEITHER),
        "membership": (NEITHER, NEITHER),
        "complaint": (SEE, NEITHER),
        "category": (SEE, SEE),
        "complaint_settings": (NEITHER, None),
        "response_template": (NEITHER, None),
        "service": (SEE, SEE),
        "standard": (SEE, SEE),
        "maklumat": (SEE, SEE),
        "service_point": (CHANGE, SEE),
        "service_request": (CHANGE, NEITHER),
        "visit": (CHANGE, NEITHER),
        "survey_response": (CHANGE, NEITHER),
        "area_population": (SEE, SEE),
        "uptake_settings": (NEITHER, None),
        "audit": (NEITHER, None),
    },
    Role.OPERATOR: {
        "pemda": (SEE, None),
        "opd": (SEE, SEE),
        "unit": (SEE, SEE),
        "calendar": (SEE, None),
        "working_hours": (SEE, None),
        "subvillage": (SEE, SEE),
        "membership": (NEITHER, NEITHER),
        "complaint": (CHANGE, CHANGE),
        "category": (SEE, SEE),
        "complaint_settings": (SEE, None),
        "response_template": (CHANGE, None),
        "service": (SEE, SEE),
        "standard": (SEE, SEE),
        "maklumat": (SEE, SEE),
        "service_point": (SEE, SEE),
        "service_request": (NEITHER, NEITHER),
        "visit": (NEITHER, NEITHER),
        "survey_response": (NEITHER, NEITHER),
        "area_population": (SEE, SEE),
        "uptake_settings": (NEITHER, None),
        "audit": (NEITHER, None),
    },
    Role.EVENT_STAFF: {
        "pemda": (SEE, None),
        "opd": (SEE, SEE),
        "unit": (SEE, SEE),
        "calendar": (SEE, None),
        "working_hours": (SEE, None),
        "subvillage": (SEE, SEE),
        "membership": (NEITHER, NEITHER),
        "complaint": (NEITHER, NEITHER),
        "category": (SEE, SEE),
        "complaint_settings": (NEITHER, None),
        "response_template": (NEITHER, None),
        "service": (SEE, SEE),
        "standard": (SEE, SEE),
        "maklumat": (SEE, SEE),
        "service_point": (SEE, SEE),
        "service_request": (CHANGE, CHANGE),
        "visit": (CHANGE, CHANGE),
        "survey_response": (CHANGE, CHANGE),
        "area_population": (SEE, SEE),
        "uptake_settings": (NEITHER, None),
        "audit": (NEITHER, None),
    },
}


def test_every_role_and_every_kind_has_an_expectation():
    assert set(EXPECTED) == set(Role.values)
    for kinds in EXPECTED.values():
        assert set(kinds) == set(permissions.KINDS)


def decision(user, obj) -> str:
    if permissions.can_change(user, obj):
        assert permissions.can_view(user, obj), "whoever may change may also see"
        return CHANGE
    return SEE if permissions.can_view(user, obj) else NEITHER


def listed(user, obj) -> str:
    model = type(obj)
    if permissions.changeable(user, model.objects.filter(pk=obj.pk)).exists():
        return CHANGE
    return SEE if permissions.visible(user, model.objects.filter(pk=obj.pk)).exists() else NEITHER


@pytest.fixture
def world(bontang, make_member):
    """Objects of Kota Bontang inside and outside one OPD/area, and a second Pemda."""
    regions_import(only="17.01")
    other = pemda_create(actor=None, region=Region.objects.get(code="17.01"), seat_name="Manna")
    dinkes = OPD.objects.get(pemda=bontang, short_name="Dinkes")
    kecamatan = OPD.objects.get(pemda=bontang, short_name="Kec. Bontang Selatan")
    other_opd = opd_create(
        actor=None, pemda=other, name="Dinas PUPR", short_name="PUPR", kind="dinas"
    )
    colleague = make_member(bontang, Role.OPD_STAFF, opd=dinkes)
    outsider = make_member(bontang, Role.OPD_STAFF, opd=kecamatan)
    foreign = make_member(other, Role.OPD_STAFF, opd=other_opd)
    inside, outside = "64.74.02.1001", "64.74.01.1001"
    audit_record(actor=None, action="test", target=dinkes)
    audit_record(actor=None, action="test", target=other_opd)

    def unit(opd, region):
        return Unit.objects.create(
            pemda=opd.pemda, opd=opd, name=f"Unit {region}", kind="upt", region_id=region
        )

    def rt(pemda, region):
        return SubVillageUnit.objects.create(pemda=pemda, village_id=region, kind="rt", name="001")

    def day(pemda):
        return CalendarDay.objects.create(
            pemda=pemda, date="2025-04-23", kind="closed", name="Galungan"
        )

    def complaint(pemda, opd, region):
        return Complaint.objects.create(
            pemda=pemda,
            opd=opd,
            region_id=region,
            channel="portal",
            description="Jalan rusak",
            received_at=timezone.now(),
        )

    def category(pemda, opd, code):
        return Category.objects.create(pemda=pemda, code=code, name=code, default_opd=opd)

    def service(opd, code):
        return Service.objects.create(
            pemda=opd.pemda, opd=opd, code=code, name=code, category="lainnya"
        )

    def standard(service):
        return StandardVersion.objects.create(
            service=service,
            version=1,
            effective_from="2025-01-01",
            procedure="p",
            processing_time=1,
            processing_unit="working_days",
            product="p",
            complaints_handling="p",
        )

    def maklumat(unit):
        return Maklumat.objects.create(
            unit=unit, text="Kami sanggup", signed_by="Kepala", effective_from="2025-01-01"
        )

    def point(pemda, region):
        return ServicePoint.objects.create(
            pemda=pemda, slug=f"kantor-{region}", name=region, kind="kantor_desa", region_id=region
        )

    def service_request(service, region):
        place = ServicePoint.objects.create(
            pemda=service.pemda,
            slug=f"permohonan-{region}",
            name=region,
            kind="kantor_desa",
            region_id=region,
        )
        return ServiceRequest.objects.create(
            pemda=service.pemda,
            service=service,
            standard=StandardVersion.objects.get(service=service),
            point=place,
            channel="counter",
            submitted_at=timezone.now(),
        )

    units = (unit(dinkes, inside), unit(kecamatan, outside), unit(other_opd, "17.01.01.2001"))

    def logbook(unit, region):
        place = ServicePoint.objects.create(
            pemda=unit.pemda,
            unit=unit,
            slug=f"loket-{region}",
            name=region,
            kind="mpp",
            region_id=region,
        )
        now = timezone.now()
        scores = {f"u{i}": 3 for i in range(1, 10)}
        return (
            Visit.objects.create(
                pemda=unit.pemda, point=place, visited_at=now, occupation="nelayan"
            ),
            SurveyResponse.objects.create(
                pemda=unit.pemda, point=place, unit=unit, channel="qr", answered_at=now, **scores
            ),
            AreaPopulation.objects.create(
                pemda=unit.pemda, region_id=region, population=1000, year=2024
            ),
        )

    logbooks = [logbook(u, u.region_id) for u in units]
    services = (service(dinkes, "a"), service(kecamatan, "b"), service(other_opd, "c"))
    return {
        "visit": tuple(row[0] for row in logbooks),
        "survey_response": tuple(row[1] for row in logbooks),
        "area_population": tuple(row[2] for row in logbooks),
        "uptake_settings": (
            UptakeSettings.objects.create(pemda=bontang),
            None,
            UptakeSettings.objects.create(pemda=other),
        ),
        "service": services,
        "standard": tuple(standard(s) for s in services),
        # After the standards, which a request needs: own OPD and area, neither, other Pemda.
        "service_request": tuple(
            service_request(s, region)
            for s, region in zip(services, (inside, outside, "17.01.01.2001"), strict=True)
        ),
        "maklumat": tuple(maklumat(u) for u in units),
        "service_point": (
            point(bontang, inside),
            point(bontang, outside),
            point(other, "17.01.01.2001"),
        ),
        "complaint": (
            complaint(bontang, dinkes, inside),
            complaint(bontang, kecamatan, outside),
            complaint(other, other_opd, "17.01.01.2001"),
        ),
        "category": (
            category(bontang, dinkes, "a"),
            category(bontang, kecamatan, "b"),
            category(other, other_opd, "c"),
        ),
        "complaint_settings": (
            ComplaintSettings.objects.create(pemda=bontang),
            None,
            ComplaintSettings.objects.create(pemda=other),
        ),
        "response_template": (
            ResponseTemplate.objects.create(pemda=bontang, title="t", text="t"),
            None,
            ResponseTemplate.objects.create(pemda=other, title="t", text="t"),
        ),
        "scope": {"opd": dinkes, "region": Region.objects.get(code="64.74.02")},
        "pemda": (bontang, None, other),
        "opd": (dinkes, kecamatan, other_opd),
        "unit": units,
        "calendar": (day(bontang), None, day(other)),
        "working_hours": (
            WorkingHours.objects.filter(pemda=bontang).first(),
            None,
            WorkingHours.objects.filter(pemda=other).first(),
        ),
        "subvillage": (rt(bontang, inside), rt(bontang, outside), rt(other, "17.01.01.2001")),
        "membership": tuple(Membership.objects.get(user=u) for u in (colleague, outsider, foreign)),
        "audit": (
            AuditLog.objects.get(pemda=bontang, action="test"),
            None,
            AuditLog.objects.get(pemda=other, action="test"),
        ),
    }


@pytest.mark.parametrize("role", list(Role))
def test_permission_matrix(world, make_member, bontang, role):
    scope = world["scope"]
    user = make_member(
        bontang,
        role,
        opd=scope["opd"] if role in (Role.OPD_HEAD, Role.OPD_STAFF) else None,
        region=scope["region"] if role == Role.AREA_STAFF else None,
    )
    for kind, (own_expected, elsewhere_expected) in EXPECTED[role].items():
        own, elsewhere, other_pemda = world[kind]
        assert decision(user, own) == own_expected, (role, kind, "own")
        assert listed(user, own) == own_expected, (role, kind, "own, as a list")
        if elsewhere is not None:
            assert decision(user, elsewhere) == elsewhere_expected, (role, kind, "elsewhere")
            assert listed(user, elsewhere) == elsewhere_expected, (role, kind, "elsewhere, list")
        assert decision(user, other_pemda) == NEITHER, (role, kind, "other Pemda")
        assert listed(user, other_pemda) == NEITHER, (role, kind, "other Pemda, as a list")


def test_anonymous_and_inactive_users_get_nothing(world, make_member, bontang):
    from django.contrib.auth.models import AnonymousUser

    admin = make_member(bontang, Role.PEMDA_ADMIN)
    admin.is_active = False
    for obj in (world["opd"][0], world["pemda"][0]):
        assert decision(AnonymousUser(), obj) == NEITHER
        assert decision(admin, obj) == NEITHER


def test_superuser_may_change_everything(world, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    assert decision(root, world["opd"][2]) == CHANGE
    assert listed(root, world["membership"][2]) == CHANGE
