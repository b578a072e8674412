"""Reading a products CSV into rows, without touching the database: decoding (UTF-8 with or
without BOM, else Windows-1252), finding the delimiter from the header line, matching column
names in English or Spanish, and checking every field of every line, collecting all the
reasons a line is wrong rather than stopping at the first. `services.stock_import` supplies
what the database already holds (codes, barcodes, suppliers) as `Known`."""

from __future__ import annotations

import csv
import io
import unicodedata
import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from clinic_desktop.errors import ValidationError
from clinic_desktop.fiscal.tax_codes import DEFAULT_GOODS, tax_codes
from clinic_desktop.i18n import N_, _
from clinic_desktop.services.inventory_dto import (
    ZERO,
    ImportLineError,
    ImportPreview,
    ImportRowDTO,
    parse_decimal,
)

# Column: (label for messages, other accepted names). Names are compared without accents,
# case or spaces, so "Código de barras" matches codigo_de_barras.
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "code": (N_("Code"), ("codigo", "cod", "referencia", "ref")),
    "name": (N_("Name"), ("nombre", "descripcion", "producto")),
    "category": (N_("Category"), ("categoria", "familia")),
    "unit": (N_("Unit of use"), ("unidad", "unidad_de_uso", "unit_of_use")),
    "purchase_unit": (N_("Purchase unit"), ("unidad_compra", "unidad_de_compra")),
    "units_per_purchase": (
        N_("Units per purchase unit"),
        ("unidades_por_compra", "unidades_por_unidad_de_compra", "conversion"),
    ),
    "cost": (N_("Cost"), ("costo", "coste", "unit_cost", "costo_unitario")),
    "sale_price": (N_("Sale price"), ("precio_venta", "precio_de_venta", "pvp", "price")),
    "tax_code": (N_("Tax code"), ("impuesto", "codigo_impuesto", "iva", "tax")),
    "reorder_level": (
        N_("Reorder level"),
        ("nivel_reorden", "nivel_de_reorden", "stock_minimo", "minimo", "punto_de_pedido"),
    ),
    "location": (N_("Location"), ("ubicacion", "almacen")),
    "barcode": (N_("Barcode"), ("codigo_barras", "codigo_de_barras", "ean")),
    "supplier": (N_("Supplier"), ("proveedor",)),
    "quantity": (N_("Quantity"), ("cantidad", "stock", "existencias")),
    "lot": (N_("Lot"), ("lote", "lot_number", "numero_de_lote")),
    "expiry": (N_("Expiry"), ("caducidad", "vencimiento", "fecha_caducidad", "expiry_date")),
}
REQUIRED = ("code", "name")
_LIMITS = {
    "code": 40,
    "name": 200,
    "category": 80,
    "unit": 20,
    "purchase_unit": 40,
    "location": 80,
    "barcode": 64,
    "supplier": 200,
    "lot": 60,
}
_PLACES = {
    "units_per_purchase": 3,
    "cost": 4,
    "sale_price": 2,
    "reorder_level": 3,
    "quantity": 3,
}


@dataclass(frozen=True)
class Known:
    country: str
    codes: set[str]  # lower-cased, every product ever made (codes stay unique)
    barcodes: dict[str, str]  # barcode -> code, active products
    suppliers: dict[str, uuid.UUID]  # folded name -> id
    today: date


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's plain "CSV" on Windows is the ANSI code page, not UTF-8.
        return data.decode("cp1252", errors="replace")


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "_".join(plain.lower().replace("-", " ").replace(".", " ").split())


_ALIASES = {
    _fold(alias): key for key, (_label, aliases) in COLUMNS.items() for alias in (key, *aliases)
}


def _label(column: str) -> str:
    return _(COLUMNS[column][0])


def _delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ";"))
    return best if counts[best] else ","


def parse_rows(text: str, known: Known) -> ImportPreview:
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return ImportPreview((), (ImportLineError(1, (_("The file is empty."),), ""),), ",")
    delimiter = _delimiter(lines[first])
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header: list[str] | None = None
    columns: list[str | None] = []
    rows: list[ImportRowDTO] = []
    errors: list[ImportLineError] = []
    seen_codes: dict[str, int] = {}
    seen_barcodes: dict[str, int] = {}
    new_suppliers: list[str] = []
    last = 0
    for record in reader:
        line, last = last + 1, reader.line_num
        if not any(field.strip() for field in record):
            continue
        if header is None:
            header = record
            columns, problems = _columns(record)
            if problems:
                errors.append(ImportLineError(line, tuple(problems), delimiter.join(record)))
                return ImportPreview((), tuple(errors), delimiter)
            continue
        values, reasons = _values(record, columns)
        row, more = _row(line, values, known)
        reasons.extend(more)
        code = values.get("code", "").strip().lower()
        if code:
            if code in seen_codes:
                reasons.append(
                    _("Code: {code} is repeated (also on line {line}).").format(
                        code=values["code"].strip(), line=seen_codes[code]
                    )
                )
            else:
                seen_codes[code] = line
        barcode = values.get("barcode", "").strip()
        if barcode:
            if barcode in seen_barcodes:
                reasons.append(
                    _("Barcode: {barcode} is repeated (also on line {line}).").format(
                        barcode=barcode, line=seen_barcodes[barcode]
                    )
                )
            else:
                seen_barcodes[barcode] = line
        if reasons or row is None:
            errors.append(ImportLineError(line, tuple(reasons), delimiter.join(record)))
            continue
        if row.new_supplier and row.supplier.lower() not in {s.lower() for s in new_suppliers}:
            new_suppliers.append(row.supplier)
        rows.append(row)
    if header is not None and not rows and not errors:
        errors.append(ImportLineError(1, (_("The file has no products to import."),), ""))
    return ImportPreview(tuple(rows), tuple(errors), delimiter, tuple(new_suppliers))


