"""The sheet printed when a user closes the day's cash on a PC: the clinic's letterhead, the
day, the workstation, who closed it and when; per payment method the amount the day's
payments say should be there, the amount counted and the difference (a shortfall or surplus
stands out in red), with their totals; the comment explaining any difference; every payment
of the day (time, receipt, payer, method, amount); and lines to sign for who closed and who
reviewed it. A close not saved yet prints crossed "DRAFT". Input dataclass in
(billing_docs.CashCloseDoc), PDF bytes out."""

from __future__ import annotations

from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from clinic_desktop.formatting import money
from clinic_desktop.i18n import _, ngettext
from clinic_desktop.reports.billing_docs import (
    A4_PAGE,
    ZERO,
    CashCloseDoc,
    PageHeader,
    render_billing_doc,
)
from clinic_desktop.reports.clinical_letterhead import (
    ALERT,
    clinical_styles,
    fmt_date,
    fmt_datetime,
    para_text,
)
from clinic_desktop.reports.pdf_style import SANS_BOLD, TINT
from clinic_desktop.reports.pdf_tables import (
    TableCommand,
    body_and_totals_commands,
    cell_styles,
    header_row,
    ruled_box,
    signature_lines,
    table_commands,
    tinted_band,
)

CONTENT_WIDTH = A4_PAGE.content_width
CELL_FONT = 8.5


def render_cash_close(doc: CashCloseDoc) -> bytes:
    """The PDF bytes of `doc` (nothing touches disk)."""
    title = _("Cash close")
    header = PageHeader(
        title=title,
        number=fmt_date(doc.day),
        facts=(doc.workstation,),
        watermark="" if doc.closed_at is not None else _("DRAFT"),
    )
    s = clinical_styles()
    story: list[Flowable] = [
        _facts_band(doc),
        Spacer(1, 6 * mm),
        Paragraph(escape(_("By payment method").upper()), s.label),
        Spacer(1, 1.5 * mm),
        _methods_table(doc),
    ]
    if doc.comment.strip():
        story += [Spacer(1, 5 * mm), KeepTogether(_comment_box(doc))]
    story += [Spacer(1, 7 * mm), *_payments(doc)]
    story += [Spacer(1, 16 * mm), KeepTogether(_signatures(doc))]
    return render_billing_doc(
        story,
        page=A4_PAGE,
        letterhead=doc.letterhead,
        header=header,
        title=f"{title} {doc.day.isoformat()}",
        subject=f"{doc.workstation} · {doc.user}",
        footer=(
            doc.letterhead.clinic_name,
            f"{title} {fmt_date(doc.day)}",
            doc.workstation,
            doc.user,
        ),
    )


def _facts_band(doc: CashCloseDoc) -> Table:
    s = clinical_styles()
    value = s.body.clone("CloseFact", fontName=SANS_BOLD, fontSize=9.5, leading=12, spaceAfter=0)
    closed = fmt_datetime(doc.closed_at) if doc.closed_at is not None else _("Not closed yet")
    facts = (
        (_("Day"), fmt_date(doc.day)),
        (_("Workstation"), doc.workstation),
        (_("Closed by"), doc.user),
        (_("Closed at"), closed),
    )
    cells = [
        [Paragraph(escape(label.upper()), s.label), Paragraph(escape(text), value)]
        for label, text in facts
    ]
    return tinted_band(cells, [CONTENT_WIDTH / 4] * 4, padding=(8, 6, 6, 7))


def _difference_commands(column: int, row: int, amount: Decimal) -> list[TableCommand]:
    # A count that does not match is what the reviewer looks for: it stands out in red.
    if amount == ZERO:
        return []
    return [("TEXTCOLOR", (column, row), (column, row), ALERT)]


