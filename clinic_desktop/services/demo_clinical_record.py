"""Each demo patient's standing clinical record: which chronic conditions they have (by age
and sex, and those their booked visits imply, so a patient booked for diabetes controls is
diabetic), what they take for them, their allergies, and from that the rows of the medical
history by section, allergies, medications and problem list. The `NoteContext` built here is
what the consultation notes later read, so notes, prescriptions and the chart agree."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from clinic_desktop.models.base import new_id
from clinic_desktop.models.clinical import (
    AllergyStatus,
    HistorySection,
    MedicationStatus,
    ProblemStatus,
)
from clinic_desktop.services.demo_clinical_rx import NoteContext, between, pick
from clinic_desktop.services.demo_clinical_texts import (
    ALCOHOL,
    ALLERGIES,
    ALLERGY_ERROR_NOTES,
    ALLERGY_INACTIVE_NOTES,
    CHILD_HABITS,
    CHILD_PERSONAL,
    CONDITION,
    CONDITIONS,
    CONTRACEPTION,
    CONTRACEPTIVE,
    DENTAL_PROBLEMS,
    DIET,
    EXERCISE,
    EXTRA_MEDS,
    FAMILY,
    FAMILY_NONE,
    PAST_PROBLEMS,
    PERSONAL_EXTRAS,
    PERSONAL_NONE,
    SLEEP,
    SMOKING,
    STOPPED_MEDS,
    SURGERIES,
    SURGERY_NONE,
    AllergySpec,
    MedSpec,
)

# Visits that imply a condition: (reason or dental type, condition, minimum age, chance).
_IMPLIED = (
    ("Control de presión arterial", "hta", 30, 1.0),
    ("Control de diabetes", "dm2", 30, 1.0),
    ("Revisión de resultados de laboratorio", "dislipidemia", 30, 0.5),
    ("Dolor de rodilla", "gonartrosis", 50, 1.0),
    ("Cefalea frecuente", "migrana", 12, 0.4),
    ("Tos persistente", "asma", 4, 0.25),
)
_DENTAL_IMPLIED = {
    "Limpieza dental": ("gingivitis", 0.5),
    "Endodoncia": ("pulpitis", 1.0),
    "Revisión de ortodoncia": ("maloclusion", 1.0),
    "Consulta general": ("caries", 0.6),
    "Control": ("caries", 0.3),
}
_ALLERGY_WEIGHTS = [a.weight for a in ALLERGIES]


@dataclass(frozen=True)
class PatientFacts:
    id: uuid.UUID
    chart: int
    name: str
    last_names: str
    birth: date | None
    sex: str | None
    email: str | None
    phone: str | None


@dataclass
class Profile:
    facts: PatientFacts
    age: int
    reasons: set[str] = field(default_factory=set)  # medical reasons of the patient's visits
    dental_types: set[str] = field(default_factory=set)  # dental appointment types
    first_visit: datetime | None = None
    context: NoteContext | None = None

    @property
    def ctx(self) -> NoteContext:
        assert self.context is not None
        return self.context


def age_on(birth: date | None, today: date) -> int:
    if birth is None:
        return 40
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _anthropometry(rng: random.Random, age: int, sex: str, obese: bool) -> tuple[float, float]:
    if age < 1:
        return float(between(rng, 52, 74)), between(rng, 35, 90) / 10
    if age < 18:
        height = 77 + 6 * age + between(rng, -6, 6)
        weight = (2 * age + 8) * (1 + between(rng, -12, 20) / 100)
        if age >= 13:
            height = min(height, 150 + between(rng, 0, 25))
        return float(height), round(weight, 1)
    height = between(rng, 148, 166) if sex == "F" else between(rng, 158, 180)
    bmi = between(rng, 300, 360) / 10 if obese else between(rng, 210, 295) / 10
    return float(height), round(bmi * (height / 100) ** 2, 1)


def build_profile(rng: random.Random, profile: Profile) -> list[str]:
    """Chooses conditions, medications and allergies; returns the allergy keys chosen (active
    or not), which `standing_rows` turns into rows."""
    age, sex = profile.age, profile.facts.sex or "F"
    conditions: set[str] = set()
    for spec in CONDITIONS:
        if age < spec.min_age or (spec.women_only and sex != "F"):
            continue
        if rng.random() < spec.weight / 1000 * (1.6 if age >= 60 else 1.0):
            conditions.add(spec.key)
    for reason, key, min_age, chance in _IMPLIED:
        if reason in profile.reasons and age >= min_age and rng.random() < chance:
            conditions.add(key)
    medications: dict[str, MedSpec] = {}
    for key in sorted(conditions):
        options = CONDITION[key].medications
        if options and len(medications) < 3 and rng.random() < 0.88:
            medications[key] = pick(rng, options)
    allergies: list[str] = []
    if rng.random() < 0.25:
        count = 2 if rng.random() < 0.2 else 1
        for allergy in rng.choices(ALLERGIES, weights=_ALLERGY_WEIGHTS, k=count):
            if allergy.key not in allergies:
                allergies.append(allergy.key)
    height, weight = _anthropometry(rng, age, sex, "obesidad" in conditions)
    profile.context = NoteContext(
        age=age,
        sex=sex,
        conditions=frozenset(conditions),
        medications=medications,
        allergies=frozenset(allergies),
        height_cm=height,
        weight_kg=weight,
    )
    return allergies


@dataclass
class StandingRows:
    history: list[dict[str, Any]] = field(default_factory=list)
    allergies: list[dict[str, Any]] = field(default_factory=list)
    medications: list[dict[str, Any]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    allergic_patients: int = 0


class StandingWriter:
    """Turns profiles into rows, all stamped as written by `author` at `at`."""

    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng = rng
        self.today = today
        # What the chart knew before the patient's first visit here is dated before it.
        self.cutoff = today
        self.rows = StandingRows()

    def _base(self, profile: Profile, author: uuid.UUID, at: datetime) -> dict[str, Any]:
        return {
            "id": new_id(),
            "created_at": at,
            "updated_at": at,
            "created_by": author,
            "updated_by": author,
            "version": 1,
            "patient_id": profile.facts.id,
        }

    def _year(self, age: int, since: int) -> int:
        span = max(0, min(20, age - since))
        return self.cutoff.year - between(self.rng, 0, span)

    def _day_in(self, year: int) -> date:
        first = date(year, 1, 1)
        last = min(date(year, 12, 28), self.cutoff - timedelta(days=20))
        if last <= first:
            return first
        return first + timedelta(days=between(self.rng, 0, (last - first).days))

    def add(self, profile: Profile, allergies: list[str], author: uuid.UUID, at: datetime) -> None:
        rng, ctx = self.rng, profile.ctx
        self.cutoff = min(at.date(), self.today)
        years = {key: self._year(ctx.age, CONDITION[key].min_age) for key in ctx.conditions}
        texts = self._history(profile, years)
        for section, text in texts.items():
            self.rows.history.append(
                {**self._base(profile, author, at), "section": section.value, "text": text}
            )
        self._allergies(profile, allergies, author, at)
        for key in sorted(ctx.conditions):
            spec = CONDITION[key]
            self.rows.problems.append(
                self._problem(profile, author, at, spec.description, spec.icd10, years[key])
            )
        if rng.random() < 0.3:
            options = [p for p in PAST_PROBLEMS if ctx.age >= p[2]]
            if options:
                description, code, _min = pick(rng, options)
                self.rows.problems.append(
                    self._problem(
                        profile, author, at, description, code, self._year(ctx.age, 0), True
                    )
                )
        for key in self._dental_keys(profile):
            description, code, active = DENTAL_PROBLEMS[key]
            year = self.cutoff.year
            self.rows.problems.append(
                self._problem(profile, author, at, description, code, year, not active)
            )
        self._medications(profile, years, author, at)

    def _dental_keys(self, profile: Profile) -> list[str]:
        keys: list[str] = []
        for kind in sorted(profile.dental_types):
            implied = _DENTAL_IMPLIED.get(kind)
            if implied and implied[0] not in keys and self.rng.random() < implied[1]:
                keys.append(implied[0])
        return keys

    def _problem(
        self,
        profile: Profile,
        author: uuid.UUID,
        at: datetime,
        description: str,
        code: str,
        year: int,
        resolved: bool = False,
    ) -> dict[str, Any]:
        onset = self._day_in(year)
        ended = min(onset + timedelta(days=between(self.rng, 7, 40)), self.today)
        return {
            **self._base(profile, author, at),
            "description": description,
            "icd10": code,
            "status": (ProblemStatus.RESOLVED if resolved else ProblemStatus.ACTIVE).value,
            "onset_on": onset,
            "resolved_on": ended if resolved else None,
            "note": "",
        }

    def _allergies(
        self, profile: Profile, keys: list[str], author: uuid.UUID, at: datetime
    ) -> None:
        if not keys:
            return
        self.rows.allergic_patients += 1
        number = self.rows.allergic_patients
        specs: list[tuple[AllergySpec, str]] = []
        by_key = {a.key: a for a in ALLERGIES}
        for key in keys:
            # Every so often an allergy is no longer current (a negative challenge test).
            inactive = number % 7 == 4 and not specs
            specs.append(
                (by_key[key], AllergyStatus.INACTIVE if inactive else AllergyStatus.ACTIVE)
            )
        if number % 9 == 2:
            spare = next(a for a in ALLERGIES if a.key not in keys and a.key != "latex")
            specs.append((spare, AllergyStatus.ENTERED_IN_ERROR))
        for spec, status in specs:
            reaction, severity = pick(self.rng, spec.reactions)
            note = ""
            if status == AllergyStatus.INACTIVE:
                note = pick(self.rng, ALLERGY_INACTIVE_NOTES)
            elif status == AllergyStatus.ENTERED_IN_ERROR:
                note = pick(self.rng, ALLERGY_ERROR_NOTES)
            self.rows.allergies.append(
                {
                    **self._base(profile, author, at),
                    "substance": spec.substance,
                    "reaction": reaction,
                    "severity": severity,
                    "status": str(status),
                    "noted_on": self._day_in(self._year(profile.age, 0)),
                    "note": note,
                }
            )

    def _medications(
        self, profile: Profile, years: dict[str, int], author: uuid.UUID, at: datetime
    ) -> None:
        rng, ctx = self.rng, profile.ctx
        taken: list[tuple[MedSpec, date | None, str, date | None]] = [
            (med, self._day_in(years[key]), MedicationStatus.ACTIVE.value, None)
            for key, med in sorted(ctx.medications.items())
        ]
        if len(taken) < 3 and ctx.age >= 18:
            if ctx.woman and ctx.age <= 45 and rng.random() < 0.12:
                since = self._day_in(self._year(ctx.age, 18))
                taken.append((CONTRACEPTIVE, since, MedicationStatus.ACTIVE.value, None))
            elif ctx.age >= 40 and rng.random() < 0.12:
                taken.append((pick(rng, EXTRA_MEDS), None, MedicationStatus.ACTIVE.value, None))
        notes: dict[int, str] = {}
        if ctx.age >= 18 and rng.random() < 0.1:
            med, why = pick(rng, STOPPED_MEDS)
            began = self._day_in(self._year(ctx.age, 18))
            ended = min(began + timedelta(days=between(rng, 5, 200)), self.today)
            notes[len(taken)] = why
            taken.append((med, began, MedicationStatus.STOPPED.value, ended))
        for index, (med, started, status, stopped) in enumerate(taken):
            self.rows.medications.append(
                {
                    **self._base(profile, author, at),
                    "name": med.name,
                    "dose": med.dose,
                    "route": med.route,
                    "frequency": med.frequency,
                    "status": status,
                    "started_on": started,
                    "stopped_on": stopped,
                    "note": notes.get(index, ""),
                }
            )

    def _history(self, profile: Profile, years: dict[str, int]) -> dict[HistorySection, str]:
        rng, ctx = self.rng, profile.ctx
        texts: dict[HistorySection, str] = {}
        if rng.random() < 0.88:
            texts[HistorySection.PERSONAL] = self._personal(ctx, years)
        if rng.random() < 0.72:
            found = rng.sample(FAMILY, k=between(rng, 0, 3))
            texts[HistorySection.FAMILY] = " ".join(found) if found else FAMILY_NONE
        gyneco = self._gyneco(ctx) if ctx.woman and ctx.age >= 15 else None
        if rng.random() < 0.62:
            texts[HistorySection.SURGICAL] = self._surgical(ctx, gyneco)
        if rng.random() < 0.78:
            texts[HistorySection.HABITS] = self._habits(ctx)
        if gyneco is not None and rng.random() < 0.85:
            texts[HistorySection.GYNECO_OBSTETRIC] = gyneco[0]
        return texts

    def _personal(self, ctx: NoteContext, years: dict[str, int]) -> str:
        rng = self.rng
        if ctx.child:
            first = CHILD_PERSONAL[0].format(
                delivery=pick(rng, ("normal", "por cesárea")), grams=between(rng, 2700, 3800)
            )
            return " ".join([first, *rng.sample(CHILD_PERSONAL[1:], k=between(rng, 1, 2))])
        parts = [CONDITION[k].history.format(year=years[k]) for k in sorted(ctx.conditions)]
        parts += rng.sample(PERSONAL_EXTRAS, k=between(rng, 0, 2))
        return " ".join(parts) if parts else pick(rng, PERSONAL_NONE)

    def _surgical(self, ctx: NoteContext, gyneco: tuple[str, int, int] | None) -> str:
        rng = self.rng
        options = [s for s in SURGERIES if ctx.age > s[1] + 1 and s[2] in ("", ctx.sex)]
        chosen = rng.sample(options, k=min(len(options), between(rng, 0, 2)))
        parts = [f"{name} en {self._year(ctx.age, low)}." for name, low, _sex in chosen]
        if gyneco is not None and gyneco[1]:
            parts.append(f"Cesárea en {self._year(ctx.age, 20)}.")
        if gyneco is not None and gyneco[2]:
            parts.append(f"Legrado uterino por aborto incompleto en {self._year(ctx.age, 20)}.")
        return " ".join(parts) if parts else pick(rng, SURGERY_NONE)

    def _habits(self, ctx: NoteContext) -> str:
        rng = self.rng
        if ctx.age < 12:
            return " ".join(rng.sample(CHILD_HABITS, k=2))
        if ctx.age < 18:
            return "Tabaco y alcohol: niega. " + pick(rng, EXERCISE) + " " + pick(rng, SLEEP)
        smoking = pick(rng, SMOKING).format(
            years=between(rng, 1, max(1, min(30, ctx.age - 16))), cigarettes=between(rng, 2, 10)
        )
        return " ".join(
            (smoking, pick(rng, ALCOHOL), pick(rng, EXERCISE), pick(rng, DIET), pick(rng, SLEEP))
        )

    def _gyneco(self, ctx: NoteContext) -> tuple[str, int, int]:
        """The gyneco-obstetric history and how many caesareans and abortions it lists."""
        rng, age = self.rng, ctx.age
        menarche = between(rng, 10, 14)
        pregnancies = 0 if age < 19 else between(rng, 0, min(5, (age - 17) // 5))
        abortions = 1 if pregnancies and rng.random() < 0.2 else 0
        caesareans = between(rng, 0, pregnancies - abortions) if pregnancies else 0
        births = pregnancies - abortions - caesareans
        parts = [f"Menarquia a los {menarche} años."]
        if age >= 50:
            parts.append(f"Menopausia a los {between(rng, 45, 53)} años.")
        else:
            cycles = pick(rng, ("regulares, 28/5", "regulares, 30/4", "irregulares"))
            last = self.today - timedelta(days=between(rng, 3, 30))
            parts.append(f"Ciclos {cycles}. FUM: {last:%d/%m/%Y}.")
        parts.append(f"G{pregnancies} P{births} C{caesareans} A{abortions}.")
        if age < 50:
            parts.append(pick(rng, CONTRACEPTION).format(year=self.today.year - between(rng, 1, 6)))
        if age >= 21:
            parts.append(
                f"Último Papanicolaou en {self.today.year - between(rng, 0, 3)}: negativo para "
                "lesión intraepitelial."
            )
        return " ".join(parts), caesareans, abortions
