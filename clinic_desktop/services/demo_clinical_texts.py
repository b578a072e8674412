"""Plain Spanish sample data for the demo clinic's patient records, as a clinic in Quito would
write it: the pieces of the medical history (personal, family, surgical, habits,
gyneco-obstetric), allergies with their reactions, and the chronic and past conditions that
drive the problem list, the current medications and the notes. No database or random state
here: `demo_clinical_record` picks from these."""

from __future__ import annotations

from dataclasses import dataclass

# -- Medical history -------------------------------------------------------------------------

PERSONAL_EXTRAS = (
    "Varicela en la infancia.",
    "Vacunación completa según el esquema del MSP.",
    "Vacuna contra la influenza en la última campaña.",
    "Hepatitis A en la infancia, sin secuelas.",
    "COVID-19 leve en 2021, sin secuelas.",
    "Neumonía adquirida en la comunidad en 2019, tratada ambulatoriamente.",
    "Fractura de radio distal izquierdo en 2015, tratada con yeso.",
    "Dengue clásico en 2018 durante un viaje a la Costa.",
    "Infecciones urinarias a repetición (2 a 3 por año).",
)
PERSONAL_NONE = (
    "Niega enfermedades crónicas.",
    "Sin antecedentes patológicos personales de importancia.",
    "Paciente sano; niega enfermedades crónicas y hospitalizaciones.",
)
CHILD_PERSONAL = (
    "Producto de embarazo a término, parto {delivery}, peso al nacer {grams} g. "
    "Lactancia materna exclusiva hasta los 6 meses.",
    "Desarrollo psicomotor acorde a la edad.",
    "Esquema de vacunación completo para la edad (carné revisado).",
    "Bronquiolitis a los 8 meses, sin hospitalización.",
    "Otitis media aguda a repetición en la primera infancia.",
)
FAMILY = (
    "Padre con hipertensión arterial.",
    "Madre con diabetes mellitus tipo 2.",
    "Madre con hipotiroidismo.",
    "Padre fallecido por infarto agudo de miocardio a los 62 años.",
    "Abuela materna con cáncer de mama.",
    "Abuelo paterno con cáncer gástrico.",
    "Hermano con asma bronquial.",
    "Tía materna con artritis reumatoide.",
    "Abuelos maternos con hipertensión arterial y diabetes.",
    "Madre con migraña.",
    "Padre con enfermedad renal crónica en hemodiálisis.",
)
FAMILY_NONE = "Sin antecedentes familiares de relevancia."
# (text, minimum age at surgery, only for this sex or ""); caesareans and curettages come
# from the gyneco-obstetric history, so the two sections agree.
SURGERIES = (
    ("Apendicectomía abierta", 8, ""),
    ("Colecistectomía laparoscópica por colelitiasis", 25, ""),
    ("Amigdalectomía", 5, ""),
    ("Herniorrafia inguinal derecha", 20, ""),
    ("Extracción de terceros molares bajo anestesia local", 18, ""),
    ("Artroscopia de rodilla derecha (menisco)", 20, ""),
    ("Septoplastia", 18, ""),
    ("Circuncisión", 3, "M"),
    ("Vasectomía", 30, "M"),
)
SURGERY_NONE = (
    "Niega antecedentes quirúrgicos.",
    "Ninguna cirugía previa.",
)
SMOKING = (
    "Tabaco: no fuma.",
    "Tabaco: no fuma.",
    "Tabaco: no fuma.",
    "Tabaco: exfumador, dejó de fumar hace {years} años.",
    "Tabaco: fuma {cigarettes} cigarrillos al día desde hace {years} años.",
)
ALCOHOL = (
    "Alcohol: ocasional, en reuniones sociales.",
    "Alcohol: niega.",
    "Alcohol: fines de semana, 2 a 3 cervezas.",
    "Alcohol: ocasional.",
)
EXERCISE = (
    "Actividad física: camina 30 minutos, 3 veces por semana.",
    "Actividad física: sedentario.",
    "Actividad física: fútbol los fines de semana.",
    "Actividad física: gimnasio 4 veces por semana.",
    "Actividad física: bicicleta los domingos en el ciclopaseo.",
    "Actividad física: baile terapia 2 veces por semana.",
)
DIET = (
    "Alimentación: 3 comidas al día, rica en carbohidratos (arroz, papa, pan).",
    "Alimentación: come fuera de casa por el trabajo; consumo frecuente de frituras.",
    "Alimentación: variada, con frutas y verduras a diario.",
    "Alimentación: dieta baja en sal y azúcar por indicación médica.",
)
SLEEP = (
    "Sueño: 7 horas, reparador.",
    "Sueño: 5 a 6 horas por turnos de trabajo.",
    "Sueño: insomnio de conciliación ocasional.",
)
CHILD_HABITS = (
    "Escolar; juega fútbol en el recreo. Cepillado dental 2 veces al día con supervisión.",
    "Alimentación complementaria adecuada; consumo frecuente de golosinas y jugos envasados.",
    "Pantallas: 3 horas al día. Duerme 9 horas.",
    "Cepillado dental 1 vez al día; usa pasta con flúor.",
)
CONTRACEPTION = (
    "Método anticonceptivo: ninguno.",
    "Método anticonceptivo: DIU de cobre desde {year}.",
    "Método anticonceptivo: anticonceptivos orales combinados.",
    "Método anticonceptivo: implante subdérmico desde {year}.",
    "Método anticonceptivo: preservativo.",
    "Método anticonceptivo: ligadura de trompas en {year}.",
)


