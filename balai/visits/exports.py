"""The official SKM result table as XLSX and PDF. Both state the weight policy."""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Font

from . import ikm
from .selectors import IKMReport


def _rounding_note() -> str:
    return (
        "Tanpa pembulatan antara; NRR ditampilkan 3 desimal, NRR tertimbang dan IKM unit 4 "
        "desimal, IKM konversi dibulatkan 2 desimal (setengah ke atas); mutu dari nilai yang "
        "dibulatkan."
    )


def ikm_xlsx(report: IKMReport, *, title: str, scope: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "IKM"
    bold = Font(bold=True)
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([scope])
    sheet.append(
        [
            "Periode",
            f"{report.filter.start:%d-%m-%Y} s.d. {report.filter.end:%d-%m-%Y}",
        ]
    )
    sheet.append(["Bobot", str(report.policy.label)])
    sheet.append(["Pembulatan", _rounding_note()])
    sheet.append(["Responden", report.respondents])
    sheet.append(["Populasi (transaksi)", report.population])
    sheet.append(["Sampel minimal (Krejcie-Morgan)", report.sample_target])
    sheet.append([])
    sheet.append(["Unsur", "Nama unsur", "Jumlah nilai", "NRR", "Bobot", "NRR tertimbang"])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    result = report.result
    if result is not None:
        for element in result.elements:
            sheet.append(
                [
                    element.element.code,
                    str(element.element.name),
                    int(element.nrr_exact * report.respondents),
                    float(element.nrr),
                    report.policy.short,
                    float(element.weighted),
                ]
            )
        sheet.append([])
        sheet.append(["IKM unit (jumlah NRR tertimbang)", float(result.ikm_unit)])
        sheet.append(["IKM konversi (IKM unit x 25)", float(result.converted)])
        sheet.append(["Mutu pelayanan", f"{result.grade.letter} ({result.grade.label})"])
    else:
        sheet.append(["Belum ada jawaban dalam periode ini."])
    if report.per_unit:
        sheet.append([])
        sheet.append(["Unit", "Responden", "IKM konversi", "Mutu"])
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for name, count, unit_result in report.per_unit:
            sheet.append([name, count, float(unit_result.converted), unit_result.grade.letter])
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 42
    for column in "CDEF":
        sheet.column_dimensions[column].width = 16
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ikm_pdf(report: IKMReport, *, title: str, scope: str) -> bytes:
    """The same table as a printable PDF (WeasyPrint is imported only here: it is heavy)."""
    from weasyprint import HTML

    html = render_to_string(
        "visits/skm_pdf.html",
        {
            "report": report,
            "title": title,
            "scope": scope,
            "rounding": _rounding_note(),
            "grades": ikm.GRADES,
        },
    )
    return HTML(string=html).write_pdf()
