"""The stored codes of invoices and their translated labels, for screens that may not import
the models: document kinds (named per country), statuses, line sources, the buyer's identity
types (and which each country offers), and the name of a tax breakdown row."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from clinic_desktop.fiscal.tax_codes import find_tax_code
from clinic_desktop.formatting import percent as percent_text
from clinic_desktop.i18n import N_, _


class Kind(StrEnum):
    """Mirror of models.billing.InvoiceKind for the UI (which may not import models)."""

    INVOICE = "invoice"
    SIMPLIFIED = "simplified"  # Spain only, up to 400 € incl. VAT
    CREDIT_NOTE = "credit_note"


class Status(StrEnum):
    """Mirror of models.billing.InvoiceStatus."""

    DRAFT = "draft"
    ISSUED = "issued"
    PARTLY_PAID = "partly_paid"
    PAID = "paid"
    CREDITED = "credited"


class Source(StrEnum):
    """Mirror of models.billing.LineSource: where a line comes from."""

    TREATMENT = "treatment"
    PRODUCT = "product"  # leaves stock at issue
    FREE = "free"


class BuyerIdType(StrEnum):
    """The buyer's identity document. Validated kinds are normalised to what the number turns
    out to be (a "cédula" of 13 digits is stored as a RUC); passport and foreign IDs are
    stored as typed. SRI codes: 04 RUC, 05 cédula, 06 passport, 07 consumidor final,
    08 foreign ID."""

    CEDULA = "cedula"
    RUC = "ruc"
    CONSUMIDOR_FINAL = "consumidor_final"  # Ecuador, 9999999999999, totals up to USD 50
    DNI = "dni"
    NIE = "nie"
    CIF = "cif"
    NIF = "nif"  # Spain's K, L and M NIFs
    PASSPORT = "passport"
    FOREIGN = "exterior"  # a foreign tax or identity number
    NONE = ""  # not given (a Spanish simplified invoice)


STATUS_LABELS: dict[str, str] = {
    Status.DRAFT: N_("Draft"),
    Status.ISSUED: N_("Issued"),
    Status.PARTLY_PAID: N_("Partly paid"),
    Status.PAID: N_("Paid"),
    Status.CREDITED: N_("Fully credited"),
}
BUYER_ID_TYPE_LABELS: dict[str, str] = {
    BuyerIdType.CEDULA: N_("Cédula"),
    BuyerIdType.RUC: N_("RUC"),
    BuyerIdType.CONSUMIDOR_FINAL: N_("Final consumer"),
    BuyerIdType.DNI: N_("DNI"),
    BuyerIdType.NIE: N_("NIE"),
    BuyerIdType.CIF: N_("CIF"),
    BuyerIdType.NIF: N_("NIF"),
    BuyerIdType.PASSPORT: N_("Passport"),
    BuyerIdType.FOREIGN: N_("Foreign ID"),
    BuyerIdType.NONE: N_("None"),
}
# The identity types a buyer may have in each country, most common first (the editor's list).
BUYER_ID_TYPES: dict[str, tuple[BuyerIdType, ...]] = {
    "EC": (
        BuyerIdType.CEDULA,
        BuyerIdType.RUC,
        BuyerIdType.CONSUMIDOR_FINAL,
        BuyerIdType.PASSPORT,
        BuyerIdType.FOREIGN,
    ),
    "ES": (
        BuyerIdType.DNI,
        BuyerIdType.NIE,
        BuyerIdType.CIF,
        BuyerIdType.NIF,
        BuyerIdType.PASSPORT,
        BuyerIdType.FOREIGN,
        BuyerIdType.NONE,
    ),
}


def status_label(status: str) -> str:
    """ "paid" -> "Pagada"; an unknown code is shown as stored."""
    label = STATUS_LABELS.get(status)
    return _(label) if label else status


def kind_label(kind: str, country: str) -> str:
    """What the document is called in the clinic's country: Ecuador's "Factura" and "Nota de
    crédito"; Spain's "Factura", "Factura simplificada" and "Factura rectificativa"."""
    if kind == Kind.CREDIT_NOTE:
        return _("Credit note") if country == "EC" else _("Corrective invoice")
    if kind == Kind.SIMPLIFIED:
        return _("Simplified invoice")
    return _("Invoice")


def buyer_id_type_label(id_type: str) -> str:
    label = BUYER_ID_TYPE_LABELS.get(id_type)
    return _(label) if label is not None else id_type


def tax_label_for(code: str, percent: Decimal, exempt: bool, country: str) -> str:
    """The breakdown row's name: "IVA 15 %" for a rate, the code's own name for exempt or
    not-subject lines (which may carry a legal reference)."""
    if exempt:
        found = find_tax_code(country, code)
        if found is not None:
            return _(found.label)
    return _("IVA {rate}").format(rate=percent_text(percent / 100))
