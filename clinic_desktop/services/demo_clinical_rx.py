"""What the demo's notes share: the patient facts a note depends on (`NoteContext`), the note
text a builder returns (`NoteText`), the prescription lines the clinic's doctors write most
(with the substitutes used when the patient is allergic: no amoxicillin after a penicillin
reaction, no NSAID after an NSAID one) and the vital signs of a patient of that age, as they
read in Quito (2,850 m, where 92-96 % oxygen saturation is normal)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import TypeVar

from clinic_desktop.services.demo_clinical_texts import MedSpec

T = TypeVar("T")


def pick(rng: random.Random, options: tuple[T, ...] | list[T]) -> T:
    return options[int(rng.random() * len(options))]


def between(rng: random.Random, low: int, high: int) -> int:
    return low + int(rng.random() * (high - low + 1))


@dataclass(frozen=True)
class Rx:
    medication: str
    dose: str
    route: str
    frequency: str
    duration: str
    instructions: str = ""

    @property
    def sentence(self) -> str:
        """How the plan mentions it: "Amoxicilina 500 mg cápsulas, 1 cápsula cada 8 horas
        por 7 días"."""
        return f"{self.medication}, {self.dose} {self.frequency.lower()} por {self.duration}"


RX: dict[str, Rx] = {
    "amoxicilina": Rx(
        "Amoxicilina 500 mg cápsulas",
        "1 cápsula",
        "Oral",
        "Cada 8 horas",
        "7 días",
        "Completar el tratamiento aunque mejore.",
    ),
    "amoxi_clav": Rx(
        "Amoxicilina + ácido clavulánico 875/125 mg",
        "1 tableta",
        "Oral",
        "Cada 12 horas",
        "7 días",
        "Tomar con el desayuno y la merienda.",
    ),
    "amoxicilina_nino": Rx(
        "Amoxicilina suspensión 250 mg/5 ml",
        "7 ml",
        "Oral",
        "Cada 8 horas",
        "7 días",
        "Agitar antes de usar; guardar en la refrigeradora.",
    ),
    "azitromicina_nino": Rx(
        "Azitromicina suspensión 200 mg/5 ml",
        "5 ml",
        "Oral",
        "Cada 24 horas",
        "3 días",
        "Agitar antes de usar.",
    ),
    "ibuprofeno_nino": Rx(
        "Ibuprofeno suspensión 100 mg/5 ml",
        "5 ml",
        "Oral",
        "Cada 8 horas si hay dolor",
        "3 días",
        "Dar con alimentos.",
    ),
    "ambroxol_nino": Rx(
        "Ambroxol jarabe pediátrico 15 mg/5 ml", "5 ml", "Oral", "Cada 8 horas", "5 días"
    ),
    "azitromicina": Rx(
        "Azitromicina 500 mg tabletas",
        "1 tableta",
        "Oral",
        "Cada 24 horas",
        "3 días",
        "Tomar una hora antes de las comidas.",
    ),
    "clindamicina": Rx(
        "Clindamicina 300 mg cápsulas",
        "1 cápsula",
        "Oral",
        "Cada 8 horas",
        "7 días",
        "Tomar con un vaso lleno de agua.",
    ),
    "paracetamol": Rx(
        "Paracetamol 500 mg tabletas",
        "2 tabletas (1 g)",
        "Oral",
        "Cada 8 horas si hay dolor o fiebre",
        "3 días",
        "No pasar de 4 g al día.",
    ),
    "paracetamol_nino": Rx(
        "Paracetamol jarabe 160 mg/5 ml",
        "5 ml",
        "Oral",
        "Cada 6 horas si hay fiebre",
        "3 días",
        "Medir con la jeringa dosificadora.",
    ),
    "ibuprofeno": Rx(
        "Ibuprofeno 400 mg tabletas",
        "1 tableta",
        "Oral",
        "Cada 8 horas",
        "5 días",
        "Tomar después de las comidas.",
    ),
    "ketorolaco": Rx(
        "Ketorolaco 10 mg tabletas",
        "1 tableta",
        "Sublingual",
        "Cada 8 horas si hay dolor",
        "3 días",
        "No usar más de 5 días.",
    ),
    "ciclobenzaprina": Rx(
        "Ciclobenzaprina 10 mg tabletas",
        "1 tableta",
        "Oral",
        "Cada noche",
        "5 días",
        "Produce somnolencia: no conducir.",
    ),
    "diclofenaco_gel": Rx(
        "Diclofenaco gel 1 %",
        "Capa fina",
        "Tópica",
        "Cada 8 horas",
        "10 días",
        "Masajear la zona y lavarse las manos después.",
    ),
    "omeprazol": Rx(
        "Omeprazol 20 mg cápsulas",
        "1 cápsula",
        "Oral",
        "Cada mañana en ayunas",
        "14 días",
        "30 minutos antes del desayuno.",
    ),
    "sro": Rx(
        "Sales de rehidratación oral",
        "1 sobre en 1 litro de agua",
        "Oral",
        "A libre demanda",
        "3 días",
        "Beber a sorbos después de cada deposición líquida.",
    ),
    "nitrofurantoina": Rx(
        "Nitrofurantoína 100 mg cápsulas",
        "1 cápsula",
        "Oral",
        "Cada 12 horas",
        "5 días",
        "Tomar con alimentos; la orina puede oscurecerse.",
    ),
    "loratadina": Rx("Loratadina 10 mg tabletas", "1 tableta", "Oral", "Cada 24 horas", "10 días"),
    "salbutamol": Rx(
        "Salbutamol inhalador 100 mcg",
        "2 inhalaciones",
        "Inhalada",
        "Cada 6 horas si hay tos o falta de aire",
        "10 días",
        "Usar con cámara espaciadora.",
    ),
    "ambroxol": Rx("Ambroxol jarabe 30 mg/5 ml", "10 ml", "Oral", "Cada 8 horas", "7 días"),
    "betahistina": Rx(
        "Betahistina 16 mg tabletas",
        "1 tableta",
        "Oral",
        "Cada 8 horas",
        "14 días",
        "Tomar con alimentos.",
    ),
    "naproxeno": Rx(
        "Naproxeno 550 mg tabletas",
        "1 tableta",
        "Oral",
        "Al inicio del dolor de cabeza",
        "10 días",
        "Máximo 2 tabletas al día.",
    ),
    "sulfato_ferroso": Rx(
        "Sulfato ferroso 300 mg tabletas",
        "1 tableta",
        "Oral",
        "Cada 24 horas",
        "3 meses",
        "Con jugo de naranja; puede oscurecer las heces.",
    ),
    "atorvastatina": Rx(
        "Atorvastatina 20 mg tabletas", "1 tableta", "Oral", "Cada noche", "30 días"
    ),
    "clorhexidina": Rx(
        "Clorhexidina 0,12 % enjuague bucal",
        "15 ml",
        "Bucal",
        "Cada 12 horas",
        "7 días",
        "Enjuagar 30 segundos; no comer ni beber en 30 minutos.",
    ),
}
# What a child under 30 kg gets instead (a syrup, dosed by weight).
_FOR_CHILDREN = {
    "amoxicilina": "amoxicilina_nino",
    "azitromicina": "azitromicina_nino",
    "paracetamol": "paracetamol_nino",
    "ibuprofeno": "ibuprofeno_nino",
    "ketorolaco": "ibuprofeno_nino",
    "ambroxol": "ambroxol_nino",
}
# mg/kg per dose and mg per ml of the children's syrups.
_PER_KG = {
    "amoxicilina_nino": (16.7, 50.0),
    "azitromicina_nino": (10.0, 40.0),
    "paracetamol_nino": (15.0, 32.0),
    "ibuprofeno_nino": (10.0, 20.0),
}
# What replaces a line the patient is allergic to.
_INSTEAD = {
    "penicilina": {
        "amoxicilina": "azitromicina",
        "amoxicilina_nino": "azitromicina_nino",
        "amoxi_clav": "clindamicina",
    },
    "aines": {
        "ibuprofeno": "paracetamol",
        "ibuprofeno_nino": "paracetamol_nino",
        "ketorolaco": "paracetamol",
        "naproxeno": "paracetamol",
    },
}


