"""The receipt handed to a patient who pays at the desk (or is paid back), on an A5 sheet: the
clinic's letterhead, the amount in large type with the method and the moment, who paid, the
reference, the cash handed over and the change, the invoices the payment settled with the
amount applied to each, the credit left on the payer's account, and who received it with a
line to sign. Input dataclass in (billing_docs.PaymentReceiptDoc), PDF bytes out."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from clinic_desktop.formatting import money
from clinic_desktop.i18n import _
from clinic_desktop.reports.billing_docs import (
    A5_PAGE,
    ZERO,
    PageHeader,
    PaymentReceiptDoc,
    render_billing_doc,
)
from clinic_desktop.reports.clinical_letterhead import (
    clinical_styles,
    fmt_date,
    fmt_datetime,
    para_text,
)
from clinic_desktop.reports.pdf_style import ACCENT, RULE, SANS_BOLD
from clinic_desktop.reports.pdf_tables import (
    body_and_totals_commands,
    cell_styles,
    header_row,
    signature_lines,
    table_commands,
    tinted_band,
)

CONTENT_WIDTH = A5_PAGE.content_width


def receipt_title(doc: PaymentReceiptDoc) -> str:
    return _("Refund receipt") if doc.refund else _("Payment receipt")


def render_payment_receipt(doc: PaymentReceiptDoc) -> bytes:
    """The PDF bytes of `doc` (nothing touches disk)."""
    title = receipt_title(doc)
    header = PageHeader(
        title=title,
        number=_("No. {number}").format(number=doc.number) if doc.number else "",
        facts=(fmt_datetime(doc.received_at),),
    )
    story: list[Flowable] = [_amount_band(doc), Spacer(1, 4 * mm), _facts(doc)]
    if doc.allocations:
        story += [Spacer(1, 4 * mm), KeepTogether(_allocations(doc))]
    if doc.notes.strip():
        s = clinical_styles()
        story += [
            Spacer(1, 3 * mm),
            Paragraph(escape(_("Notes").upper()), s.label),
            Paragraph(para_text(doc.notes), s.cell),
        ]
    story += [Spacer(1, 10 * mm), KeepTogether(_signature(doc))]
    return render_billing_doc(
        story,
        page=A5_PAGE,
        letterhead=doc.letterhead,
        header=header,
        title=f"{title} {doc.number}".strip(),
        subject=doc.payer,
        footer=(doc.letterhead.clinic_name, f"{title} {doc.number}".strip()),
    )


def _amount_band(doc: PaymentReceiptDoc) -> Table:
    """The amount, large, on a tinted band, with the method and the moment beside it."""
    s = clinical_styles()
    big = s.body.clone(
        "ReceiptAmount", fontName=SANS_BOLD, fontSize=20, leading=24, textColor=ACCENT
    )
    method = s.body.clone(
        "ReceiptMethod", fontName=SANS_BOLD, fontSize=10, leading=13, alignment=TA_RIGHT
    )
    when = s.small.clone("ReceiptWhen", alignment=TA_RIGHT, spaceAfter=0)
    label = _("Amount refunded") if doc.refund else _("Amount received")
    left = [
        Paragraph(escape(label.upper()), s.label),
        Paragraph(escape(money(doc.amount, doc.currency)), big),
    ]
    right = [
        Spacer(1, 3 * mm),
        Paragraph(escape(doc.method_label), method),
        Paragraph(escape(fmt_datetime(doc.received_at)), when),
    ]
    return tinted_band(
        [left, right],
        [CONTENT_WIDTH * 0.58, CONTENT_WIDTH * 0.42],
        padding=(8, 8, 6, 7),
        divider=0,
        edge=3,
    )


def _facts(doc: PaymentReceiptDoc) -> Table:
    s = clinical_styles()
    payer = f"<b>{escape(doc.payer)}</b>"
    if doc.payer_id:
        payer += f"<br/>{escape(doc.payer_id)}"
    rows: list[tuple[str, str]] = [
        (_("Received from") if not doc.refund else _("Refunded to"), payer),
    ]
    if doc.reference:
        rows.append((_("Reference"), escape(doc.reference)))
    if doc.cash_tendered is not None:
        rows.append((_("Cash tendered"), escape(money(doc.cash_tendered, doc.currency))))
    if doc.change is not None:
        rows.append((_("Change given"), escape(money(doc.change, doc.currency))))
    if doc.credit_left:
        rows.append(
            (_("Credit left on account"), f"<b>{escape(money(doc.credit_left, doc.currency))}</b>")
        )
    value = s.cell.clone("ReceiptValue", fontSize=9, leading=12)
    key = s.cell_small.clone("ReceiptKey", fontSize=8, leading=12)
    table = Table(
        [[Paragraph(escape(label), key), Paragraph(text, value)] for label, text in rows],
        colWidths=[38 * mm, CONTENT_WIDTH - 38 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LINEBELOW", (0, 0), (-1, -2), 0.4, RULE),
            ]
        )
    )
    return table


def _allocations(doc: PaymentReceiptDoc) -> list[Flowable]:
    s = clinical_styles()
    cells = cell_styles(cell=s.cell, bold=s.cell_bold, head=s.head)
    columns = ((_("Invoice"), False), (_("Date"), False), (_("Amount applied"), True))
    rows: list[list[object]] = [header_row(columns, cells)]
    for item in doc.allocations:
        rows.append(
            [
                item.invoice_number,
                fmt_date(item.issued_on) if item.issued_on else "—",
                money(item.amount, doc.currency),
            ]
        )
    applied = sum((item.amount for item in doc.allocations), ZERO)
    rows.append([_("Total applied"), "", money(applied, doc.currency)])
    last = len(rows) - 1
    table = Table(rows, colWidths=[CONTENT_WIDTH - 58 * mm, 28 * mm, 30 * mm], repeatRows=1)
    commands = table_commands(
        figures=[False, False, True], padding=(4, 2.5, 3), rule_width=0.4, last_ruled_row=last - 1
    )
    commands += body_and_totals_commands(last, size=8.5)
    table.setStyle(TableStyle(commands))
    return [Paragraph(escape(_("Applied to invoices").upper()), s.label), Spacer(1, 1 * mm), table]


def _signature(doc: PaymentReceiptDoc) -> Table:
    caption = _("Received by") if not doc.refund else _("Paid out by")
    name = f"{caption}: {doc.received_by}" if doc.received_by else caption
    return signature_lines([name], width=62 * mm, space=12 * mm, style=clinical_styles().small)
