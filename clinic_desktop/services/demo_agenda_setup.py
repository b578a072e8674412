"""The demo clinic's calendar set-up, as plain data for `demo_agenda`: practitioners (the two
demo doctors linked to their accounts, then external ones), their weekly hours with a lunch
break, rooms and chairs, appointment types with realistic reasons, time off, an extra
Saturday and one clinic closure. It also answers, in whole minutes of the local day, when a
practitioner is open on a date, which is how the generator keeps every appointment inside
working hours without building aware datetimes for each candidate slot."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from clinic_desktop.models.base import new_id
from clinic_desktop.models.schedule import AppointmentMode, ExceptionKind

Minutes = tuple[int, int]  # [start, end) in minutes after local midnight

IN_PERSON = AppointmentMode.IN_PERSON.value
TELEMEDICINE = AppointmentMode.TELEMEDICINE.value


@dataclass(frozen=True)
class TypeSpec:
    name: str
    minutes: int
    colour: str
    mode: str
    reasons: tuple[str, ...]


TYPES: tuple[TypeSpec, ...] = (
    TypeSpec(
        "Consulta general",
        30,
        "#0F766E",
        IN_PERSON,
        (
            "Dolor de garganta",
            "Fiebre y malestar general",
            "Dolor lumbar",
            "Chequeo anual",
            "Dolor abdominal",
            "Tos persistente",
            "Cefalea frecuente",
            "Mareos",
            "Dolor de rodilla",
            "Certificado médico",
        ),
    ),
    TypeSpec(
        "Control",
        20,
        "#2563EB",
        IN_PERSON,
        (
            "Control de presión arterial",
            "Control de diabetes",
            "Revisión de resultados de laboratorio",
            "Control de tratamiento",
            "Control post-operatorio",
            "Retiro de puntos",
        ),
    ),
    TypeSpec(
        "Primera visita",
        40,
        "#7C3AED",
        IN_PERSON,
        (
            "Primera consulta",
            "Evaluación inicial",
            "Valoración general",
            "Referido por otro médico",
        ),
    ),
    TypeSpec(
        "Videoconsulta",
        20,
        "#0891B2",
        TELEMEDICINE,
        ("Revisión de exámenes", "Seguimiento de tratamiento", "Renovación de receta"),
    ),
    TypeSpec(
        "Limpieza dental",
        45,
        "#D97706",
        IN_PERSON,
        ("Limpieza semestral", "Profilaxis y flúor", "Sangrado de encías"),
    ),
    TypeSpec(
        "Endodoncia",
        90,
        "#B91C1C",
        IN_PERSON,
        ("Tratamiento de conducto", "Dolor de muela intenso", "Continuación de endodoncia"),
    ),
    TypeSpec(
        "Revisión de ortodoncia",
        30,
        "#DB2777",
        IN_PERSON,
        ("Ajuste de brackets", "Control de retenedor", "Cambio de arco"),
    ),
)
CONSULT, CONTROL, FIRST_VISIT, VIDEO, CLEANING, ROOT_CANAL, ORTHODONTICS = range(len(TYPES))

# (type index, weight): what each kind of practice books.
MEDICAL_MIX = ((CONSULT, 36), (CONTROL, 34), (FIRST_VISIT, 12), (VIDEO, 18))
DENTAL_MIX = ((CLEANING, 30), (CONTROL, 22), (ORTHODONTICS, 20), (ROOT_CANAL, 10), (CONSULT, 18))

BASE_ROOMS = ("Consultorio 1", "Consultorio 2", "Sillón dental 1", "Sala de videoconsulta")
VIDEO_ROOM = 3

NOTES = (
    "Traer exámenes anteriores",
    "Paciente en silla de ruedas",
    "Requiere factura con RUC",
    "Viene con su representante",
    "Llamar si hay un espacio antes",
    "Prefiere que le llamen al celular",
)


def _hm(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _week(days: range | tuple[int, ...], *intervals: tuple[str, str]) -> dict[int, list[Minutes]]:
    return {d: [(_hm(a), _hm(b)) for a, b in intervals] for d in days}


@dataclass
class PractitionerPlan:
    id: uuid.UUID
    name: str
    specialty: str
    colour: str
    username: str | None  # the demo account to link, when it exists
    room: int  # index in the room list: a chair or office of their own (or shared by roster)
    weekly: dict[int, list[Minutes]]
    dental: bool
    sort_order: int
    user_id: uuid.UUID | None = None
    mix: tuple[tuple[int, int], ...] = field(default=())

    def __post_init__(self) -> None:
        self.mix = DENTAL_MIX if self.dental else MEDICAL_MIX


_MON_FRI = range(5)
_FIXED: tuple[tuple[str, str, str, str | None, int, dict[int, list[Minutes]], bool], ...] = (
    (
        "Dr. Andrés Paredes",
        "Medicina general",
        "#2563EB",
        "medico",
        0,
        _week(_MON_FRI, ("08:00", "13:00"), ("14:00", "18:00")),
        False,
    ),
    (
        "Dra. Valeria Cedeño",
        "Odontología",
        "#DB2777",
        "odontologa",
        2,
        # The dentist also works Saturday mornings.
        {
            **_week(_MON_FRI, ("09:00", "13:00"), ("15:00", "19:00")),
            **_week((5,), ("08:00", "12:00")),
        },
        True,
    ),
    # Two part-timers share Consultorio 2 on different weekdays, so the room never clashes.
    (
        "Dra. Gabriela Salazar",
        "Pediatría",
        "#059669",
        None,
        1,
        _week((0, 2, 4), ("08:00", "12:30"), ("14:00", "17:00")),
        False,
    ),
    (
        "Dr. Santiago Vera",
        "Cardiología",
        "#7C3AED",
        None,
        1,
        _week((1, 3), ("08:30", "13:00"), ("14:00", "18:30")),
        False,
    ),
)
_TITLED = (
    ("Dra.", "Paola"),
    ("Dr.", "Esteban"),
    ("Dra.", "Mónica"),
    ("Dr.", "Ricardo"),
    ("Dra.", "Fernanda"),
    ("Dr.", "Patricio"),
    ("Dra.", "Cristina"),
    ("Dr.", "Mauricio"),
    ("Dra.", "Silvia"),
    ("Dr.", "Xavier"),
    ("Dra.", "Lorena"),
    ("Dr.", "Gustavo"),
)
_SURNAMES = ("Espinoza", "Herrera", "Calderón", "Maldonado", "Rivadeneira", "Samaniego", "Pazmiño")
_SPECIALTIES = (
    ("Medicina interna", False),
    ("Ortodoncia", True),
    ("Dermatología", False),
    ("Ginecología", False),
    ("Traumatología", False),
    ("Odontopediatría", True),
    ("Medicina familiar", False),
    ("Endocrinología", False),
    ("Otorrinolaringología", False),
    ("Psicología clínica", False),
)
_PALETTE = ("#EA580C", "#0284C7", "#65A30D", "#C026D3", "#0D9488", "#CA8A04", "#4F46E5", "#E11D48")


def practitioner_plans(count: int, rooms: list[str]) -> list[PractitionerPlan]:
    """The first four are the demo's named people; beyond that, full-time practitioners each
    get a room or chair of their own (appended to `rooms`), so rooms clash only by mistake."""
    plans: list[PractitionerPlan] = []
    for index in range(count):
        if index < len(_FIXED):
            name, specialty, colour, username, room, weekly, dental = _FIXED[index]
        else:
            n = index - len(_FIXED)
            title, first = _TITLED[n % len(_TITLED)]
            name = f"{title} {first} {_SURNAMES[(n // len(_TITLED) + n) % len(_SURNAMES)]}"
            specialty, dental = _SPECIALTIES[n % len(_SPECIALTIES)]
            colour, username = _PALETTE[n % len(_PALETTE)], None
            prefix = "Sillón dental" if dental else "Consultorio"
            number = 1 + sum(1 for r in rooms if r.startswith(prefix))
            rooms.append(f"{prefix} {number}")
            room = len(rooms) - 1
            # Full-time with long days (the clinic opens early and closes late), and every
            # other one also on Saturday mornings.
            weekly = (
                _week(_MON_FRI, ("07:30", "13:00"), ("14:00", "19:30"))
                if n % 2 == 0
                else _week(_MON_FRI, ("07:00", "13:00"), ("14:00", "20:00"))
            )
            if n % 2 == 0:
                weekly[5] = [(_hm("08:00"), _hm("13:00"))]
        plans.append(
            PractitionerPlan(
                id=new_id(),
                name=name,
                specialty=specialty,
                colour=colour,
                username=username,
                room=room,
                weekly={d: list(v) for d, v in weekly.items()},
                dental=dental,
                sort_order=index + 1,
            )
        )
    return plans


@dataclass(frozen=True)
class ExceptionPlan:
    practitioner: int
    day: date
    kind: str
    span: Minutes | None  # None: the whole day
    note: str


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def exception_plans(
    plans: list[PractitionerPlan], first: date, last: date, today: date, rng: random.Random
) -> list[ExceptionPlan]:
    """A vacation week a year per practitioner (kept away from the fortnight around today, so
    the days a newcomer looks at first are busy), an afternoon off for a congress, and an
    extra Saturday morning for the general practitioner."""
    found: list[ExceptionPlan] = []
    for index, plan in enumerate(plans):
        anchor = today - timedelta(days=140 - 37 * index + rng.randint(0, 6))
        while anchor - timedelta(days=365) >= first:
            anchor -= timedelta(days=365)
        while anchor <= last:
            monday = _monday(anchor)
            if abs((monday - today).days) > 14:
                for offset in range(5):
                    day = monday + timedelta(days=offset)
                    if first <= day <= last and day.weekday() in plan.weekly:
                        found.append(
                            ExceptionPlan(index, day, ExceptionKind.OFF, None, "Vacaciones")
                        )
            anchor += timedelta(days=365)
    next_monday = _monday(today) + timedelta(days=7)
    if plans:
        saturday = next_monday + timedelta(days=5)
        if 5 not in plans[0].weekly and saturday <= last:
            found.append(
                ExceptionPlan(
                    0, saturday, ExceptionKind.EXTRA, (_hm("08:00"), _hm("12:00")), "Sábado extra"
                )
            )
    if len(plans) > 2:
        worker = 2
        congress = next(
            (next_monday + timedelta(days=k) for k in range(7) if k in plans[worker].weekly),
            None,
        )
        if congress is not None and congress <= last:
            afternoon = plans[worker].weekly[congress.weekday()][-1]
            found.append(
                ExceptionPlan(
                    worker, congress, ExceptionKind.OFF, afternoon, "Congreso de la especialidad"
                )
            )
    return found


def closure_day(today: date, holidays: set[date]) -> date:
    """A Friday about a month ahead that is not already a holiday."""
    day = today + timedelta(days=28)
    day += timedelta(days=(4 - day.weekday()) % 7)
    while day in holidays:
        day += timedelta(days=7)
    return day


CLOSURE_REASON = "Mantenimiento de las instalaciones"


def subtract_minutes(spans: list[Minutes], removed: list[Minutes]) -> list[Minutes]:
    result = sorted(spans)
    for r_start, r_end in removed:
        next_spans: list[Minutes] = []
        for start, end in result:
            if r_end <= start or end <= r_start:
                next_spans.append((start, end))
                continue
            if start < r_start:
                next_spans.append((start, r_start))
            if r_end < end:
                next_spans.append((r_end, end))
        result = next_spans
    return result


def merge_minutes(spans: list[Minutes]) -> list[Minutes]:
    merged: list[Minutes] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


class Calendar:
    """When each practitioner is open on a date: weekly hours plus extra, minus time off,
    nothing on a closure or a holiday (the same rule as `models.scheduling.open_spans`)."""

    def __init__(
        self,
        plans: list[PractitionerPlan],
        exceptions: list[ExceptionPlan],
        closed: set[date],
    ) -> None:
        self.plans = plans
        self.closed = closed
        self._extra: dict[tuple[int, date], list[Minutes]] = {}
        self._off: dict[tuple[int, date], list[Minutes] | None] = {}
        for exc in exceptions:
            key = (exc.practitioner, exc.day)
            if exc.kind == ExceptionKind.EXTRA and exc.span is not None:
                self._extra.setdefault(key, []).append(exc.span)
            elif exc.span is None:
                self._off[key] = None
            else:
                off = self._off.setdefault(key, [])
                if off is not None:
                    off.append(exc.span)

    def open(self, practitioner: int, day: date) -> list[Minutes]:
        if day in self.closed:
            return []
        key = (practitioner, day)
        spans = self.plans[practitioner].weekly.get(day.weekday(), [])
        extra = self._extra.get(key)
        if extra:
            spans = merge_minutes([*spans, *extra])
        if key in self._off:
            off = self._off[key]
            return [] if off is None else subtract_minutes(list(spans), off)
        return spans


def as_time(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)
