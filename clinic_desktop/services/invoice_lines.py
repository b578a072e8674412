"""An invoice's lines and amounts: checking the lines the editor sends (quantities, prices,
discounts, the column's decimal places, tax codes of the clinic's country, the catalogue item
behind a product or treatment line), filling what the user left blank from the catalogue,
writing them over a draft's rows, and keeping the stored amounts equal to what
fiscal.invoice_math computes: the lines' nets and shares of the global discount, their rate
(in force on the given day) and the invoice's subtotal, discount, tax and total. Every check
names the line as numbered on screen ("Line 2 — Quantity") and the field
("lines.2.quantity")."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from clinic_desktop.errors import NotFound, ValidationError
from clinic_desktop.fiscal.invoice_math import InvoiceTotals, LineInput, cents, compute_totals
from clinic_desktop.fiscal.tax_codes import DEFAULT_GOODS, DEFAULT_SERVICE, find_tax_code
from clinic_desktop.fiscal.tax_rates import TaxRate, rate_for, rate_history
from clinic_desktop.formatting import money
from clinic_desktop.i18n import _
from clinic_desktop.models.base import utcnow
from clinic_desktop.models.billing import Invoice, InvoiceLine, LineSource
from clinic_desktop.models.inventory import Product
from clinic_desktop.models.treatment import AppointmentTreatment, Treatment
from clinic_desktop.services.clinical_dto import clean_text
from clinic_desktop.services.invoice_dto import LineForm

ZERO = Decimal(0)
HUNDRED = Decimal(100)
# The columns' places (models.types): more would be refused by the column, so the user is
# told here instead.
QUANTITY_PLACES, PRICE_PLACES, MONEY_PLACES = 3, 4, 2
DESCRIPTION_LIMIT = 300


@dataclass(frozen=True)
class CleanLine:
    number: int  # as numbered on screen, for messages
    source: LineSource
    description: str
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal
    tax_code: str
    product_id: uuid.UUID | None
    treatment_id: uuid.UUID | None
    appointment_treatment_id: uuid.UUID | None


def line_label(number: int, field: str) -> str:
    return _("Line {number} — {field}").format(number=number, field=field)


def check_number(
    value: Decimal,
    *,
    label: str,
    field: str,
    places: int,
    positive: bool = False,
) -> Decimal:
    """A finite number with at most `places` decimals, more than zero (`positive`) or at
    least zero."""
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    if not value.is_finite():
        raise ValidationError(_("{field}: enter a number.").format(field=label), field=field)
    if positive and value <= 0:
        raise ValidationError(
            _("{field}: it must be more than zero.").format(field=label), field=field
        )
    if value < 0:
        raise ValidationError(_("{field}: it cannot be negative.").format(field=label), field=field)
    if value != value.quantize(Decimal(1).scaleb(-places)):
        raise ValidationError(
            _("{field}: at most {count} decimal places.").format(field=label, count=places),
            field=field,
        )
    return value


def clean_discount_percent(value: Decimal) -> Decimal:
    label = _("Discount on the total (%)")
    percent = check_number(value, label=label, field="discount_percent", places=2)
    if percent > HUNDRED:
        raise ValidationError(
            _("{field}: it must be between {low} and {high}.").format(field=label, low=0, high=100),
            field="discount_percent",
        )
    return percent


def _source(form: LineForm) -> LineSource:
    try:
        source = LineSource(form.source or LineSource.FREE.value)
    except ValueError:
        source = LineSource.FREE
    # A "treatment" typed without a catalogue treatment is just a free line.
    if source is LineSource.TREATMENT and not (form.treatment_id or form.appointment_treatment_id):
        return LineSource.FREE
    return source


def _catalogue(
    session: Session, form: LineForm, source: LineSource, number: int
) -> tuple[str, str, uuid.UUID | None, uuid.UUID | None, uuid.UUID | None]:
    """(name, tax code, product, treatment, appointment treatment) of the line's item."""
    if source is LineSource.PRODUCT:
        if form.product_id is None:
            raise ValidationError(
                _("{field}: choose the product sold.").format(
                    field=line_label(number, _("Product"))
                ),
                field=f"lines.{number}.product_id",
            )
        product = session.get(Product, form.product_id)
        if product is None or product.is_deleted:
            raise NotFound(_("Line {number}: the product no longer exists.").format(number=number))
        return product.name, product.tax_code, product.id, None, None
    if source is LineSource.TREATMENT:
        treatment_id = form.treatment_id
        done_id = form.appointment_treatment_id
        if done_id is not None:
            done = session.get(AppointmentTreatment, done_id)
            if done is None or done.is_deleted:
                raise NotFound(
                    _("Line {number}: the appointment's treatment no longer exists.").format(
                        number=number
                    )
                )
            treatment_id = done.treatment_id
        treatment = session.get(Treatment, treatment_id) if treatment_id else None
        if treatment is None or treatment.is_deleted:
            raise NotFound(
                _("Line {number}: the treatment no longer exists.").format(number=number)
            )
        return treatment.name, treatment.tax_code, None, treatment.id, done_id
    return "", "", None, None, None


