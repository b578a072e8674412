"""SOAP notes of the demo's general-medicine consultations, written from the appointment's
reason and what the patient has: a sore throat is viral or bacterial (with the antibiotic the
patient is not allergic to), a blood-pressure control is in target or not and its vital signs
agree, a child is seen with a parent. Each reason has a few variants and every sentence has
alternatives, so a chart with dozens of notes does not look copy-pasted."""

from __future__ import annotations

import random
from collections.abc import Callable

from clinic_desktop.services.demo_clinical_rx import (
    NoteContext,
    NoteText,
    between,
    pick,
    plan_with,
    vitals,
)
from clinic_desktop.services.demo_clinical_texts import CONDITION

Builder = Callable[[random.Random, NoteContext], NoteText]

_GENERAL = (
    "Paciente consciente, orientado en tiempo, espacio y persona, hidratado.",
    "Vigil, orientado, colaborador, en buen estado general.",
    "Buen estado general, mucosas orales húmedas, piel sin lesiones.",
    "Paciente lúcido, afebril al tacto, bien hidratado y perfundido.",
)
_CHEST = (
    "Corazón: ruidos cardíacos rítmicos, sin soplos. Pulmones: murmullo vesicular conservado, "
    "sin ruidos sobreañadidos.",
    "Tórax simétrico, expansibilidad conservada; murmullo vesicular en ambos campos, sin "
    "estertores. Ruidos cardíacos rítmicos y normofonéticos.",
    "Cardiopulmonar: sin alteraciones.",
)
_ABDOMEN = (
    "Abdomen: suave, depresible, no doloroso, ruidos hidroaéreos presentes.",
    "Abdomen blando, sin masas ni visceromegalias, no doloroso a la palpación.",
)
_SELF_MEDICATION = (
    "Se automedicó con paracetamol con alivio parcial.",
    "No ha tomado medicación.",
    "Tomó un antigripal de venta libre sin mejoría.",
    "Refiere haber tomado agua de hierbas (manzanilla) sin mejoría.",
)
_ALARM = (
    "Se explican signos de alarma.",
    "Signos de alarma explicados; acudir a emergencia si empeora.",
    "Paciente entiende las indicaciones y los signos de alarma.",
)


def exam(rng: random.Random, *findings: str, chest: bool = True) -> str:
    parts = [pick(rng, _GENERAL), *findings]
    if chest:
        parts.append(pick(rng, _CHEST))
    return " ".join(parts)


def control_in(weeks: int) -> str:
    return f"Control en {weeks} semanas." if weeks > 1 else "Control en 1 semana."


def _opening(rng: random.Random, ctx: NoteContext) -> str:
    if ctx.child:
        companion = pick(rng, ("su madre", "su padre", "su madre", "su abuela"))
        return f"Paciente de {ctx.age} años acude acompañado de {companion}. "
    return ""


def sore_throat(rng: random.Random, ctx: NoteContext) -> NoteText:
    bacterial = rng.random() < 0.4
    days = between(rng, 2, 5)
    fever = ", fiebre no cuantificada y malestar general" if bacterial else ""
    other = "" if bacterial else ", rinorrea hialina y tos seca ocasional"
    tonsils = pick(rng, ("II", "III"))
    if bacterial:
        finding = (
            f"Faringe eritematosa, amígdalas hipertróficas grado {tonsils} con exudado "
            "blanquecino. Adenopatías cervicales anteriores dolorosas."
        )
        assessment = "Faringoamigdalitis aguda (J03.9). Criterios de Centor: 3."
        rx = ctx.safe(
            "amoxicilina",
            "paracetamol",
        )
    else:
        finding = "Faringe congestiva, sin exudado. Sin adenopatías cervicales."
        assessment = pick(rng, ("Faringitis aguda viral (J02.9).", "Rinofaringitis aguda (J00)."))
        rx = ctx.safe("paracetamol")
    return NoteText(
        pick(rng, ("Dolor de garganta", "Odinofagia", "Dolor al tragar")),
        f"{_opening(rng, ctx)}Odinofagia de {days} días de evolución{fever}{other}. "
        + pick(rng, _SELF_MEDICATION),
        exam(rng, finding),
        assessment,
        plan_with(
            rx,
            "Líquidos abundantes y gárgaras con agua tibia y sal. "
            + pick(rng, _ALARM)
            + " Volver si no mejora en 72 horas.",
        ),
        rx,
        vitals(rng, ctx, fever=bacterial),
    )


