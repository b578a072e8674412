"""Effective-dated tax rates: Ecuador's general IVA is 12 % until 2024-03-31 and 15 % from
2024-04-01 (with the SRI code changing from 2 to 4), IVA 5 % only exists from then; every tax
code a catalogue item may carry has a rate today with the same official code; Spain's medical
exemption carries its legal note; a code without a rate on a date is the user's to fix."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from clinic_desktop.errors import ValidationError
from clinic_desktop.fiscal.tax_codes import tax_codes
from clinic_desktop.fiscal.tax_rates import ES_ART20_NOTE, rate_for, rate_history
from clinic_desktop.i18n import _, set_language

D = Decimal


def test_ecuador_general_rate_changes_on_1_april_2024() -> None:
    before = rate_for("EC_IVA_15", date(2024, 3, 31))
    after = rate_for("EC_IVA_15", date(2024, 4, 1))
    assert (before.percent, before.official) == (D("12.00"), "2")
    assert (after.percent, after.official) == (D("15.00"), "4")
    assert rate_for("EC_IVA_15", date(2019, 1, 1)).percent == D("12.00")
    assert [r.percent for r in rate_history("EC_IVA_15")] == [D("12.00"), D("15.00")]


def test_a_code_without_a_rate_that_day_names_the_field() -> None:
    assert rate_for("EC_IVA_5", date(2024, 4, 1)).percent == D("5.00")
    with pytest.raises(ValidationError) as caught:
        rate_for("EC_IVA_5", date(2024, 3, 31), field="lines.2.tax_code")
    assert caught.value.field == "lines.2.tax_code" and "EC_IVA_5" in caught.value.message
    with pytest.raises(ValidationError):
        rate_for("XX_UNKNOWN", date.today())


@pytest.mark.parametrize("country", ["EC", "ES"])
def test_every_catalogue_code_has_a_rate_today_with_its_official_code(country) -> None:
    for code in tax_codes(country):
        rate = rate_for(code.code, date.today())
        assert rate.official == code.official, code.code


def test_exempt_codes_and_the_spanish_legal_note() -> None:
    exempt = rate_for("ES_EXENTO_ART20", date.today())
    assert exempt.exempt and exempt.percent == 0 and exempt.official == "E1"
    assert exempt.legal_note == ES_ART20_NOTE and "20.One.3" in exempt.legal_note
    assert rate_for("EC_NO_OBJETO", date.today()).exempt
    assert rate_for("EC_EXENTO", date.today()).exempt
    assert not rate_for("EC_IVA_0", date.today()).exempt  # 0 % is a rate, not an exemption
    assert rate_for("ES_IVA_21", date.today()).percent == D("21.00")
    set_language("es")
    try:
        assert "exenta" in _(ES_ART20_NOTE).lower()
    finally:
        set_language("en")
