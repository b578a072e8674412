"""SOAP notes of the demo's dental appointments, from the appointment type: cleanings,
root canals (first session or completion), orthodontic reviews, controls and dental
consultations that end in a filling or an extraction. Teeth are named in the FDI notation
(primary teeth for young children), the anaesthetic follows the patient (no vasoconstrictor
for a hypertensive patient, latex-free gloves for a latex allergy) and the prescription skips
what the patient is allergic to."""

from __future__ import annotations

import random

from clinic_desktop.services.demo_clinical_rx import (
    NoteContext,
    NoteText,
    Rx,
    between,
    pick,
    plan_with,
    vitals,
)

_MOLARS = ("16", "17", "26", "27", "36", "37", "46", "47")
_PREMOLARS = ("14", "15", "24", "25", "34", "35", "44", "45")
_PRIMARY = ("54", "55", "64", "65", "74", "75", "84", "85")
_HYGIENE = (
    "Cepillado 2 veces al día, sin hilo dental.",
    "Cepillado 3 veces al día con cepillo medio; usa enjuague bucal.",
    "Cepillado 1 vez al día.",
    "Cepillado después de cada comida; hilo dental ocasional.",
)


def _tooth(rng: random.Random, ctx: NoteContext, *, molar: bool = True) -> str:
    if ctx.age < 11:
        return pick(rng, _PRIMARY)
    return pick(rng, _MOLARS if molar else _PREMOLARS + _MOLARS)


def _anaesthesia(ctx: NoteContext, tooth: str) -> str:
    lower = tooth[0] in "3478"
    technique = "bloqueo del nervio dentario inferior" if lower else "técnica infiltrativa"
    drug = (
        "Mepivacaína al 3 % sin vasoconstrictor (paciente hipertenso)"
        if "hta" in ctx.conditions
        else "Lidocaína al 2 % con epinefrina 1:80.000"
    )
    text = f"{drug}, {technique}."
    if "latex" in ctx.allergies:
        text += " Guantes de nitrilo y dique sin látex por alergia al látex."
    return text


def _dental_vitals(rng: random.Random, ctx: NoteContext) -> dict[str, float]:
    if rng.random() < 0.3:
        return {}
    if "hta" in ctx.conditions:
        return vitals(rng, ctx, kind="dental", bp=(between(rng, 124, 150), between(rng, 78, 94)))
    return vitals(rng, ctx, kind="dental")


def cleaning(rng: random.Random, ctx: NoteContext) -> NoteText:
    months = pick(rng, (6, 8, 12, 18, 24))
    bleeding = rng.random() < 0.55
    plaque = between(rng, 35, 80) if bleeding else between(rng, 10, 35)
    rx = ctx.safe("clorhexidina") if bleeding and rng.random() < 0.6 else []
    if ctx.age < 12:
        return NoteText(
            "Profilaxis y flúor",
            f"Paciente de {ctx.age} años acude con su madre para limpieza. "
            + pick(rng, ("Come golosinas a diario.", "Toma biberón en la noche.", ""))
            + " Cepillado supervisado 2 veces al día.",
            f"Índice de placa {plaque} %. Dentición {'temporal' if ctx.age < 6 else 'mixta'}, "
            "sin caries cavitadas. Encías sanas.",
            "Examen odontológico de rutina (Z01.2).",
            "Profilaxis con pasta y cepillo, flúor barniz al 5 %. Sellantes en molares "
            "permanentes si han erupcionado. Control en 6 meses.",
            [],
            {},
        )
    gums = (
        "Encías eritematosas y edematosas en el sector anteroinferior, sangrado al sondaje."
        if bleeding
        else "Encías rosadas, firmes, sin sangrado al sondaje."
    )
    assessment = (
        pick(rng, ("Gingivitis crónica (K05.1).", "Gingivitis crónica asociada a placa (K05.1)."))
        if bleeding
        else "Depósitos (acreciones) en los dientes (K03.6)."
    )
    return NoteText(
        pick(rng, ("Limpieza dental", "Profilaxis", "Sangrado de encías"))
        if bleeding
        else pick(rng, ("Limpieza dental", "Profilaxis", "Limpieza semestral")),
        f"Última limpieza hace {months} meses. {pick(rng, _HYGIENE)} "
        + ("Refiere sangrado al cepillarse." if bleeding else "Niega sangrado."),
        f"Índice de placa (O'Leary) {plaque} %. Cálculo supragingival en caras linguales de "
        f"incisivos inferiores. {gums}",
        assessment,
        plan_with(
            rx,
            "Destartraje supragingival con ultrasonido, pulido coronal y flúor barniz. "
            "Instrucción de higiene oral (técnica de Bass) e hilo dental. "
            "Próxima profilaxis en 6 meses.",
        ),
        rx,
        _dental_vitals(rng, ctx),
    )