# -- Allergies -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AllergySpec:
    key: str
    substance: str
    reactions: tuple[tuple[str, str], ...]  # (reaction, severity)
    weight: int


ALLERGIES = (
    AllergySpec(
        "penicilina",
        "Penicilina (amoxicilina)",
        (
            ("Anafilaxia: edema de glotis e hipotensión tras amoxicilina IM", "life_threatening"),
            ("Urticaria generalizada y prurito", "severe"),
            ("Exantema maculopapular", "moderate"),
        ),
        8,
    ),
    AllergySpec(
        "aines",
        "AINEs (ibuprofeno, diclofenaco)",
        (
            ("Angioedema de labios y párpados", "severe"),
            ("Broncoespasmo", "severe"),
            ("Urticaria", "moderate"),
        ),
        6,
    ),
    AllergySpec(
        "latex",
        "Látex",
        (("Dermatitis de contacto en manos", "moderate"), ("Urticaria", "mild")),
        3,
    ),
    AllergySpec(
        "mariscos",
        "Mariscos (camarón, concha)",
        (("Urticaria y edema facial", "moderate"), ("Anafilaxia tras comer ceviche", "severe")),
        5,
    ),
    AllergySpec("polen", "Polen (eucalipto, gramíneas)", (("Rinitis y conjuntivitis", "mild"),), 5),
    AllergySpec("acaros", "Ácaros del polvo", (("Rinitis alérgica y estornudos", "mild"),), 4),
    AllergySpec(
        "sulfas",
        "Sulfonamidas (trimetoprim-sulfametoxazol)",
        (("Exantema generalizado con fiebre", "severe"), ("Exantema", "moderate")),
        3,
    ),
    AllergySpec(
        "metamizol",
        "Metamizol (dipirona)",
        (("Hipotensión y sudoración", "severe"), ("Urticaria", "moderate")),
        2,
    ),
    AllergySpec(
        "anestesico_ester",
        "Anestésicos locales tipo éster (benzocaína)",
        (("Edema en la zona de aplicación", "moderate"),),
        1,
    ),
)
ALLERGY_ERROR_NOTES = (
    "Registrada por error: era intolerancia digestiva (náusea), no alergia.",
    "Registrada en la ficha equivocada; el paciente niega alergias a medicamentos.",
)
ALLERGY_INACTIVE_NOTES = (
    "Prueba de provocación negativa con el alergólogo; tolera el medicamento.",
    "Sin síntomas desde la infancia; tolera el alimento.",
)