def fever(rng: random.Random, ctx: NoteContext) -> NoteText:
    days = between(rng, 1, 4)
    urinary = ctx.woman and ctx.age >= 16 and rng.random() < 0.3
    if urinary:
        return NoteText(
            "Fiebre y ardor al orinar",
            f"Cuadro de {days} días de disuria, polaquiuria y fiebre de hasta 38,5 °C. Niega "
            "flujo vaginal. FUM hace 2 semanas.",
            exam(
                rng,
                "Puño percusión lumbar negativa bilateral. Dolor leve a la palpación suprapúbica.",
                chest=False,
            ),
            "Infección de vías urinarias, sitio no especificado (N39.0). Tira reactiva: "
            "nitritos positivos, leucocitos ++.",
            plan_with(
                ctx.safe("nitrofurantoina"),
                "Urocultivo antes de iniciar. Abundantes líquidos. " + pick(rng, _ALARM),
            ),
            ctx.safe("nitrofurantoina"),
            vitals(rng, ctx, fever=True),
        )
    rx = ctx.safe("paracetamol")
    return NoteText(
        pick(rng, ("Fiebre y malestar general", "Fiebre, dolor de cuerpo y cabeza")),
        f"{_opening(rng, ctx)}Fiebre de {days} días, hasta 38,{between(rng, 3, 9)} °C, con "
        "mialgias, cefalea y rinorrea. "
        + pick(rng, ("Familiares con síntomas similares.", "Compañeros de trabajo con gripe."))
        + " "
        + pick(rng, _SELF_MEDICATION),
        exam(rng, "Faringe levemente congestiva. Sin signos meníngeos."),
        pick(
            rng,
            (
                "Síndrome gripal, influenza con otras manifestaciones respiratorias (J11.1).",
                "Infección aguda de las vías respiratorias superiores (J06.9).",
            ),
        ),
        plan_with(
            rx,
            "Reposo relativo, hidratación oral abundante. Aislamiento domiciliario mientras "
            "tenga fiebre. " + pick(rng, _ALARM),
        ),
        rx,
        vitals(rng, ctx, fever=True),
    )


def low_back(rng: random.Random, ctx: NoteContext) -> NoteText:
    trigger = pick(
        rng,
        (
            "tras levantar un objeto pesado",
            "después de un viaje largo en bus",
            "sin desencadenante claro",
            "tras trabajar varias horas sentado",
        ),
    )
    side = pick(rng, ("derecha", "izquierda", "bilateral"))
    rx = ctx.safe("ibuprofeno", "ciclobenzaprina")
    return NoteText(
        "Dolor lumbar",
        f"Dolor lumbar de {between(rng, 2, 10)} días de evolución, {trigger}, intensidad "
        f"{between(rng, 5, 8)}/10, que empeora al agacharse. Niega irradiación a miembros "
        "inferiores, pérdida de fuerza y alteraciones de esfínteres.",
        exam(
            rng,
            f"Contractura paravertebral lumbar {side}. Lasègue negativo bilateral. Fuerza y "
            "reflejos osteotendinosos conservados.",
            chest=False,
        ),
        "Lumbalgia mecánica aguda, lumbago no especificado (M54.5).",
        plan_with(
            rx,
            "Calor local 20 minutos 3 veces al día, higiene postural, evitar cargar peso. "
            "Fisioterapia si persiste. " + control_in(2),
        ),
        rx,
        vitals(rng, ctx),
    )


def checkup(rng: random.Random, ctx: NoteContext) -> NoteText:
    known = [CONDITION[c].description.lower() for c in sorted(ctx.conditions)]
    background = (
        "Antecedentes de " + ", ".join(known) + "." if known else "Sin enfermedades crónicas."
    )
    labs = "Hemograma, glucosa en ayunas, perfil lipídico, creatinina, TSH y EMO"
    extra = ""
    if ctx.woman and ctx.age >= 25:
        extra = " Papanicolaou y mamografía según edad."
    elif not ctx.woman and ctx.age >= 50:
        extra = " Antígeno prostático específico."
    return NoteText(
        "Chequeo anual",
        f"Acude para chequeo médico anual. Asintomático. {background} "
        + pick(rng, ("Último control hace un año.", "No se controla desde hace dos años.")),
        exam(rng, pick(rng, _ABDOMEN), "Extremidades sin edema."),
        "Examen médico general (Z00.0).",
        f"Se solicitan: {labs}.{extra} Recomendaciones de alimentación y actividad física. "
        "Control con resultados.",
        [],
        vitals(rng, ctx),
    )