def root_canal(rng: random.Random, ctx: NoteContext) -> NoteText:
    tooth = _tooth(rng, ctx, molar=rng.random() < 0.7)
    if ctx.age < 11:
        return NoteText(
            f"Dolor en la pieza {tooth}",
            f"Paciente de {ctx.age} años con dolor en la pieza {tooth} al comer dulces.",
            f"Pieza {tooth} con caries profunda, sin movilidad ni fístula.",
            f"Pulpitis de la pieza {tooth} (K04.0).",
            f"{_anaesthesia(ctx, tooth)} Pulpotomía con MTA y corona de acero. Control en "
            "1 semana.",
            [],
            {},
        )
    rx: list[Rx]
    if rng.random() < 0.6:
        necrosis = rng.random() < 0.35
        rx = ctx.safe("ibuprofeno", "amoxicilina") if necrosis else ctx.safe("ibuprofeno")
        diagnosis = (
            f"Necrosis de la pulpa de la pieza {tooth} (K04.1) con periodontitis apical."
            if necrosis
            else f"Pulpitis irreversible sintomática de la pieza {tooth} (K04.0)."
        )
        cold = "sin respuesta" if necrosis else "dolor intenso que persiste más de 30 segundos"
        return NoteText(
            f"Dolor de muela, pieza {tooth}",
            f"Dolor espontáneo en la pieza {tooth} desde hace {between(rng, 2, 6)} días, que "
            "despierta en la noche y aumenta con el frío. Tomó ibuprofeno sin alivio.",
            f"Pieza {tooth} con caries profunda distal. Prueba de frío: {cold}. Percusión "
            "vertical positiva. Rx periapical: caries con compromiso pulpar"
            + (", lesión radiolúcida apical." if necrosis else ", ligamento ensanchado."),
            diagnosis,
            plan_with(
                rx,
                f"{_anaesthesia(ctx, tooth)} Aislamiento absoluto, apertura cameral, "
                f"conductometría {between(rng, 19, 23)} mm, instrumentación rotatoria e "
                "irrigación con hipoclorito de sodio al 5,25 %. Medicación intraconducto con "
                "hidróxido de calcio y obturación provisional. Control en 1 semana.",
            ),
            rx,
            _dental_vitals(rng, ctx),
        )
    return NoteText(
        f"Continuación de endodoncia, pieza {tooth}",
        f"Segunda sesión de endodoncia de la pieza {tooth}. Asintomático desde la primera sesión.",
        f"Obturación provisional íntegra. Pieza {tooth} sin dolor a la percusión ni fístula.",
        f"Tratamiento de conducto en curso de la pieza {tooth} (K04.0).",
        f"{_anaesthesia(ctx, tooth)} Retiro de medicación, irrigación final con EDTA al 17 %, "
        "obturación con gutapercha por condensación lateral y cemento sellador. Rx final "
        "satisfactoria. Se deriva para corona. Control en 6 meses.",
        [],
        _dental_vitals(rng, ctx),
    )


