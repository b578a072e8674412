"""Tax identity numbers for Ecuador and Spain: real valid numbers pass, malformed ones raise a
ValidationError whose English text names the field and the rule, and the SRI's quirks (RUCs
that fail módulo 11, unusual cédula third digits) are warnings rather than errors."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from stdnum import luhn
from stdnum.ec import ci, ruc
from stdnum.es import cif, dni, nie

from clinic_desktop import i18n
from clinic_desktop.errors import ValidationError
from clinic_desktop.fiscal.tax_ids import (
    Country,
    TaxIdCheck,
    validate_clinic_tax_id,
    validate_tax_id,
)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    previous = i18n.current_language()
    i18n.set_language("en")
    yield
    i18n.set_language(previous)


def cedula(first_nine: str) -> str:
    """A cédula with a correct módulo 10 check digit (which is Luhn over 10 digits)."""
    return first_nine + luhn.calc_check_digit(first_nine)


def rejects(country: Country | str, value: str, **kwargs: object) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        validate_tax_id(country, value, **kwargs)  # type: ignore[arg-type]
    return info.value


# --- Ecuador: cédula -------------------------------------------------------------------------


def test_cedula_from_stdnum_docs_is_normalized() -> None:
    check = validate_tax_id(Country.EC, " 171430710-3 ")
    assert check == TaxIdCheck("1714307103", "cedula", ())


def test_generated_cedulas_agree_with_stdnum() -> None:
    for first_nine in ("010203040", "092345678", "240000001", "300123456", "175555555"):
        number = cedula(first_nine)
        assert ci.is_valid(number)
        assert validate_tax_id("ec", number).kind == "cedula"


def test_cedula_with_wrong_check_digit_is_an_error() -> None:
    error = rejects(Country.EC, "1714307104")
    assert error.field == "tax_id"
    assert error.message == (
        "Tax ID: the last digit of the cédula does not match the others (módulo 10 check). "
        "Check the number for a typing mistake."
    )


@pytest.mark.parametrize("province", ["00", "25", "29", "50", "99"])
def test_cedula_with_unknown_province_is_an_error(province: str) -> None:
    number = cedula(province + "1234567")
    error = rejects(Country.EC, number)
    assert f"({province}) are not an Ecuadorian province code (01 to 24, or 30)" in error.message


def test_province_50_is_refused_although_stdnum_accepts_it() -> None:
    number = cedula("501234567")
    assert ci.is_valid(number)
    rejects(Country.EC, number)


@pytest.mark.parametrize("third", ["6", "7", "9"])
def test_cedula_third_digit_of_six_or_more_is_only_a_warning(third: str) -> None:
    number = cedula("17" + third + "123456")
    check = validate_tax_id(Country.EC, number)
    assert check.kind == "cedula"
    assert check.normalized == number
    assert len(check.warnings) == 1
    assert f"a cédula whose third digit is {third} is unusual" in check.warnings[0]


def test_cedula_that_lost_its_leading_zero_suggests_the_padded_number() -> None:
    full = cedula("091234567")
    error = rejects(Country.EC, full[1:])
    assert error.message == (
        "Tax ID: this number has 9 digits. A leading zero may be missing (spreadsheets drop "
        f"it): check whether it is {full}."
    )


def test_nine_digits_that_are_not_a_padded_cedula_still_mention_the_leading_zero() -> None:
    full = cedula("091234567")
    wrong = full[1:-1] + str((int(full[-1]) + 1) % 10)
    error = rejects(Country.EC, wrong)
    assert "A leading zero may be missing" in error.message
    assert "check whether" not in error.message


def test_letters_and_other_lengths_are_errors() -> None:
    assert "contains only digits" in rejects(Country.EC, "17143O7103").message
    error = rejects(Country.EC, "17143071")
    assert error.message == (
        "Tax ID: an Ecuadorian cédula has 10 digits and a RUC 13; this number has 8."
    )
    assert rejects(Country.EC, "  ").message == "Tax ID is required."


# --- Ecuador: RUC ----------------------------------------------------------------------------


def test_company_and_public_rucs_from_stdnum_docs() -> None:
    assert validate_tax_id(Country.EC, "1792060346-001") == TaxIdCheck("1792060346001", "ruc")
    assert validate_tax_id(Country.EC, "1760001550001") == TaxIdCheck("1760001550001", "ruc")


def test_natural_person_ruc_is_a_cedula_plus_establishment() -> None:
    assert validate_tax_id(Country.EC, "1714307103001").warnings == ()
    error = rejects(Country.EC, "1714307104001")
    assert "these first 10 digits are not a valid cédula" in error.message
    error = rejects(Country.EC, "1714307103000")
    assert "establishment number, which cannot be 000" in error.message


@pytest.mark.parametrize("number", ["1792060347001", "1760001560001"])
def test_company_or_public_ruc_failing_modulo_11_is_a_warning(number: str) -> None:
    assert not ruc.is_valid(number)
    check = validate_tax_id(Country.EC, number)
    assert check.kind == "ruc"
    assert check.normalized == number
    assert len(check.warnings) == 1
    assert "check digit does not match (módulo 11)" in check.warnings[0]


def test_company_ruc_structure_stays_strict() -> None:
    assert "cannot be 000" in rejects(Country.EC, "1792060346000").message
    assert "are not an Ecuadorian province" in rejects(Country.EC, "2592060346001").message
    error = rejects(Country.EC, "1772060346001")
    assert "third digit of an Ecuadorian RUC is 0 to 5" in error.message


def test_ruc_that_lost_its_leading_zero() -> None:
    full = cedula("091234567") + "001"
    assert "check whether it is " + full in rejects(Country.EC, full[1:]).message


# --- Ecuador: consumidor final ---------------------------------------------------------------


def test_final_consumer_only_when_allowed() -> None:
    check = validate_tax_id(Country.EC, "9999999999999", allow_final_consumer=True)
    assert check == TaxIdCheck("9999999999999", "consumidor_final")
    error = rejects(Country.EC, "9999999999999", field="buyer_tax_id")
    assert error.field == "buyer_tax_id"
    assert error.message == (
        "Buyer's tax ID: 9999999999999 (final consumer) is only accepted as an invoice buyer."
    )


# --- Spain -----------------------------------------------------------------------------------


def test_spanish_numbers_from_stdnum_docs() -> None:
    assert validate_tax_id(Country.ES, "54362315-k") == TaxIdCheck("54362315K", "dni")
    assert validate_tax_id("es", "x-2482300w") == TaxIdCheck("X2482300W", "nie")
    assert validate_tax_id(Country.ES, "ES B-58378431") == TaxIdCheck("B58378431", "cif")
    assert validate_tax_id(Country.ES, "J99216582").kind == "cif"
    assert validate_tax_id(Country.ES, "M-1234567-L").kind == "nif_klm"


def test_generated_spanish_numbers() -> None:
    assert validate_tax_id(Country.ES, "00000001" + dni.calc_check_digit("00000001")).kind == "dni"
    assert validate_tax_id(Country.ES, "Z7654321" + nie.calc_check_digit("Z7654321")).kind == "nie"
    number = "A1358562" + cif.calc_check_digits("A1358562")[0]
    assert validate_tax_id(Country.ES, number).kind == "cif"


def test_wrong_spanish_check_letters_name_the_rule() -> None:
    assert rejects(Country.ES, "54362315Z").message == (
        "Tax ID: the DNI letter does not match its 8 digits. Check the whole number."
    )
    assert rejects(Country.ES, "X2482300A").message == (
        "Tax ID: the NIE letter does not match its digits. Check the whole number."
    )
    assert "last character of the CIF" in rejects(Country.ES, "J99216583").message


def test_malformed_spanish_numbers() -> None:
    assert "a DNI has 8 digits followed by a letter" in rejects(Country.ES, "543623151K").message
    assert "A leading zero may be missing" in rejects(Country.ES, "1234567L").message
    assert "a NIE has X, Y or Z, 7 digits and a letter" in rejects(Country.ES, "X248230W").message
    assert "a CIF has a letter, 7 digits" in rejects(Country.ES, "B5837843").message
    assert "'O' is not used" in rejects(Country.ES, "O1234567L").message
    assert rejects(Country.ES, "").message == "Tax ID is required."


# --- the clinic's own ID ---------------------------------------------------------------------


def test_clinic_in_ecuador_needs_a_ruc() -> None:
    assert validate_clinic_tax_id(Country.EC, "1792060346001").kind == "ruc"
    with pytest.raises(ValidationError) as info:
        validate_clinic_tax_id(Country.EC, "1714307103")
    assert info.value.message == (
        "Tax ID: an Ecuadorian RUC has 13 digits (a person's RUC is the cédula followed by "
        "001); this number has 10."
    )
    with pytest.raises(ValidationError):
        validate_clinic_tax_id(Country.EC, "9999999999999")


def test_clinic_ruc_warning_is_kept() -> None:
    assert validate_clinic_tax_id(Country.EC, "1792060347001").warnings


def test_clinic_in_spain_needs_a_dni_nie_or_cif() -> None:
    assert validate_clinic_tax_id(Country.ES, "B64717838").kind == "cif"
    assert validate_clinic_tax_id(Country.ES, "54362315K").kind == "dni"
    with pytest.raises(ValidationError) as info:
        validate_clinic_tax_id(Country.ES, "M1234567L", field="clinic_tax_id")
    assert info.value.field == "clinic_tax_id"
    assert info.value.message.startswith("Clinic tax ID: enter a DNI, a NIE or a CIF")


def test_caller_label_and_unknown_country() -> None:
    error = rejects(Country.ES, "54362315Z", field="buyer", label="NIF del comprador")
    assert error.field == "buyer"
    assert error.message.startswith("NIF del comprador: the DNI letter")
    with pytest.raises(ValueError, match="unsupported country"):
        validate_tax_id("PE", "12345678")
