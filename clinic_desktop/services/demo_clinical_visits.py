"""More of the demo's general-medicine notes (follow-ups, results, surgery controls, first
visits, video consultations, a child's check-up) and `medical_note`, which picks the note for
an appointment's reason. The agenda books reasons without looking at the patient's age, so a
child booked for "Dolor lumbar" is written up as a well-child visit, and any reason the
generator does not know gets a general consultation."""

from __future__ import annotations

import random

from clinic_desktop.services.demo_clinical_rx import (
    NoteContext,
    NoteText,
    between,
    pick,
    plan_with,
    vitals,
)
from clinic_desktop.services.demo_clinical_soap import (
    Builder,
    abdominal,
    certificate,
    checkup,
    control_in,
    cough,
    dizziness,
    exam,
    fever,
    headache,
    knee,
    low_back,
    sore_throat,
)
from clinic_desktop.services.demo_clinical_texts import CONDITION

_VIDEO_EXAM = (
    "Valoración por video: buen estado general, habla fluida, sin signos de dificultad "
    "respiratoria."
)
_OK = (
    "Paciente consciente, orientado, en buen estado general.",
    "Buen estado general, hidratado, afebril.",
)


def blood_pressure(rng: random.Random, ctx: NoteContext) -> NoteText:
    med = ctx.medications.get("hta")
    if "hta" not in ctx.conditions:
        return NoteText(
            "Control de presión arterial",
            "Acude por una toma de presión elevada en la farmacia (145/90). Asintomático. "
            "Padre hipertenso.",
            exam(rng, "Pulsos periféricos simétricos."),
            "Presión arterial normal en consulta; examen de presión arterial (Z01.3).",
            "Registro de presión en casa durante una semana, mañana y noche. Dieta baja en sal. "
            + control_in(2),
            [],
            vitals(rng, ctx, bp=(between(rng, 118, 134), between(rng, 72, 84))),
        )
    controlled = rng.random() < 0.65
    taking = f"{med.name} {med.dose} {med.frequency.lower()}" if med else "dieta"
    bp = (
        (between(rng, 118, 136), between(rng, 70, 86))
        if controlled
        else (between(rng, 146, 168), between(rng, 90, 102))
    )
    rx_line = ctx.chronic_rx("hta")
    rx = [rx_line] if rx_line and rng.random() < 0.6 else []
    adherence = "buena" if controlled else pick(rng, ("irregular, olvida dosis", "irregular"))
    return NoteText(
        "Control de presión arterial",
        f"Paciente hipertenso en tratamiento con {taking}. Adherencia {adherence}. Presión en "
        f"casa: {bp[0] - between(rng, 0, 8)}/{bp[1] - between(rng, 0, 5)} en promedio. Niega "
        "cefalea, dolor torácico, disnea y edemas.",
        exam(rng, "Pulsos periféricos presentes y simétricos. Sin edema de miembros inferiores."),
        "Hipertensión esencial (I10), " + ("controlada." if controlled else "no controlada."),
        plan_with(
            rx,
            ("Continuar el tratamiento. " if controlled else "Reforzar la adherencia. ")
            + "Dieta hiposódica y caminata diaria. "
            + ("Control en 3 meses." if controlled else control_in(2)),
        ),
        rx,
        vitals(rng, ctx, bp=bp),
    )