def orthodontics(rng: random.Random, ctx: NoteContext) -> NoteText:
    month = between(rng, 2, 22)
    if rng.random() < 0.25:
        return NoteText(
            "Control de retenedor",
            "Terminó la ortodoncia fija hace "
            f"{between(rng, 2, 10)} meses. Usa el retenedor removible en la noche.",
            "Retenedor fijo inferior íntegro. Alineación estable, sin recidiva.",
            "Maloclusión tratada, fase de retención (K07.4).",
            "Continuar el retenedor en la noche. Control en 6 meses.",
            [],
            {},
        )
    wire = pick(rng, ("NiTi 0,014", "NiTi 0,016", "NiTi 0,018", "acero 0,016 x 0,022"))
    loose = rng.random() < 0.2
    return NoteText(
        pick(rng, ("Ajuste de brackets", "Cambio de arco", "Control de ortodoncia")),
        f"Mes {month} de tratamiento con ortodoncia fija. "
        + ("Se le despegó un bracket al comer. " if loose else "Sin molestias. ")
        + pick(rng, ("Usa los elásticos.", "No ha usado los elásticos.", "")),
        f"Higiene oral {pick(rng, ('buena', 'regular', 'regular', 'mala'))}. Arco actual "
        f"{wire}. " + ("Bracket de la pieza 35 despegado." if loose else "Aparatología íntegra."),
        "Maloclusión en tratamiento con ortodoncia fija (K07.4).",
        ("Recementado del bracket de la pieza 35. " if loose else "")
        + "Cambio de ligaduras y activación. Refuerzo de higiene con cepillo interproximal. "
        "Control en 4 semanas.",
        [],
        {},
    )


def filling_or_extraction(rng: random.Random, ctx: NoteContext) -> NoteText:
    tooth = _tooth(rng, ctx, molar=rng.random() < 0.6)
    if rng.random() < 0.7:
        surfaces = pick(rng, ("oclusal", "mesio-oclusal", "disto-oclusal", "vestibular"))
        return NoteText(
            pick(rng, ("Sensibilidad al frío", "Control odontológico", "Mancha en una muela")),
            f"Sensibilidad al frío y a los dulces en la pieza {tooth} desde hace semanas. "
            f"{pick(rng, _HYGIENE)}",
            f"Pieza {tooth}: caries {surfaces} que compromete dentina, sin dolor a la "
            "percusión. Prueba de frío: respuesta normal que cede al retirar el estímulo.",
            f"Caries de la dentina de la pieza {tooth} (K02.1).",
            f"{_anaesthesia(ctx, tooth)} Remoción de caries, base de ionómero de vidrio y "
            f"restauración con resina compuesta {surfaces}. Ajuste oclusal. "
            "Control en 6 meses.",
            [],
            _dental_vitals(rng, ctx),
        )
    rx = ctx.safe("ibuprofeno")
    return NoteText(
        f"Extracción de la pieza {tooth}",
        f"Pieza {tooth} con dolor intermitente y fractura hace meses; no desea tratamiento de "
        "conducto.",
        f"Pieza {tooth}: destrucción coronaria de más del 70 %, restos radiculares. Rx: sin "
        "lesión apical extensa.",
        f"Raíz dental retenida de la pieza {tooth} (K08.3).",
        plan_with(
            rx,
            f"{_anaesthesia(ctx, tooth)} Exodoncia simple sin complicaciones, hemostasia con "
            "gasa. Indicaciones: no escupir ni usar sorbete 24 horas, dieta blanda y fría, no "
            "fumar. Control en 1 semana.",
        ),
        rx,
        _dental_vitals(rng, ctx),
    )


def dental_control(rng: random.Random, ctx: NoteContext) -> NoteText:
    if rng.random() < 0.5:
        return filling_or_extraction(rng, ctx)
    tooth = _tooth(rng, ctx)
    return NoteText(
        "Control postratamiento",
        f"Control a los 7 días de la extracción de la pieza {tooth}. Dolor leve los primeros "
        "2 días, controlado con analgésico.",
        "Alvéolo en cicatrización, con tejido de granulación, sin signos de alveolitis.",
        f"Control tras extracción de la pieza {tooth}, cicatrización normal (Z09).",
        "Alta del procedimiento. Valorar rehabilitación protésica. Profilaxis en 6 meses.",
        [],
        _dental_vitals(rng, ctx),
    )


_BY_TYPE = {
    "Limpieza dental": cleaning,
    "Endodoncia": root_canal,
    "Revisión de ortodoncia": orthodontics,
    "Control": dental_control,
    "Consulta general": filling_or_extraction,
}


def dental_note(rng: random.Random, ctx: NoteContext, type_name: str) -> NoteText:
    """The dentist's note for an appointment of `type_name` (an unknown type gets a
    consultation that ends in a filling or an extraction)."""
    builder = _BY_TYPE.get(type_name, filling_or_extraction)
    return builder(rng, ctx)
