"""The demo clinic's sample accounts and their shared password: plain data with no database
imports, so the sign-in window can list them before the database layer has loaded."""

from __future__ import annotations

from dataclasses import dataclass

DEMO_PASSWORD = "clinica2026"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str


DEMO_ACCOUNTS = (
    DemoAccount("duena", "Dra. Lucía Andrade", "owner"),
    DemoAccount("medico", "Dr. Andrés Paredes", "doctor"),
    DemoAccount("odontologa", "Dra. Valeria Cedeño", "doctor"),
    DemoAccount("recepcion", "Carla Mendoza", "reception"),
    DemoAccount("asistente", "Jorge Villacís", "assistant"),
    DemoAccount("soporte", "Diego Salazar", "it_admin"),
)