@dataclass(frozen=True)
class NoteContext:
    """What a note builder may know about the patient."""

    age: int
    sex: str
    conditions: frozenset[str]
    medications: dict[str, MedSpec]  # by condition key: what the patient takes for it
    allergies: frozenset[str]  # keys of active allergies
    height_cm: float
    weight_kg: float

    @property
    def child(self) -> bool:
        return self.age < 14

    @property
    def woman(self) -> bool:
        return self.sex == "F"

    def safe(self, *keys: str) -> list[Rx]:
        """The lines for `keys`, each replaced by its substitute when the patient is allergic
        to it, without repeating one."""
        lines: list[Rx] = []
        for key in keys:
            if self.weight_kg < 30:  # heavier children take the adult tablets
                key = _FOR_CHILDREN.get(key, key)
            for allergy, swaps in _INSTEAD.items():
                if allergy in self.allergies and key in swaps:
                    key = swaps[key]
            line = RX[key]
            if key in _PER_KG:
                per_kg, per_ml = _PER_KG[key]
                ml = max(1.0, round(self.weight_kg * per_kg / per_ml * 2) / 2)  # to half a ml
                line = Rx(**{**line.__dict__, "dose": f"{ml:g} ml".replace(".", ",")})
            if line not in lines:
                lines.append(line)
        return lines

    def chronic_rx(self, condition: str) -> Rx | None:
        med = self.medications.get(condition)
        if med is None:
            return None
        return Rx(
            f"{med.name} {med.dose}",
            "1 tableta" if med.route == "Oral" else med.dose,
            med.route,
            med.frequency,
            "30 días",
            "Tratamiento continuo: no suspender sin indicación médica.",
        )


