"""The country rules an invoice must meet: who the buyer must be and the limits on what may be
issued. Ecuador: every invoice names its buyer with a valid cédula, RUC, passport or foreign
ID, and the consumidor final (9999999999999, "CONSUMIDOR FINAL") is accepted only up to
USD 50. Spain: a complete invoice names its buyer with a valid NIF (DNI, NIE, CIF, K/L/M) or
a foreign ID; a simplified invoice (Spain only) needs no buyer but may total at most 400 €
VAT included. A draft may be saved incomplete, but a number typed in it must be well formed;
the requirements apply at issue. ID warnings (a company RUC failing módulo 11) are asked, not
refused."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from clinic_desktop.errors import ValidationError
from clinic_desktop.fiscal.ec.ids import FINAL_CONSUMER
from clinic_desktop.fiscal.tax_ids import validate_tax_id
from clinic_desktop.formatting import money
from clinic_desktop.i18n import _
from clinic_desktop.models.billing import InvoiceKind
from clinic_desktop.services.clinical_dto import clean_text
from clinic_desktop.services.invoice_dto import BUYER_ID_TYPES, BuyerIdType

EC_FINAL_CONSUMER_LIMIT = Decimal("50.00")
ES_SIMPLIFIED_LIMIT = Decimal("400.00")
FINAL_CONSUMER_NAME = "CONSUMIDOR FINAL"
# Typed, not checked: a passport or a foreign tax number has no rule we could apply.
UNCHECKED = frozenset({BuyerIdType.PASSPORT, BuyerIdType.FOREIGN})
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# validate_tax_id's kinds that are stored under another name.
_KIND_TO_TYPE = {"nif_klm": BuyerIdType.NIF.value}


@dataclass(frozen=True)
class Buyer:
    name: str
    id_type: str
    tax_id: str
    address: str
    email: str
    warnings: tuple[str, ...] = ()


def clean_kind(kind: str, country: str) -> InvoiceKind:
    """A draft is an invoice or (Spain) a simplified invoice; credit notes come from an
    issued invoice."""
    try:
        value = InvoiceKind(kind)
    except ValueError:
        value = None
    if value is InvoiceKind.CREDIT_NOTE:
        raise ValidationError(
            _(
                "Kind: a credit note is not written as a draft; issue it from the invoice it "
                "corrects."
            ),
            field="kind",
        )
    if value is InvoiceKind.SIMPLIFIED and country != "ES":
        raise ValidationError(
            _("Kind: simplified invoices exist only in Spain; issue an invoice."), field="kind"
        )
    if value is None:
        raise ValidationError(_("Kind: choose invoice or simplified invoice."), field="kind")
    return value


def clean_buyer(
    *,
    country: str,
    kind: InvoiceKind,
    name: str,
    id_type: str,
    tax_id: str,
    address: str,
    email: str,
    strict: bool,
) -> Buyer:
    """The buyer tidied and checked; `strict` (at issue) also applies the country's
    requirements, otherwise only what was typed must be well formed."""
    name = clean_text(name, field="buyer_name", label=_("Buyer's name"), limit=300)
    address = clean_text(address, field="buyer_address", label=_("Buyer's address"), limit=400)
    email = email.strip()
    if len(email) > 200 or (email and not _EMAIL.match(email)):
        raise ValidationError(
            _("Buyer's e-mail: it does not look like an address (name@example.com)."),
            field="buyer_email",
        )
    id_type = id_type.strip().lower()
    allowed = BUYER_ID_TYPES.get(country, ())
    if id_type and id_type not in allowed:
        raise ValidationError(
            _("Buyer's ID type: choose one from the list."), field="buyer_id_type"
        )
    needs_id = strict and (country == "EC" or kind is InvoiceKind.INVOICE)
    warnings: tuple[str, ...] = ()
    if id_type in UNCHECKED:
        tax_id = clean_text(
            tax_id, field="buyer_tax_id", label=_("Buyer's tax ID"), limit=32, required=strict
        )
    else:
        if id_type == BuyerIdType.CONSUMIDOR_FINAL and not tax_id.strip():
            tax_id = FINAL_CONSUMER
        if tax_id.strip() or needs_id:
            check = validate_tax_id(
                country, tax_id, field="buyer_tax_id", allow_final_consumer=True
            )
            tax_id, warnings = check.normalized, check.warnings
            id_type = _KIND_TO_TYPE.get(check.kind, check.kind)
        else:
            tax_id, id_type = "", ""
    if id_type == BuyerIdType.CONSUMIDOR_FINAL and not name:
        name = FINAL_CONSUMER_NAME
    if needs_id and not name:
        raise ValidationError(
            _("Buyer's name: it is required on this invoice (the person or company billed)."),
            field="buyer_name",
        )
    return Buyer(name, id_type, tax_id, address, email, warnings)


def check_issuable(
    *, country: str, kind: InvoiceKind, buyer: Buyer, lines: int, total: Decimal, currency: str
) -> None:
    """The refusals at issue that do not depend on the buyer's identity being valid."""
    if lines == 0:
        raise ValidationError(
            _("Lines: an invoice needs at least one line before it is issued."), field="lines"
        )
    if total <= 0:
        raise ValidationError(
            _("Total: an invoice must total more than zero; this one totals {total}.").format(
                total=money(total, currency)
            ),
            field="lines",
        )
    if (
        country == "EC"
        and buyer.id_type == BuyerIdType.CONSUMIDOR_FINAL
        and total > EC_FINAL_CONSUMER_LIMIT
    ):
        raise ValidationError(
            _(
                "Buyer: an invoice to a final consumer may total at most {limit}; this one "
                "totals {total}. Enter the buyer's name and cédula, RUC or passport."
            ).format(limit=money(EC_FINAL_CONSUMER_LIMIT, currency), total=money(total, currency)),
            field="buyer_tax_id",
        )
    if kind is InvoiceKind.SIMPLIFIED and total > ES_SIMPLIFIED_LIMIT:
        raise ValidationError(
            _(
                "Simplified invoice: it may total at most {limit} VAT included; this one "
                "totals {total}. Issue a complete invoice with the buyer's name and NIF."
            ).format(limit=money(ES_SIMPLIFIED_LIMIT, currency), total=money(total, currency)),
            field="kind",
        )