def abdominal(rng: random.Random, ctx: NoteContext) -> NoteText:
    kind = (
        "gastroenteritis" if ctx.child else pick(rng, ("gastritis", "gastroenteritis", "dyspepsia"))
    )
    if kind == "gastroenteritis":
        rx = ctx.safe("sro", "paracetamol")
        return NoteText(
            "Dolor abdominal y diarrea",
            f"{_opening(rng, ctx)}Dolor abdominal tipo cólico de {between(rng, 1, 3)} días con "
            f"{between(rng, 4, 8)} deposiciones líquidas al día, sin moco ni sangre. Náusea "
            "sin vómito. Comió fuera de casa.",
            exam(rng, "Abdomen suave, ruidos hidroaéreos aumentados, dolor difuso leve."),
            "Gastroenteritis y colitis de origen no especificado (A09). Deshidratación leve.",
            plan_with(rx, "Dieta blanda, abundantes líquidos. " + pick(rng, _ALARM)),
            rx,
            vitals(rng, ctx, fever=rng.random() < 0.3),
        )
    rx = ctx.safe("omeprazol")
    epigastric = (
        "Dolor epigástrico urente de "
        f"{between(rng, 1, 4)} semanas, que empeora con el ayuno y con comidas irritantes."
    )
    assessment = "Gastritis aguda (K29.1)." if kind == "gastritis" else "Dispepsia funcional (K30)."
    return NoteText(
        "Dolor abdominal",
        f"{_opening(rng, ctx)}{epigastric} Niega vómito, melena y pérdida de peso. "
        + pick(rng, ("Consume café a diario.", "Horarios de comida irregulares.", "")),
        exam(rng, "Abdomen suave, dolor leve a la palpación en epigastrio, Murphy negativo."),
        assessment,
        plan_with(
            rx,
            "Evitar irritantes, café y alcohol; comidas pequeñas y frecuentes. " + control_in(4),
        ),
        rx,
        vitals(rng, ctx),
    )


def cough(rng: random.Random, ctx: NoteContext) -> NoteText:
    weeks = between(rng, 2, 4)
    if "asma" in ctx.conditions:
        rx = ctx.safe("salbutamol")
        return NoteText(
            "Tos y silbido en el pecho",
            f"{_opening(rng, ctx)}Paciente asmático con tos seca nocturna y sibilancias desde "
            f"hace {between(rng, 3, 7)} días, tras un cuadro gripal. Usa salbutamol de rescate "
            "3 veces al día.",
            exam(rng, "Sibilancias espiratorias dispersas, sin tiraje.", chest=False),
            "Asma, exacerbación leve (J45.9).",
            plan_with(rx, "Técnica inhalatoria revisada con cámara. " + control_in(1)),
            rx,
            vitals(rng, ctx),
        )
    rx = ctx.safe("ambroxol")
    return NoteText(
        "Tos persistente",
        f"{_opening(rng, ctx)}Tos de {weeks} semanas, inicialmente con flema blanquecina y "
        "ahora seca, que empeora en la noche, tras un resfriado. Niega fiebre, pérdida de "
        "peso y sudoración nocturna. "
        + pick(rng, ("No fuma.", "Exposición a humo de leña en casa.", "")),
        exam(rng, "Roncus aislados que se modifican con la tos.", chest=False),
        pick(rng, ("Bronquitis aguda, no especificada (J20.9).", "Tos posviral (R05).")),
        plan_with(
            rx,
            "Hidratación, miel con limón. Radiografía de tórax si persiste más de 2 semanas más.",
        ),
        rx,
        vitals(rng, ctx),
    )


