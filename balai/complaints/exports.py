"""CSV and XLSX exports of complaints and their evaluation. Never any reporter identity."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from .choices import Channel, PauseReason
from .evaluation import ComplaintEvaluation

COLUMNS = [
    ("tracking_code", "Kode"),
    ("received_at", "Diterima"),
    ("channel", "Kanal"),
    ("category", "Kategori"),
    ("opd", "OPD"),
    ("kecamatan", "Kecamatan"),
    ("status", "Status"),
    ("first_response_at", "Tanggapan pertama"),
    ("response_hours", "Jam sampai tanggapan"),
    ("resolved_at", "Selesai"),
    ("pause_reason", "Alasan tunda"),
]


def complaint_rows(queryset, tz) -> list[list]:
    """One row per complaint, without any personal data (no name, phone, e-mail, description)."""
    rows = []
    for c in queryset.select_related("category", "opd", "region__parent").order_by("received_at"):
        hours = (
            round((c.first_response_at - c.received_at).total_seconds() / 3600, 2)
            if c.first_response_at
            else None
        )
        kecamatan = ""
        if c.region is not None:
            kecamatan = c.region.parent.name if c.region.level == 4 else c.region.name
        rows.append(
            [
                c.tracking_code,
                c.received_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                str(c.get_channel_display()),
                c.category.name if c.category else "",
                c.opd.short_name if c.opd else "",
                kecamatan,
                str(c.get_status_display()),
                c.first_response_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
                if c.first_response_at
                else "",
                hours,
                c.resolved_at.astimezone(tz).strftime("%Y-%m-%d %H:%M") if c.resolved_at else "",
                str(c.get_pause_reason_display()) if c.pause_reason else "",
            ]
        )
    return rows


def complaints_csv(queryset, tz) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([label for _key, label in COLUMNS])
    writer.writerows(complaint_rows(queryset, tz))
    return out.getvalue()


def evaluation_xlsx(evaluation: ComplaintEvaluation, queryset, tz, *, title: str) -> bytes:
    book = Workbook()
    summary = book.active
    summary.title = "Ringkasan"
    summary.append([title])
    summary.append([evaluation.summary()])
    summary.append([])
    for label, value in [
        ("Periode", f"{evaluation.start:%Y-%m-%d} s.d. {evaluation.end:%Y-%m-%d} (tidak termasuk)"),
        ("Aduan diterima", evaluation.received),
        ("Aduan ditangani (tanpa ditolak/diteruskan)", evaluation.handled),
        ("Sudah ditanggapi", evaluation.responded),
        ("Ditanggapi dalam 24 jam", evaluation.responded_within_24h),
        ("Median jam sampai tanggapan", evaluation.median_response_hours),
        ("Persentil ke-90 jam sampai tanggapan", evaluation.p90_response_hours),
        ("Selesai", evaluation.resolved),
        ("Ditunda", evaluation.paused),
    ]:
        summary.append([label, value])
    for name, table in [
        ("Kanal", [(str(Channel(k).label), n) for k, n in evaluation.by_channel.items()]),
        ("Per OPD", evaluation.by_opd),
        ("Terlambat per OPD", evaluation.breaches_by_opd),
        ("Terlambat per kategori", evaluation.breaches_by_category),
        ("Terlambat per kecamatan", evaluation.breaches_by_kecamatan),
        (
            "Alasan tunda",
            [(str(PauseReason(k).label), n) for k, n in evaluation.paused_by_reason.items()],
        ),
    ]:
        sheet = book.create_sheet(name[:31])
        sheet.append([name, "Jumlah"])
        for row in table:
            sheet.append(list(row))
    detail = book.create_sheet("Aduan")
    detail.append([label for _key, label in COLUMNS])
    for row in complaint_rows(queryset, tz):
        detail.append(row)
    for sheet in book.worksheets:
        for index in range(1, sheet.max_column + 1):
            sheet.column_dimensions[get_column_letter(index)].width = 22
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