@dataclass
class NoteText:
    chief_complaint: str
    subjective: str
    objective: str
    assessment: str
    plan: str
    rx: list[Rx] = field(default_factory=list)
    vitals: dict[str, float] = field(default_factory=dict)


def plan_with(rx: list[Rx], rest: str) -> str:
    """The plan: the medication first, as the doctor writes it, then the rest."""
    if not rx:
        return rest
    return "; ".join(line.sentence for line in rx) + ". " + rest


def vitals(
    rng: random.Random,
    ctx: NoteContext,
    *,
    kind: str = "full",
    fever: bool = False,
    bp: tuple[int, int] | None = None,
) -> dict[str, float]:
    """Plausible vital signs for the patient: "full" (a medical consultation), "dental"
    (blood pressure and pulse before anaesthesia, adults only) or "none"."""
    if kind == "none" or (kind == "dental" and ctx.age < 15):
        return {}
    if ctx.age < 1:
        heart, breath = between(rng, 110, 150), between(rng, 30, 45)
    elif ctx.age < 12:
        heart, breath = between(rng, 80, 120), between(rng, 18, 28)
    else:
        heart, breath = between(rng, 60, 94), between(rng, 14, 20)
    if bp is None and ctx.age >= 12:
        base = 105 + min(ctx.age, 70) // 3
        bp = (between(rng, base - 8, base + 12), between(rng, 62, 82))
    result: dict[str, float] = {}
    if bp is not None:
        result["systolic_bp"], result["diastolic_bp"] = float(bp[0]), float(bp[1])
    result["heart_rate"] = float(heart + (between(rng, 10, 22) if fever else 0))
    if kind == "dental":
        return result
    temperature = (380 + between(rng, 0, 14)) if fever else between(rng, 360, 372)
    result["respiratory_rate"] = float(breath + (2 if fever else 0))
    result["temperature_c"] = temperature / 10
    result["spo2"] = float(between(rng, 92, 96))
    drift = 1 + (rng.random() - 0.5) * 0.03
    result["weight_kg"] = round(ctx.weight_kg * drift, 1)
    result["height_cm"] = ctx.height_cm
    return result