def diabetes(rng: random.Random, ctx: NoteContext) -> NoteText:
    if "dm2" not in ctx.conditions:
        glucose = between(rng, 101, 118)
        return NoteText(
            "Control de glucosa",
            f"Trae glucosa en ayunas de {glucose} mg/dl. Madre diabética. Asintomático.",
            exam(rng, "Acantosis nigricans leve en cuello."),
            "Glucosa alterada en ayunas (R73.0).",
            "Cambios en el estilo de vida: reducir azúcares y harinas, actividad física "
            "150 minutos a la semana. HbA1c en 3 meses.",
            [],
            vitals(rng, ctx),
        )
    hba1c = between(rng, 60, 95) / 10
    in_target = hba1c < 7
    rx_line = ctx.chronic_rx("dm2")
    rx = [rx_line] if rx_line and rng.random() < 0.6 else []
    return NoteText(
        "Control de diabetes",
        f"Paciente con diabetes tipo 2. Glucemias capilares en ayunas entre "
        f"{between(rng, 95, 120)} y {between(rng, 125, 190)} mg/dl. Niega hipoglucemias. "
        + pick(rng, ("Cumple la dieta.", "Dificultad para seguir la dieta en el trabajo.")),
        exam(
            rng,
            "Pie diabético: pulsos pedios presentes, sensibilidad con monofilamento conservada, "
            "sin lesiones.",
        ),
        "Diabetes mellitus tipo 2 (E11.9), HbA1c "
        + f"{hba1c:.1f}".replace(".", ",")
        + (" %, en metas." if in_target else " %, fuera de metas."),
        plan_with(
            rx,
            ("Mantener el tratamiento. " if in_target else "Reforzar dieta y ejercicio. ")
            + "HbA1c, perfil lipídico y microalbuminuria en 3 meses. Control en 3 meses.",
        ),
        rx,
        vitals(rng, ctx),
    )


def lab_results(rng: random.Random, ctx: NoteContext) -> NoteText:
    if "dislipidemia" in ctx.conditions:
        ldl, tg = between(rng, 150, 190), between(rng, 180, 320)
        rx = ctx.safe("atorvastatina")
        return NoteText(
            "Revisión de resultados de laboratorio",
            f"Trae resultados: colesterol total {ldl + 70} mg/dl, LDL {ldl} mg/dl, HDL "
            f"{between(rng, 35, 48)} mg/dl, triglicéridos {tg} mg/dl. Glucosa y creatinina "
            "normales.",
            " ".join((pick(rng, _OK), "Sin xantomas. Cardiopulmonar sin alteraciones.")),
            "Hiperlipidemia mixta (E78.2). Riesgo cardiovascular moderado.",
            plan_with(
                rx,
                "Dieta baja en grasas saturadas, ejercicio aeróbico. Perfil lipídico y "
                "transaminasas en 3 meses. Control en 3 meses.",
            ),
            rx,
            vitals(rng, ctx),
        )
    if "anemia" in ctx.conditions:
        rx = ctx.safe("sulfato_ferroso")
        hb = between(rng, 96, 112) / 10
        return NoteText(
            "Revisión de resultados de laboratorio",
            "Refiere cansancio. Hemoglobina "
            + f"{hb:.1f}".replace(".", ",")
            + " g/dl, VCM 74 fl, ferritina 8 ng/ml. Menstruaciones abundantes.",
            " ".join((pick(rng, _OK), "Palidez de piel y mucosas.")),
            "Anemia por deficiencia de hierro (D50.9).",
            plan_with(rx, "Dieta rica en hierro. Interconsulta a ginecología. Control en 3 meses."),
            rx,
            vitals(rng, ctx),
        )
    return NoteText(
        "Revisión de resultados de laboratorio",
        "Trae exámenes solicitados en el chequeo: hemograma, glucosa, perfil lipídico, "
        "creatinina, TSH y EMO dentro de parámetros normales.",
        pick(rng, _OK),
        "Examen de laboratorio con resultados normales (Z01.7).",
        "Mantener hábitos saludables. Chequeo anual.",
        [],
        vitals(rng, ctx, kind="none" if rng.random() < 0.5 else "full"),
    )