def _methods_table(doc: CashCloseDoc) -> Table:
    s = clinical_styles()
    cells = cell_styles(cell=s.cell, bold=s.cell_bold, head=s.head)
    columns = (
        (_("Payment method"), False),
        (_("Expected amount"), True),
        (_("Counted amount"), True),
        (_("Difference"), True),
    )
    currency = doc.currency
    rows: list[list[object]] = [header_row(columns, cells)]
    commands: list[TableCommand] = []
    for line in doc.rows:
        rows.append(
            [
                line.method_label,
                money(line.expected, currency),
                money(line.counted, currency),
                money(line.difference, currency),
            ]
        )
        commands += _difference_commands(3, len(rows) - 1, line.difference)
    if not doc.rows:
        rows.append([Paragraph(escape(_("No payments on this day.")), s.empty), "", "", ""])
    rows.append(
        [
            _("Total"),
            money(doc.total_expected, currency),
            money(doc.total_counted, currency),
            money(doc.total_difference, currency),
        ]
    )
    last = len(rows) - 1
    commands += _difference_commands(3, last, doc.total_difference)
    table = Table(rows, colWidths=[CONTENT_WIDTH - 3 * 34 * mm] + [34 * mm] * 3)
    base = table_commands(
        figures=[figure for _label, figure in columns],
        padding=(5, 3.5, 4),
        rule_width=0.4,
        last_ruled_row=last - 1,
    )
    base += body_and_totals_commands(last, size=9, total_size=9.5, rule_width=1)
    base.append(("BACKGROUND", (0, last), (-1, last), TINT))
    table.setStyle(TableStyle(base + commands))
    return table


def _comment_box(doc: CashCloseDoc) -> Table:
    s = clinical_styles()
    return ruled_box(
        [
            Paragraph(escape(_("Comment").upper()), s.label),
            Paragraph(para_text(doc.comment), s.body),
        ],
        CONTENT_WIDTH,
    )


def _payments(doc: CashCloseDoc) -> list[Flowable]:
    s = clinical_styles()
    cells = cell_styles(cell=s.cell, bold=s.cell_bold, head=s.head)
    count = len(doc.payments)
    out: list[Flowable] = [
        Paragraph(escape(_("Payments of the day").upper()), s.label),
        Spacer(1, 1.5 * mm),
    ]
    if not doc.payments:
        out.append(Paragraph(escape(_("No payments were recorded on this day.")), s.empty))
        return out
    columns = (
        (_("Time"), False),
        (_("Receipt no."), False),
        (_("Payer"), False),
        (_("Payment method"), False),
        (_("Amount"), True),
    )
    rows: list[list[object]] = [header_row(columns, cells)]
    for payment in doc.payments:
        rows.append(
            [
                payment.at.strftime("%H:%M"),
                payment.receipt,
                Paragraph(escape(payment.payer), cells.plain),
                payment.method_label,
                money(payment.amount, doc.currency),
            ]
        )
    total = sum((payment.amount for payment in doc.payments), ZERO)
    label = ngettext("Total ({count} payment)", "Total ({count} payments)", count)
    rows.append(["", "", label.format(count=count), "", money(total, doc.currency)])
    last = len(rows) - 1
    widths = [16 * mm, 26 * mm, 0.0, 38 * mm, 28 * mm]
    widths[2] = CONTENT_WIDTH - sum(widths)
    table = Table(rows, colWidths=widths, repeatRows=1)
    commands = table_commands(
        figures=[figure for _label, figure in columns],
        padding=(4, 2.6, 3.2),
        rule_width=0.4,
        last_ruled_row=last - 1,
    )
    commands += body_and_totals_commands(last, size=CELL_FONT)
    table.setStyle(TableStyle(commands))
    out.append(table)
    return out


def _signatures(doc: CashCloseDoc) -> Table:
    gap = 20 * mm
    return signature_lines(
        [_("Closed by: {name}").format(name=doc.user), _("Reviewed by")],
        width=(CONTENT_WIDTH - gap) / 2,
        gap=gap,
        space=12 * mm,
        style=clinical_styles().small,
    )
