"""The laboratory report of the demo's charts: a one-page PDF in the layout of a Quito lab's
printed results, drawn with reportlab's canvas and its built-in Helvetica (about a millisecond
and two KB each), whose values follow the patient's conditions (a diabetic's glucose and
HbA1c are high, an anaemic woman's haemoglobin low)."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from datetime import date

from clinic_desktop.services.demo_clinical_rx import NoteContext, between

LAB_NAME = "LABORATORIO CLÍNICO PICHINCHA"
LAB_ADDRESS = "Av. 6 de Diciembre N32-45 y Whymper, Quito · Telf. 02 254 3210"
LAB_FOOTER = "Documento emitido electrónicamente. Resultados válidos solo para uso médico."
_HEADS = ("Prueba", "Resultado", "Unidad", "Valores de referencia")
LAB_VALIDATOR = "Lcda. María Fernanda Ortiz, Bioquímica Clínica (Reg. SENESCYT 1027-12-1145)"


@dataclass(frozen=True)
class LabLine:
    test: str
    value: str
    unit: str
    reference: str
    flag: str = ""


def _comma(line: LabLine) -> LabLine:
    return LabLine(line.test, line.value.replace(".", ","), line.unit, line.reference, line.flag)


def lab_lines(rng: random.Random, ctx: NoteContext) -> list[tuple[str, list[LabLine]]]:
    """Sections of a blood test whose values agree with the patient's conditions."""
    woman = ctx.woman
    anaemic = "anemia" in ctx.conditions
    hb = between(rng, 96, 112) / 10 if anaemic else between(rng, 125 if woman else 138, 162) / 10
    glucose = between(rng, 128, 190) if "dm2" in ctx.conditions else between(rng, 74, 99)
    ldl = between(rng, 150, 190) if "dislipidemia" in ctx.conditions else between(rng, 70, 128)
    tg = between(rng, 180, 320) if "dislipidemia" in ctx.conditions else between(rng, 60, 148)
    hdl = between(rng, 35, 62)
    tsh = (
        between(rng, 50, 90) / 10
        if "hipotiroidismo" in ctx.conditions
        else between(rng, 8, 39) / 10
    )
    creatinine = between(rng, 6, 11) / 10
    total = ldl + hdl + tg // 5

    def flag(value: float, low: float, high: float) -> str:
        return "L" if value < low else "H" if value > high else ""

    hb_range = (12.0, 16.0) if woman else (13.5, 17.5)
    blood = [
        LabLine("Leucocitos", f"{between(rng, 45, 98) / 10:.1f}", "x10³/µL", "4,5 – 11,0"),
        LabLine(
            "Hemoglobina",
            f"{hb:.1f}",
            "g/dL",
            f"{hb_range[0]:.1f} – {hb_range[1]:.1f}".replace(".", ","),
            flag(hb, *hb_range),
        ),
        LabLine("Hematocrito", f"{hb * 3:.0f}", "%", "36 – 50", flag(hb * 3, 36, 50)),
        LabLine("Plaquetas", str(between(rng, 180, 390)), "x10³/µL", "150 – 450"),
    ]
    chemistry = [
        LabLine("Glucosa basal", str(glucose), "mg/dL", "70 – 100", flag(glucose, 70, 100)),
        LabLine("Urea", str(between(rng, 18, 40)), "mg/dL", "15 – 45"),
        LabLine("Creatinina", f"{creatinine:.1f}", "mg/dL", "0,6 – 1,2"),
        LabLine("Colesterol total", str(total), "mg/dL", "< 200", flag(total, 0, 200)),
        LabLine("Colesterol HDL", str(hdl), "mg/dL", "> 40", flag(hdl, 40, 999)),
        LabLine("Colesterol LDL", str(ldl), "mg/dL", "< 130", flag(ldl, 0, 130)),
        LabLine("Triglicéridos", str(tg), "mg/dL", "< 150", flag(tg, 0, 150)),
        LabLine("TSH", f"{tsh:.2f}", "mUI/L", "0,40 – 4,00", flag(tsh, 0.4, 4.0)),
    ]
    sections = [("HEMATOLOGÍA", blood), ("QUÍMICA SANGUÍNEA", chemistry)]
    if "dm2" in ctx.conditions:
        a1c = between(rng, 62, 95) / 10
        sections.append(
            ("HEMOGLOBINA GLICOSILADA", [LabLine("HbA1c", f"{a1c:.1f}", "%", "< 5,7", "H")])
        )
    return [
        (
            title,
            [
                LabLine(x.test, x.value.replace(".", ","), x.unit, x.reference, x.flag)
                for x in lines
            ],
        )
        for title, lines in sections
    ]