def clean_lines(
    session: Session, forms: Sequence[LineForm], *, country: str, currency: str
) -> list[CleanLine]:
    """The non-blank lines, checked and completed from the catalogue (see LineForm)."""
    cleaned: list[CleanLine] = []
    for number, form in enumerate(forms, start=1):
        if form.is_blank:
            continue
        source = _source(form)
        name, item_tax, product_id, treatment_id, done_id = _catalogue(
            session, form, source, number
        )
        description = clean_text(
            form.description or name,
            field=f"lines.{number}.description",
            label=line_label(number, _("Description")),
            limit=DESCRIPTION_LIMIT,
            required=True,
        )
        quantity = check_number(
            form.quantity,
            label=line_label(number, _("Quantity")),
            field=f"lines.{number}.quantity",
            places=QUANTITY_PLACES,
            positive=True,
        )
        price = check_number(
            form.unit_price,
            label=line_label(number, _("Unit price")),
            field=f"lines.{number}.unit_price",
            places=PRICE_PLACES,
        )
        discount = check_number(
            form.discount,
            label=line_label(number, _("Discount")),
            field=f"lines.{number}.discount",
            places=MONEY_PLACES,
        )
        gross = cents(quantity * price)
        if discount > gross:
            raise ValidationError(
                _(
                    "{field}: the discount ({discount}) cannot be more than the line's amount "
                    "(quantity × price = {amount})."
                ).format(
                    field=line_label(number, _("Discount")),
                    discount=money(discount, currency),
                    amount=money(gross, currency),
                ),
                field=f"lines.{number}.discount",
            )
        default = DEFAULT_GOODS if source is LineSource.PRODUCT else DEFAULT_SERVICE
        tax_code = (form.tax_code or item_tax or default.get(country, "")).strip()
        if find_tax_code(country, tax_code) is None:
            raise ValidationError(
                _("{field}: “{code}” is not a tax code of this clinic's country.").format(
                    field=line_label(number, _("Tax")), code=tax_code or "—"
                ),
                field=f"lines.{number}.tax_code",
            )
        cleaned.append(
            CleanLine(
                number,
                source,
                description,
                quantity,
                price,
                discount,
                tax_code,
                product_id,
                treatment_id,
                done_id,
            )
        )
    return cleaned


def write_lines(
    session: Session,
    invoice: Invoice,
    current: list[InvoiceLine],
    lines: Sequence[CleanLine],
    *,
    by: uuid.UUID | None,
) -> list[InvoiceLine]:
    """Makes the draft's live rows say `lines`: row i is rewritten in place (so the audit
    trail shows what changed on it), extra lines are added, rows left over are soft-deleted."""
    rows: list[InvoiceLine] = []
    for position, line in enumerate(lines, start=1):
        row = current[position - 1] if position <= len(current) else None
        if row is None:
            row = InvoiceLine(invoice_id=invoice.id, position=position, tax_code=line.tax_code)
            session.add(row)
        row.position = position
        row.source = line.source.value
        row.description = line.description
        row.quantity = line.quantity
        row.unit_price = line.unit_price
        row.discount = line.discount
        row.tax_code = line.tax_code
        row.product_id = line.product_id
        row.treatment_id = line.treatment_id
        row.appointment_treatment_id = line.appointment_treatment_id
        rows.append(row)
    now = utcnow()
    for row in current[len(lines) :]:
        row.deleted_at = now
        row.deleted_by = by
    return rows


def rates_on(rows: Sequence[InvoiceLine], day: date) -> list[TaxRate]:
    """Each row's rate in force on `day`; a code without one names its line."""
    found: list[TaxRate] = []
    for number, row in enumerate(rows, start=1):
        try:
            found.append(rate_for(row.tax_code, day, field=f"lines.{number}.tax_code"))
        except ValidationError as exc:
            raise ValidationError(
                _("Line {number}: {problem}").format(number=number, problem=exc.message),
                field=exc.field,
            ) from None
    return found


def is_exempt(code: str) -> bool:
    """Exempt and not-subject codes are so in every period of their history."""
    return any(rate.exempt for rate in rate_history(code))


def _inputs(rows: Sequence[InvoiceLine], percents: Sequence[Decimal]) -> list[LineInput]:
    return [
        LineInput(
            row.quantity, row.unit_price, row.discount, row.tax_code, pct, is_exempt(row.tax_code)
        )
        for row, pct in zip(rows, percents, strict=True)
    ]


def apply_totals(
    invoice: Invoice, rows: Sequence[InvoiceLine], rates: Sequence[TaxRate] | None = None
) -> InvoiceTotals:
    """Stores on the rows and the invoice the amounts invoice_math computes. With `rates`
    the rows first take those rates (a draft: today's; an issue: the issue date's); without,
    they keep the rates they carry (a credit note copies its original's)."""
    if rates is not None:
        for row, rate in zip(rows, rates, strict=True):
            row.tax_percent = rate.percent
            row.tax_official = rate.official
    totals = compute_totals(
        _inputs(rows, [row.tax_percent for row in rows]), invoice.discount_percent
    )
    for row, amounts in zip(rows, totals.lines, strict=True):
        row.net = amounts.net
        row.global_discount = amounts.global_discount
    invoice.subtotal = totals.subtotal
    invoice.discount_total = totals.discount
    invoice.tax_total = totals.tax
    invoice.total = totals.total
    return totals


def recompute(invoice: Invoice, rows: Sequence[InvoiceLine]) -> InvoiceTotals:
    """The totals invoice_math gives for the stored lines and rates (nothing is changed)."""
    return compute_totals(
        _inputs(rows, [row.tax_percent for row in rows]), invoice.discount_percent
    )


def matches(invoice: Invoice, rows: Sequence[InvoiceLine], totals: InvoiceTotals) -> bool:
    """True when the stored amounts are exactly what `totals` computed."""
    return (
        invoice.subtotal == totals.subtotal
        and invoice.discount_total == totals.discount
        and invoice.tax_total == totals.tax
        and invoice.total == totals.total
        and all(
            row.net == amounts.net and row.global_discount == amounts.global_discount
            for row, amounts in zip(rows, totals.lines, strict=True)
        )
    )