# -- Conditions: problem list, current medication, history -----------------------------------


@dataclass(frozen=True)
class MedSpec:
    name: str
    dose: str
    route: str
    frequency: str


@dataclass(frozen=True)
class ConditionSpec:
    key: str
    description: str
    icd10: str
    min_age: int
    weight: int  # prevalence among the eligible, in per mille
    history: str  # for the personal history; {year} is the year of diagnosis
    medications: tuple[MedSpec, ...] = ()
    women_only: bool = False


def _med(name: str, dose: str, frequency: str, route: str = "Oral") -> MedSpec:
    return MedSpec(name, dose, route, frequency)


CONDITIONS = (
    ConditionSpec(
        "hta",
        "Hipertensión esencial (primaria)",
        "I10",
        35,
        180,
        "Hipertensión arterial diagnosticada en {year}.",
        (
            _med("Losartán", "50 mg", "Cada 24 horas, en la mañana"),
            _med("Enalapril", "10 mg", "Cada 12 horas"),
            _med("Amlodipino", "5 mg", "Cada 24 horas"),
        ),
    ),
    ConditionSpec(
        "dm2",
        "Diabetes mellitus tipo 2 sin complicaciones",
        "E11.9",
        35,
        90,
        "Diabetes mellitus tipo 2 diagnosticada en {year}.",
        (
            _med("Metformina", "850 mg", "Cada 12 horas, con desayuno y merienda"),
            _med("Metformina", "1000 mg", "Cada 12 horas, con las comidas"),
        ),
    ),
    ConditionSpec(
        "hipotiroidismo",
        "Hipotiroidismo, no especificado",
        "E03.9",
        18,
        60,
        "Hipotiroidismo diagnosticado en {year}, en control con endocrinología.",
        (
            _med("Levotiroxina", "50 mcg", "Cada mañana en ayunas"),
            _med("Levotiroxina", "75 mcg", "Cada mañana en ayunas"),
        ),
    ),
    ConditionSpec(
        "dislipidemia",
        "Hiperlipidemia mixta",
        "E78.2",
        35,
        110,
        "Dislipidemia desde {year}.",
        (_med("Atorvastatina", "20 mg", "Cada noche"),),
    ),
    ConditionSpec(
        "asma",
        "Asma, no especificada",
        "J45.9",
        4,
        50,
        "Asma bronquial desde {year}; crisis ocasionales con los cambios de clima.",
        (
            _med(
                "Salbutamol inhalador",
                "100 mcg, 2 inhalaciones",
                "Si hay tos o falta de aire",
                "Inhalada",
            ),
            _med("Budesonida inhalador", "200 mcg, 1 inhalación", "Cada 12 horas", "Inhalada"),
        ),
    ),
    ConditionSpec(
        "erge",
        "Enfermedad del reflujo gastroesofágico sin esofagitis",
        "K21.9",
        18,
        70,
        "Reflujo gastroesofágico desde {year}.",
        (_med("Omeprazol", "20 mg", "Cada mañana en ayunas"),),
    ),
    ConditionSpec(
        "gastritis",
        "Gastritis crónica, no especificada",
        "K29.5",
        15,
        60,
        "Gastritis crónica (endoscopia de {year}).",
        (_med("Omeprazol", "20 mg", "Cada mañana en ayunas"),),
    ),
    ConditionSpec(
        "migrana",
        "Migraña, no especificada",
        "G43.9",
        12,
        50,
        "Migraña sin aura desde {year}.",
        (_med("Naproxeno", "550 mg", "Al inicio de la crisis, máximo 2 al día"),),
    ),
    ConditionSpec(
        "rinitis",
        "Rinitis alérgica, no especificada",
        "J30.4",
        4,
        70,
        "Rinitis alérgica estacional.",
        (_med("Loratadina", "10 mg", "Cada 24 horas en temporada de síntomas"),),
    ),
    ConditionSpec(
        "gonartrosis",
        "Gonartrosis, no especificada",
        "M17.9",
        50,
        120,
        "Artrosis de rodillas desde {year}.",
        (_med("Paracetamol", "500 mg", "Cada 8 horas si hay dolor"),),
    ),
    ConditionSpec(
        "obesidad",
        "Obesidad, no especificada",
        "E66.9",
        12,
        90,
        "Sobrepeso y obesidad desde {year}; en plan nutricional.",
    ),
    ConditionSpec(
        "anemia",
        "Anemia por deficiencia de hierro, sin otra especificación",
        "D50.9",
        12,
        40,
        "Anemia ferropénica diagnosticada en {year}.",
        (_med("Sulfato ferroso", "300 mg", "Cada 24 horas, con jugo de naranja"),),
        women_only=True,
    ),
    ConditionSpec(
        "ansiedad",
        "Trastorno de ansiedad generalizada",
        "F41.1",
        18,
        30,
        "Trastorno de ansiedad en seguimiento con psicología desde {year}.",
        (_med("Sertralina", "50 mg", "Cada mañana"),),
    ),
)
CONDITION = {c.key: c for c in CONDITIONS}

