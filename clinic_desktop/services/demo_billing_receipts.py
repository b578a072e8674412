"""The two receipts attached to demo expenses: a supplier's invoice as a one-page PDF (drawn
with reportlab, invariant so the same data gives the same bytes) and the photo of an
electricity bill as a small greyscale PNG (paper, a darker header band, rows of "text" and a
barcode, written by hand with zlib and struct as the demo's radiographs are). Neither is
meant to be read closely; they make the receipt viewer and the audit trail show something."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from functools import cache

from clinic_desktop.formatting import money

SUPPLIER_ADDRESS = "Av. 6 de Diciembre N33-55, Quito · RUC 1792146739001"
CLINIC = "Clínica Demo San Rafael · RUC 1710034065001"


def supplier_invoice_pdf(
    supplier: str,
    number: str,
    day: date,
    items: Sequence[tuple[str, int, Decimal]],
    net: Decimal,
    tax: Decimal,
) -> bytes:
    from reportlab.lib.pagesizes import A5
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A5, invariant=True)
    canvas.setTitle(f"Factura {number}")
    width, height = A5
    left, right = 36, width - 36
    y = height - 48
    canvas.setFont("Helvetica-Bold", 13)
    canvas.drawString(left, y, supplier)
    canvas.setFont("Helvetica", 7.5)
    canvas.drawString(left, y - 12, SUPPLIER_ADDRESS)
    canvas.setFont("Helvetica-Bold", 10)
    canvas.drawRightString(right, y, f"FACTURA {number}")
    canvas.setFont("Helvetica", 8)
    canvas.drawRightString(right, y - 12, f"Fecha: {day:%d/%m/%Y}")
    y -= 40
    canvas.drawString(left, y, f"Cliente: {CLINIC}")
    y -= 22
    canvas.setFont("Helvetica-Bold", 8)
    for x, head in ((left, "Descripción"), (right - 120, "Cant."), (right - 80, "P. unit.")):
        canvas.drawString(x, y, head)
    canvas.drawRightString(right, y, "Total")
    canvas.line(left, y - 4, right, y - 4)
    canvas.setFont("Helvetica", 8)
    for name, quantity, price in items:
        y -= 15
        canvas.drawString(left, y, name)
        canvas.drawString(right - 120, y, str(quantity))
        canvas.drawString(right - 80, y, money(price, "USD"))
        canvas.drawRightString(right, y, money(price * quantity, "USD"))
    y -= 12
    canvas.line(left, y, right, y)
    for label, amount in (("Subtotal 15 %", net), ("IVA 15 %", tax), ("TOTAL", net + tax)):
        y -= 14
        canvas.setFont("Helvetica-Bold" if label == "TOTAL" else "Helvetica", 8.5)
        canvas.drawRightString(right - 80, y, label)
        canvas.drawRightString(right, y, money(amount, "USD"))
    canvas.setFont("Helvetica", 6.5)
    canvas.drawString(left, 36, "Documento autorizado por el SRI · Ambiente: producción")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


@cache
def electricity_png() -> bytes:
    """A 240 x 340 photo of a utility bill: greyish paper, a dark header band, lines of text,
    a boxed total and a barcode at the foot."""
    width, height = 240, 340
    rows: list[bytes] = []
    for y in range(height):
        row = bytearray([226 + (y * 7 + 3) % 9] * width)  # paper with a faint grain
        if 16 <= y < 50:
            row[12 : width - 12] = bytes([70]) * (width - 24)
        elif 70 <= y < 250 and y % 14 < 4:
            length = 60 + (y * 37) % 140
            row[20 : 20 + length] = bytes([90]) * length
        elif 262 <= y < 290:  # the boxed total
            row[120:220] = bytes([120 if y in (262, 289) else 238]) * 100
            if 270 <= y < 282:
                row[140:205] = bytes([40]) * 65
        elif 302 <= y < 326:
            for x in range(24, 216):
                if (x * 13) % 7 < 3:
                    row[x] = 20
        rows.append(bytes(row))
    raw = b"".join(b"\x00" + row for row in rows)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 6))
        + chunk(b"IEND", b"")
    )