def treatment_follow_up(rng: random.Random, ctx: NoteContext) -> NoteText:
    chronic = sorted(c for c in ctx.conditions if c in ("hipotiroidismo", "erge", "gastritis"))
    if chronic:
        spec = CONDITION[pick(rng, chronic)]
        med = ctx.medications.get(spec.key)
        taking = f"{med.name} {med.dose}" if med else "las medidas indicadas"
        extra = " TSH de control: 2,4 mUI/l." if spec.key == "hipotiroidismo" else ""
        return NoteText(
            "Control de tratamiento",
            f"Control de {spec.description.lower()} en tratamiento con {taking}. Buena "
            f"tolerancia, sin efectos adversos.{extra}",
            pick(rng, _OK),
            f"{spec.description} ({spec.icd10}), estable.",
            "Continuar el tratamiento. Control en 3 meses.",
            [],
            vitals(rng, ctx),
        )
    return NoteText(
        "Control de tratamiento",
        "Acude a control tras tratamiento de "
        + pick(rng, ("faringoamigdalitis", "gastroenteritis", "lumbalgia", "bronquitis aguda"))
        + ": completó el tratamiento, asintomático.",
        pick(rng, _OK) + " Examen físico sin hallazgos patológicos.",
        "Cuadro resuelto; control tras tratamiento (Z09).",
        "Alta del episodio. Acudir si reaparecen los síntomas.",
        [],
        vitals(rng, ctx),
    )


def post_operative(rng: random.Random, ctx: NoteContext) -> NoteText:
    surgery = pick(
        rng,
        (
            "colecistectomía laparoscópica",
            "herniorrafia inguinal derecha",
            "apendicectomía laparoscópica",
        ),
    )
    day = between(rng, 7, 14)
    return NoteText(
        "Control postoperatorio",
        f"Día {day} de postoperatorio de {surgery} realizada en el Hospital Metropolitano. "
        "Dolor leve que cede con paracetamol. Tolera dieta, deposiciones normales.",
        f"{pick(rng, _OK)} Heridas quirúrgicas limpias y secas, sin eritema ni secreción.",
        "Control postoperatorio, evolución favorable (Z09).",
        "Evitar esfuerzos por 4 semanas. Retiro de puntos si aún los tiene. Control con cirugía.",
        [],
        vitals(rng, ctx),
    )


def stitches(rng: random.Random, ctx: NoteContext) -> NoteText:
    place = pick(rng, ("antebrazo izquierdo", "mano derecha", "rodilla derecha", "cuero cabelludo"))
    count = between(rng, 3, 8)
    return NoteText(
        "Retiro de puntos",
        f"Herida en {place} suturada hace {between(rng, 7, 12)} días en emergencia "
        f"({count} puntos). Sin fiebre ni secreción.",
        f"Herida en {place} afrontada, sin signos de infección.",
        "Atención de suturas y apósitos quirúrgicos (Z48.0).",
        f"Se retiran {count} puntos sin complicaciones. Protector solar sobre la cicatriz. Alta.",
        [],
        vitals(rng, ctx, kind="none"),
    )


def first_visit(rng: random.Random, ctx: NoteContext) -> NoteText:
    known = [CONDITION[c] for c in sorted(ctx.conditions)]
    if known:
        assessment = " ".join(f"{c.description} ({c.icd10})." for c in known)
        meds = [f"{m.name} {m.dose}" for m in ctx.medications.values()]
        taking = " Medicación: " + ", ".join(meds) + "." if meds else ""
        story = "Antecedentes: " + ", ".join(c.description.lower() for c in known) + "." + taking
    else:
        assessment = "Examen médico general sin hallazgos anormales (Z00.0)."
        story = "Sin enfermedades crónicas conocidas."
    return NoteText(
        pick(rng, ("Primera consulta", "Valoración inicial", "Apertura de historia clínica")),
        "Acude para valoración inicial y apertura de historia clínica. "
        + pick(rng, ("Viene referido por su médico anterior. ", "Se cambió de seguro. ", ""))
        + story,
        f"{pick(rng, _OK)} Cardiopulmonar sin alteraciones. Abdomen suave, no doloroso. "
        "Extremidades sin edema.",
        assessment,
        "Se solicitan exámenes de control. Historia clínica completa. Control con resultados.",
        [],
        vitals(rng, ctx),
    )