def _columns(header: list[str]) -> tuple[list[str | None], list[str]]:
    columns: list[str | None] = []
    problems: list[str] = []
    for name in header:
        folded = _fold(name)
        key = _ALIASES.get(folded)
        if not folded:
            columns.append(None)
            continue
        if key is None:
            problems.append(_("Column “{name}” is not one of the known columns.").format(name=name))
        elif key in columns:
            problems.append(_("Column “{name}” appears twice.").format(name=name))
        columns.append(key)
    for key in REQUIRED:
        if key not in columns:
            problems.append(_("The first line must name the column “{column}”.").format(column=key))
    return columns, problems


def _values(record: list[str], columns: list[str | None]) -> tuple[dict[str, str], list[str]]:
    reasons: list[str] = []
    extra = record[len(columns) :]
    if any(field.strip() for field in extra):
        reasons.append(
            _("The line has {fields} fields; the first line names {columns}.").format(
                fields=len(record), columns=len(columns)
            )
        )
    values = {
        key: record[i].strip() if i < len(record) else ""
        for i, key in enumerate(columns)
        if key is not None
    }
    return values, reasons


def _row(line: int, values: dict[str, str], known: Known) -> tuple[ImportRowDTO | None, list[str]]:
    reasons: list[str] = []
    warnings: list[str] = []
    text: dict[str, str] = {}
    for key, limit in _LIMITS.items():
        value = " ".join(values.get(key, "").split())
        if len(value) > limit:
            reasons.append(
                _("{field}: at most {count} characters.").format(field=_label(key), count=limit)
            )
        text[key] = value
    for key in REQUIRED:
        if not text[key]:
            reasons.append(_("{field}: it is required.").format(field=_label(key)))
    if text["code"] and text["code"].lower() in known.codes:
        reasons.append(_("Code: product {code} already exists.").format(code=text["code"]))
    if text["barcode"] and text["barcode"] in known.barcodes:
        reasons.append(
            _("Barcode: product {code} already has it.").format(
                code=known.barcodes[text["barcode"]]
            )
        )
    numbers: dict[str, Decimal] = {}
    for key, places in _PLACES.items():
        raw = values.get(key, "")
        default = Decimal(1) if key == "units_per_purchase" else ZERO
        try:
            number = parse_decimal(raw, field=key, label=_label(key), places=places)
        except ValidationError as exc:
            reasons.append(exc.message)
            continue
        if not raw.strip():
            number = default
        if number < ZERO:
            reasons.append(_("{field}: it cannot be negative.").format(field=_label(key)))
        elif key == "units_per_purchase" and number == ZERO:
            reasons.append(_("{field}: it must be more than zero.").format(field=_label(key)))
        numbers[key] = number
    tax = _tax_code(values.get("tax_code", ""), known.country, reasons)
    expiry = _expiry(values.get("expiry", ""), reasons)
    quantity = numbers.get("quantity", ZERO)
    if quantity == ZERO and (text["lot"] or expiry):
        warnings.append(_("Lot and expiry are ignored: the line has no quantity."))
    if expiry is not None and quantity > ZERO and expiry < known.today:
        warnings.append(_("Expiry: the lot has already expired."))
    if reasons or len(numbers) < len(_PLACES):
        return None, reasons
    supplier_key = text["supplier"].lower()
    row = ImportRowDTO(
        line=line,
        code=text["code"],
        name=text["name"],
        category=text["category"],
        unit=text["unit"] or "unidad",
        purchase_unit=text["purchase_unit"],
        units_per_purchase=numbers["units_per_purchase"],
        cost=numbers["cost"],
        sale_price=numbers["sale_price"],
        tax_code=tax,
        reorder_level=numbers["reorder_level"],
        location=text["location"],
        barcode=text["barcode"],
        supplier=text["supplier"],
        quantity=quantity,
        lot=text["lot"] if quantity > ZERO else "",
        expiry=expiry if quantity > ZERO else None,
        new_supplier=bool(supplier_key) and supplier_key not in known.suppliers,
    )
    return replace(row, warnings=tuple(warnings)), reasons


def _tax_code(raw: str, country: str, reasons: list[str]) -> str:
    value = raw.strip()
    if not value:
        return DEFAULT_GOODS.get(country, "")
    valid = {c.code.lower(): c.code for c in tax_codes(country)}
    found = valid.get(value.lower())
    if found is None:
        reasons.append(
            _("Tax code: {code} is not used in this country; use one of {codes}.").format(
                code=value, codes=", ".join(valid.values())
            )
        )
        return ""
    return found


def _expiry(raw: str, reasons: list[str]) -> date | None:
    value = raw.strip()
    if not value:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    reasons.append(
        _("Expiry: {value} is not a date; write it as YYYY-MM-DD or DD/MM/YYYY.").format(
            value=value
        )
    )
    return None
