"""Fixtures shared by the payment, refund and account tests: the receptionist who takes the
money at the desk. Test modules load it as a plugin (`pytest_plugins =
["support.payment_fixtures"]`) rather than importing the fixture by name, so pytest finds it
without the test signature shadowing an import."""

from __future__ import annotations

import pytest

from clinic_desktop.actor import Actor
from clinic_desktop.services.startup import CreatedClinic
from support.payment_data import actor


@pytest.fixture
def desk(demo: CreatedClinic) -> Actor:
    """Reception ("recepcion") signed in at its default workstation."""
    return actor(demo, "recepcion")