def video(rng: random.Random, ctx: NoteContext) -> NoteText:
    chronic = sorted(c for c in ctx.conditions if ctx.medications.get(c))
    if chronic and rng.random() < 0.7:
        key = pick(rng, chronic)
        spec, rx_line = CONDITION[key], ctx.chronic_rx(key)
        rx = [rx_line] if rx_line else []
        return NoteText(
            "Renovación de receta (videoconsulta)",
            f"Videoconsulta. Paciente con {spec.description.lower()}, estable, solicita "
            "renovar su medicación. Sin efectos adversos.",
            "Valoración por video: paciente en buen estado general, habla fluida, sin disnea.",
            f"{spec.description} ({spec.icd10}), estable.",
            plan_with(rx, "Receta enviada por correo electrónico. Control presencial en 3 meses."),
            rx,
            {},
        )
    return NoteText(
        "Videoconsulta de seguimiento",
        "Videoconsulta. Refiere mejoría clara de los síntomas con el tratamiento indicado.",
        "Valoración por video: buen estado general, sin signos de dificultad respiratoria.",
        "Evolución favorable; control tras tratamiento (Z09).",
        "Completar el tratamiento. Volver si empeora.",
        [],
        {},
    )


def well_child(rng: random.Random, ctx: NoteContext) -> NoteText:
    return NoteText(
        "Control de niño sano",
        f"Paciente de {ctx.age} años acude con su madre para control. Come bien, duerme "
        "toda la noche. " + pick(rng, ("Va bien en la escuela.", "Asiste al CDI.", "")),
        "Activo, reactivo, buen estado general. Otoscopia y orofaringe normales. "
        "Cardiopulmonar sin alteraciones. Desarrollo acorde a la edad.",
        "Control de salud de rutina del niño (Z00.1). Peso y talla en percentil "
        f"{pick(rng, ('25', '50', '50', '75'))}.",
        "Vacunas al día según carné. Desparasitación. Cepillado dental supervisado. "
        "Control en 6 meses.",
        [],
        vitals(rng, ctx),
    )


_BY_REASON: dict[str, Builder] = {
    "Dolor de garganta": sore_throat,
    "Fiebre y malestar general": fever,
    "Dolor lumbar": low_back,
    "Chequeo anual": checkup,
    "Dolor abdominal": abdominal,
    "Tos persistente": cough,
    "Cefalea frecuente": headache,
    "Mareos": dizziness,
    "Dolor de rodilla": knee,
    "Certificado médico": certificate,
    "Control de presión arterial": blood_pressure,
    "Control de diabetes": diabetes,
    "Revisión de resultados de laboratorio": lab_results,
    "Control de tratamiento": treatment_follow_up,
    "Control post-operatorio": post_operative,
    "Retiro de puntos": stitches,
    "Primera consulta": first_visit,
    "Evaluación inicial": first_visit,
    "Valoración general": first_visit,
    "Referido por otro médico": first_visit,
    "Revisión de exámenes": lab_results,
    "Seguimiento de tratamiento": video,
    "Renovación de receta": video,
}
# What a child is seen for whatever the booked reason; the rest become a well-child visit.
_CHILD_OK = {sore_throat, fever, abdominal, cough, stitches}
_GENERAL = (sore_throat, fever, abdominal, cough, headache, low_back)


def medical_note(
    rng: random.Random, ctx: NoteContext, reason: str, *, telemedicine: bool
) -> NoteText:
    builder = _BY_REASON.get(reason) or pick(rng, _GENERAL)
    if ctx.child and builder not in _CHILD_OK:
        builder = well_child
    note = builder(rng, ctx)
    if telemedicine:
        note.vitals = {}  # nothing is measured over video
        if not note.objective.startswith("Valoración por video"):
            note.objective = _VIDEO_EXAM
    return note