def headache(rng: random.Random, ctx: NoteContext) -> NoteText:
    if "migrana" in ctx.conditions or rng.random() < 0.3:
        rx = ctx.safe("naproxeno")
        return NoteText(
            "Cefalea frecuente",
            f"Cefalea hemicraneal pulsátil, {between(rng, 2, 6)} episodios al mes, de hasta "
            "12 horas, con fotofobia y náusea. Mejora al dormir en un cuarto oscuro.",
            exam(rng, "Examen neurológico sin déficit focal. Fondo de ojo normal."),
            "Migraña sin aura (G43.0).",
            plan_with(
                rx,
                "Diario de cefaleas; evitar ayuno y desvelo. Si más de 4 crisis al mes, "
                "valorar profilaxis. " + control_in(6),
            ),
            rx,
            vitals(rng, ctx),
        )
    rx = ctx.safe("paracetamol")
    return NoteText(
        "Cefalea frecuente",
        "Cefalea opresiva bifrontal, vespertina, de "
        f"{between(rng, 1, 3)} meses, asociada a estrés laboral y uso de computadora. "
        "No despierta en la noche. Sin náusea ni alteraciones visuales.",
        exam(rng, "Contractura de trapecios. Examen neurológico normal."),
        "Cefalea de tipo tensional (G44.2).",
        plan_with(
            rx,
            "Pausas activas, higiene del sueño. Control de agudeza visual con optometría. "
            + control_in(4),
        ),
        rx,
        vitals(rng, ctx),
    )


def dizziness(rng: random.Random, ctx: NoteContext) -> NoteText:
    rx = ctx.safe("betahistina")
    return NoteText(
        "Mareos",
        f"Episodios de vértigo rotatorio de segundos de duración desde hace {between(rng, 3, 10)} "
        "días, al girarse en la cama o mirar hacia arriba, con náusea. Niega hipoacusia y "
        "tinnitus.",
        exam(rng, "Dix-Hallpike positivo a la derecha con nistagmo rotatorio. Romberg negativo."),
        "Vértigo paroxístico benigno (H81.1).",
        plan_with(
            rx,
            "Se realiza maniobra de Epley en consulta con mejoría. Ejercicios de Brandt-Daroff "
            "en casa. " + control_in(2),
        ),
        rx,
        vitals(rng, ctx),
    )


def knee(rng: random.Random, ctx: NoteContext) -> NoteText:
    side = pick(rng, ("derecha", "izquierda"))
    if ctx.age >= 50:
        rx = ctx.safe("paracetamol", "diclofenaco_gel")
        return NoteText(
            "Dolor de rodilla",
            f"Dolor en la rodilla {side} de meses de evolución, mecánico, que empeora al subir "
            "gradas y mejora con el reposo. Rigidez matutina de menos de 30 minutos.",
            exam(rng, f"Rodilla {side}: crepitación, sin derrame, dolor en interlínea medial."),
            "Gonartrosis, no especificada (M17.9).",
            plan_with(
                rx,
                "Bajar de peso, fortalecimiento de cuádriceps, evitar gradas. Rx de rodillas "
                "con carga. " + control_in(6),
            ),
            rx,
            vitals(rng, ctx),
        )
    rx = ctx.safe("ibuprofeno")
    return NoteText(
        "Dolor de rodilla",
        f"Dolor en la rodilla {side} desde hace {between(rng, 3, 12)} días tras jugar fútbol, "
        "con torsión. Camina con dificultad. Niega bloqueo.",
        exam(
            rng,
            f"Rodilla {side}: edema leve, dolor en ligamento colateral medial, cajones negativos.",
            chest=False,
        ),
        "Esguince del ligamento colateral medial de la rodilla (S83.4).",
        plan_with(rx, "Reposo, hielo, compresión y elevación. Rodillera. " + control_in(2)),
        rx,
        vitals(rng, ctx),
    )


def certificate(rng: random.Random, ctx: NoteContext) -> NoteText:
    purpose = pick(
        rng,
        (
            "ingreso a un nuevo trabajo",
            "inscripción en el gimnasio",
            "la universidad",
            "un campeonato de fútbol barrial",
        ),
    )
    return NoteText(
        "Certificado médico",
        f"Solicita certificado de salud para {purpose}. Asintomático. Niega enfermedades "
        "crónicas descompensadas.",
        exam(rng, pick(rng, _ABDOMEN), "Agudeza visual conservada."),
        "Persona en buen estado de salud; extensión de certificado médico (Z02.7).",
        "Se extiende certificado de salud. Recomendaciones generales.",
        [],
        vitals(rng, ctx),
    )
