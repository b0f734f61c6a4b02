"""Contacts from a spreadsheet: line-numbered errors, all or nothing."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from balai.announcements.imports import ContactImportError, contacts_import
from balai.announcements.models import Contact

from .conftest import TLI

pytestmark = pytest.mark.django_db

HEADER = "kode_wilayah,rw,rt,peran,nama,telepon,email,kanal\n"


def _run(bontang, text: str, name="kontak.csv"):
    return contacts_import(
        actor=None, pemda=bontang, data=text.encode(), name=name, consent_method="written"
    )


def test_a_good_csv_is_imported(bontang, rts):
    result = _run(
        bontang,
        HEADER
        + f"{TLI},001,1,ketua_rt,Pak Amir,0812-1111-0001,,\n"
        + f"{TLI},,,Lurah / kepala desa,Ibu Sari,,sari@example.com,email\n",
    )
    assert result.created == 2
    amir = Contact.objects.get(name="Pak Amir")
    assert amir.unit == rts["tli"][0] and amir.phone == "+6281211110001"
    assert amir.channel == "whatsapp" and amir.consent_method == "written"
    assert Contact.objects.get(name="Ibu Sari").region_id == TLI


def test_errors_are_reported_by_line_and_nothing_is_written(bontang, rts):
    text = (
        HEADER
        + f"{TLI},001,1,ketua_rt,Pak Amir,0812-1111-0001,,\n"  # good
        + "99.99.99.9999,,,ketua_rt,X,0812-1111-0002,,\n"  # line 3: unknown area
        + f"{TLI},,9,ketua_rt,Y,0812-1111-0003,,\n"  # line 4: no RT 9
        + f"{TLI},,,bendahara,Z,0812-1111-0004,,\n"  # line 5: unknown role
        + f"{TLI},,,tokoh,W,12,,\n"  # line 6: bad number
        + f"{TLI},,,tokoh,V,0812-1111-0001,,\n"  # line 7: same number as line 2
    )
    with pytest.raises(ContactImportError) as info:
        _run(bontang, text)
    assert [line for line, _message in info.value.errors] == [3, 4, 5, 6, 7]
    assert "9" in info.value.errors[1][1]
    assert not Contact.objects.exists()


def test_xlsx_and_the_import_page(client, bontang, rts, admin):
    book = Workbook()
    sheet = book.active
    sheet.append(["Kode_Wilayah", "RT", "Peran", "Nama", "Telepon"])
    sheet.append([TLI, "002", "Ketua RT", "Pak Budi", "081211110002"])
    sheet.append([TLI, "004", "Ketua RT", "Pak Cecep", "081211110003"])
    out = io.BytesIO()
    book.save(out)
    client.force_login(admin)
    url = reverse("staff:contact_import", args=["bontang"])
    upload = io.BytesIO(out.getvalue())
    upload.name = "kontak.xlsx"
    response = client.post(url, {"file": upload, "consent_method": "written"})
    assert response.status_code == 200 and response.context["errors"][0][0] == 3
    assert not Contact.objects.exists()
    book.active.delete_rows(3)
    out = io.BytesIO()
    book.save(out)
    upload = io.BytesIO(out.getvalue())
    upload.name = "kontak.xlsx"
    response = client.post(url, {"file": upload, "consent_method": "written"})
    assert response.status_code == 302
    assert Contact.objects.get().unit == rts["tli"][1]