def lab_report_pdf(
    *,
    patient: str,
    chart: int,
    age: int,
    sex: str,
    taken_on: date,
    requested_by: str,
    order: int,
    sections: list[tuple[str, list[LabLine]]],
) -> bytes:
    """One A4 page in the layout of a lab's printed report."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    # invariant: no creation date or random id inside, so the same seed gives the same bytes.
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    canvas.setTitle(f"Resultados de laboratorio - {patient}")
    width, height = A4
    left, right = 50, width - 50
    y = height - 60
    canvas.setFillColorRGB(0.12, 0.37, 0.55)
    canvas.setFont("Helvetica-Bold", 15)
    canvas.drawString(left, y, LAB_NAME)
    canvas.setFont("Helvetica", 8.5)
    canvas.setFillColorRGB(0.35, 0.4, 0.45)
    canvas.drawString(left, y - 14, LAB_ADDRESS)
    canvas.drawRightString(right, y, f"Orden N.º {order:06d}")
    canvas.setStrokeColorRGB(0.12, 0.37, 0.55)
    canvas.line(left, y - 24, right, y - 24)
    canvas.setFillColorRGB(0.1, 0.1, 0.1)
    y -= 44
    canvas.setFont("Helvetica", 9.5)
    rows = (
        ("Paciente:", patient, "Historia clínica:", str(chart)),
        ("Edad:", f"{age} años", "Sexo:", "Femenino" if sex == "F" else "Masculino"),
        ("Fecha de toma:", taken_on.strftime("%d/%m/%Y"), "Médico:", requested_by),
    )
    for label, value, label2, value2 in rows:
        canvas.setFont("Helvetica-Bold", 9.5)
        canvas.drawString(left, y, label)
        canvas.drawString(left + 290, y, label2)
        canvas.setFont("Helvetica", 9.5)
        canvas.drawString(left + 85, y, value)
        canvas.drawString(left + 375, y, value2)
        y -= 15
    y -= 12
    columns = (left, left + 190, left + 260, left + 340)
    for title, lines in sections:
        canvas.setFillColorRGB(0.94, 0.96, 0.97)
        canvas.rect(left, y - 5, right - left, 17, stroke=0, fill=1)
        canvas.setFillColorRGB(0.12, 0.37, 0.55)
        canvas.setFont("Helvetica-Bold", 10)
        canvas.drawString(left + 4, y, title)
        y -= 20
        canvas.setFont("Helvetica-Oblique", 8.5)
        canvas.setFillColorRGB(0.35, 0.4, 0.45)
        for x, head in zip(
            columns, ("Prueba", "Resultado", "Unidad", "Valores de referencia"), strict=True
        ):
            canvas.drawString(x + 4, y, head)
        y -= 14
        for line in lines:
            if line.flag:
                canvas.setFillColorRGB(0.7, 0.1, 0.1)
            else:
                canvas.setFillColorRGB(0.1, 0.1, 0.1)
            canvas.setFont("Helvetica-Bold" if line.flag else "Helvetica", 9.5)
            canvas.drawString(columns[0] + 4, y, line.test)
            canvas.drawString(columns[1] + 4, y, f"{line.value} {line.flag}".strip())
            canvas.setFont("Helvetica", 9.5)
            canvas.setFillColorRGB(0.1, 0.1, 0.1)
            canvas.drawString(columns[2] + 4, y, line.unit)
            canvas.drawString(columns[3] + 4, y, line.reference)
            y -= 14
        y -= 10
    canvas.setFont("Helvetica", 8)
    canvas.setFillColorRGB(0.35, 0.4, 0.45)
    canvas.drawString(left, 90, "H: valor alto · L: valor bajo. Muestra en ayunas de 8 horas.")
    canvas.line(right - 220, 75, right, 75)
    canvas.drawRightString(right, 62, LAB_VALIDATOR)
    canvas.drawString(
        left, 40, "Documento emitido electrónicamente. Resultados válidos solo para uso médico."
    )
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