# Past problems, now resolved: (description, ICD-10, minimum age).
PAST_PROBLEMS = (
    ("Faringoamigdalitis aguda", "J03.9", 2),
    ("Infección de vías urinarias, sitio no especificado", "N39.0", 10),
    ("Gastroenteritis y colitis de origen no especificado", "A09", 1),
    ("Esguince de tobillo derecho", "S93.4", 8),
    ("Lumbago no especificado", "M54.5", 18),
    ("Bronquitis aguda, no especificada", "J20.9", 2),
    ("Conjuntivitis aguda", "H10.3", 1),
    ("Vértigo paroxístico benigno", "H81.1", 25),
    ("Dermatitis de contacto", "L25.9", 5),
)
# Dental problems the dentist's visits imply: (key, description, ICD-10, stays active).
DENTAL_PROBLEMS = {
    "caries": ("Caries de la dentina", "K02.1", True),
    "gingivitis": ("Gingivitis crónica", "K05.1", True),
    "pulpitis": ("Pulpitis", "K04.0", False),
    "maloclusion": ("Maloclusión de tipo no especificado", "K07.4", True),
    "periodontitis": ("Periodontitis crónica", "K05.3", True),
    "bruxismo": ("Bruxismo", "F45.8", True),
}
# Medications a patient may also take, outside any condition above.
EXTRA_MEDS = (
    _med("Vitamina D3", "1000 UI", "Cada 24 horas"),
    _med("Complejo B", "1 tableta", "Cada 24 horas"),
    _med("Ácido acetilsalicílico", "100 mg", "Cada 24 horas, después del almuerzo"),
    _med("Calcio + vitamina D", "600 mg / 400 UI", "Cada 24 horas"),
)
CONTRACEPTIVE = _med("Etinilestradiol + levonorgestrel", "0,03 mg / 0,15 mg", "Cada 24 horas")
# A medication stopped, with why: (medication, note)
STOPPED_MEDS = (
    (_med("Enalapril", "10 mg", "Cada 12 horas"), "Suspendido por tos seca; se cambió a losartán."),
    (_med("Ibuprofeno", "400 mg", "Cada 8 horas"), "Tratamiento de 5 días terminado."),
    (_med("Amoxicilina", "500 mg", "Cada 8 horas"), "Tratamiento de 7 días completado."),
    (_med("Omeprazol", "20 mg", "Cada mañana"), "Suspendido al mejorar los síntomas."),
)
