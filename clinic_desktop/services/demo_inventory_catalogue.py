"""The demo clinic's inventory as data: suppliers, the products a mixed medical and dental
clinic in Quito stocks (with their purchase units and realistic costs in USD), the treatment
catalogue with the recipe of each, and which appointment type usually means which treatment.
`stock` says how each product's shelf should look at the end of the demo (healthy, low,
expiring soon, with an expired lot, out of stock) so that every badge and alert shows."""

# ruff: noqa: E501 - one product or treatment per line reads best as a table

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal as D

SUPPLIERS: tuple[tuple[str, str, str, str, str], ...] = (
    # name, RUC, contact, phone, e-mail
    ("Dental Andina S.A.", "1792146739001", "Carla Vásconez", "02 245 1180", "ventas@dentalandina.ec"),
    ("Medisumi Cía. Ltda.", "1791414497001", "Jorge Pinto", "02 292 3344", "pedidos@medisumi.ec"),
    ("Farmacéutica del Pichincha", "1790013046001", "Lucía Andrade", "02 396 7700", "corporativo@farmapichincha.ec"),
    ("Estética Pro Importaciones", "1792875431001", "Diego Salazar", "099 812 4455", "info@esteticapro.ec"),
)  # fmt: skip


@dataclass(frozen=True)
class ProductSpec:
    code: str
    name: str
    category: str
    unit: str
    purchase_unit: str
    per_purchase: D
    cost: D  # per unit of use
    reorder: D
    location: str
    supplier: int  # index in SUPPLIERS
    expires: bool = True
    sale_price: D = D(0)
    goods: bool = False  # sold over the counter: general VAT rate
    # How the shelf ends: "ok", "low", "expiring", "expired", "out", "runs_out" (enough now,
    # but the booked appointments use it up within the forecast horizon).
    stock: str = "ok"


P = ProductSpec
PRODUCTS: tuple[ProductSpec, ...] = (
    P("GUA-NIT-M", "Guantes de nitrilo talla M", "Descartables", "unidad", "Caja x100", D(100), D("0.0850"), D(300), "Bodega A1", 1, expires=False),
    P("GUA-NIT-S", "Guantes de nitrilo talla S", "Descartables", "unidad", "Caja x100", D(100), D("0.0850"), D(200), "Bodega A1", 1, expires=False, stock="low"),
    P("MASC-QX", "Mascarilla quirúrgica tres pliegues", "Descartables", "unidad", "Caja x50", D(50), D("0.0600"), D(150), "Bodega A1", 1, expires=False),
    P("BAB-DES", "Babero dental desechable", "Descartables", "unidad", "Paquete x500", D(500), D("0.0240"), D(200), "Bodega A2", 0, expires=False),
    P("EYE-SAL", "Eyector de saliva", "Descartables", "unidad", "Bolsa x100", D(100), D("0.0350"), D(150), "Bodega A2", 0, expires=False),
    P("VAS-DES", "Vaso desechable 7 oz", "Descartables", "unidad", "Paquete x100", D(100), D("0.0150"), D(100), "Bodega A2", 0, expires=False),
    P("BAJ-LEN", "Bajalenguas de madera", "Descartables", "unidad", "Caja x100", D(100), D("0.0200"), D(100), "Bodega A1", 1, expires=False),
    P("GAS-EST", "Gasa estéril 10 x 10 cm", "Curación", "unidad", "Paquete x100", D(100), D("0.0300"), D(300), "Bodega B1", 1),
    P("ALG-ROL", "Rollos de algodón dental", "Curación", "unidad", "Bolsa x500", D(500), D("0.0080"), D(300), "Bodega B1", 0, expires=False),
    P("ALC-70", "Alcohol antiséptico 70 %", "Antisépticos", "ml", "Galón 3.785 ml", D(3785), D("0.0021"), D(1000), "Bodega B2", 2),
    P("CLX-012", "Clorhexidina 0,12 %", "Antisépticos", "ml", "Frasco 1.000 ml", D(1000), D("0.0090"), D(500), "Bodega B2", 2),
    P("JER-5ML", "Jeringa 5 ml con aguja", "Inyectables", "unidad", "Caja x100", D(100), D("0.0900"), D(100), "Bodega C1", 1),
    P("AGU-27G", "Aguja dental 27G corta", "Inyectables", "unidad", "Caja x100", D(100), D("0.1200"), D(100), "Bodega C1", 0),
    P("ANE-LID", "Lidocaína 2 % con epinefrina, cartucho 1,8 ml", "Anestésicos", "cartucho", "Caja x50", D(50), D("0.4500"), D(60), "Gabinete C2", 0, stock="expiring"),
    P("ANE-ART", "Articaína 4 %, cartucho 1,7 ml", "Anestésicos", "cartucho", "Caja x50", D(50), D("0.7200"), D(40), "Gabinete C2", 0, stock="low"),
    P("RES-A2", "Resina compuesta nanohíbrida A2", "Restauración", "g", "Jeringa 4 g", D(4), D("6.2500"), D(12), "Gabinete D1", 0),
    P("RES-A3", "Resina compuesta nanohíbrida A3", "Restauración", "g", "Jeringa 4 g", D(4), D("6.2500"), D(8), "Gabinete D1", 0),
    P("ADH-UNI", "Adhesivo universal", "Restauración", "ml", "Frasco 5 ml", D(5), D("14.0000"), D(3), "Gabinete D1", 0),
    P("ACI-GRA", "Ácido grabador 37 %", "Restauración", "ml", "Jeringa 5 ml", D(5), D("1.6000"), D(5), "Gabinete D1", 0),
    P("PAS-PRO", "Pasta profiláctica", "Prevención", "g", "Pote 340 g", D(340), D("0.0450"), D(150), "Gabinete D2", 0, stock="runs_out"),
    P("FLU-BAR", "Barniz de flúor 5 %, dosis unitaria", "Prevención", "dosis", "Caja x50", D(50), D("0.9000"), D(30), "Gabinete D2", 0),
    P("LIM-K25", "Limas endodónticas K n.º 25", "Endodoncia", "unidad", "Blíster x6", D(6), D("1.5000"), D(12), "Gabinete D3", 0, expires=False),
    P("GUT-PER", "Conos de gutapercha surtidos", "Endodoncia", "unidad", "Caja x120", D(120), D("0.0500"), D(60), "Gabinete D3", 0),
    P("HIP-SOD", "Hipoclorito de sodio 5,25 %", "Endodoncia", "ml", "Frasco 500 ml", D(500), D("0.0080"), D(250), "Gabinete D3", 0),
    P("SEL-END", "Cemento sellador endodóntico", "Endodoncia", "g", "Tubo 15 g", D(15), D("2.4000"), D(5), "Gabinete D3", 0),
    P("LIG-ELA", "Ligaduras elásticas de ortodoncia", "Ortodoncia", "unidad", "Bolsa x1.000", D(1000), D("0.0120"), D(300), "Gabinete D4", 0, expires=False),
    P("ARC-NIT", "Arco de níquel-titanio 0,014", "Ortodoncia", "unidad", "Paquete x10", D(10), D("1.8000"), D(5), "Gabinete D4", 0, expires=False, stock="out"),
    P("SUT-30", "Sutura de seda 3-0 con aguja", "Curación", "unidad", "Caja x12", D(12), D("1.8000"), D(12), "Gabinete C3", 1),
    P("TIR-GLU", "Tiras reactivas de glucosa", "Diagnóstico", "unidad", "Caja x50", D(50), D("0.3500"), D(50), "Gabinete E1", 2, stock="low"),
    P("LAN-GLU", "Lancetas estériles", "Diagnóstico", "unidad", "Caja x100", D(100), D("0.0600"), D(50), "Gabinete E1", 2),
    P("ELE-ECG", "Electrodos de ECG adulto", "Diagnóstico", "unidad", "Bolsa x50", D(50), D("0.1400"), D(50), "Gabinete E1", 1),
    P("VAC-INF", "Vacuna contra la influenza, dosis", "Vacunas", "dosis", "Caja x10", D(10), D("11.5000"), D(10), "Refrigerador", 2, sale_price=D("20.00"), stock="expiring"),
    P("PAR-500", "Paracetamol 500 mg", "Medicamentos", "tableta", "Caja x100", D(100), D("0.0400"), D(100), "Gabinete E2", 2, sale_price=D("0.15"), stock="expired"),
    P("IBU-400", "Ibuprofeno 400 mg", "Medicamentos", "tableta", "Caja x100", D(100), D("0.0600"), D(100), "Gabinete E2", 2, sale_price=D("0.20")),
    P("GEL-BLA", "Gel blanqueador peróxido 35 %", "Estética", "ml", "Kit 3 jeringas x3 ml", D(9), D("5.5000"), D(9), "Gabinete D5", 3),
    P("TOX-BOT", "Toxina botulínica tipo A, vial 100 U", "Estética", "U", "Vial 100 U", D(100), D("3.2000"), D(100), "Refrigerador", 3),
    P("CEP-ADU", "Cepillo dental adulto", "Venta", "unidad", "Caja x12", D(12), D("1.2000"), D(12), "Recepción", 0, expires=False, sale_price=D("3.50"), goods=True),
    P("HIL-DEN", "Hilo dental 50 m", "Venta", "unidad", "Caja x12", D(12), D("1.6000"), D(12), "Recepción", 0, expires=False, sale_price=D("4.00"), goods=True),
)  # fmt: skip


@dataclass(frozen=True)
class TreatmentSpec:
    code: str
    name: str
    category: str
    minutes: int
    price: D
    aesthetic: bool
    recipe: tuple[tuple[str, D], ...]


_GLOVES = ("GUA-NIT-M", D(2))
_MASK = ("MASC-QX", D(1))
_DENTAL = (("BAB-DES", D(1)), ("EYE-SAL", D(1)), ("VAS-DES", D(1)))

T = TreatmentSpec
TREATMENTS: tuple[TreatmentSpec, ...] = (
    T("CON-GEN", "Consulta médica general", "Medicina", 30, D("30.00"), False, (_GLOVES, _MASK, ("BAJ-LEN", D(1)), ("ALC-70", D(5)))),
    T("CON-CTL", "Control médico", "Medicina", 20, D("20.00"), False, (_GLOVES, _MASK, ("ALC-70", D(3)))),
    T("CON-PRI", "Primera consulta médica", "Medicina", 40, D("35.00"), False, (_GLOVES, _MASK, ("BAJ-LEN", D(1)), ("ALC-70", D(5)))),
    T("TEL-CON", "Videoconsulta", "Medicina", 20, D("25.00"), False, ()),
    T("MED-GLU", "Glucometría capilar", "Procedimientos", 10, D("5.00"), False, (_GLOVES, ("TIR-GLU", D(1)), ("LAN-GLU", D(1)), ("ALG-ROL", D(1)), ("ALC-70", D(2)))),
    T("MED-INY", "Aplicación de inyección intramuscular", "Procedimientos", 10, D("5.00"), False, (_GLOVES, ("JER-5ML", D(1)), ("ALG-ROL", D(1)), ("ALC-70", D(2)))),
    T("MED-VAC", "Vacunación contra la influenza", "Procedimientos", 10, D("20.00"), False, (_GLOVES, ("VAC-INF", D(1)), ("JER-5ML", D(1)), ("ALC-70", D(2)))),
    T("MED-SUT", "Sutura de herida menor", "Procedimientos", 30, D("45.00"), False, (("GUA-NIT-M", D(4)), _MASK, ("ANE-LID", D(1)), ("AGU-27G", D(1)), ("SUT-30", D(1)), ("GAS-EST", D(6)), ("CLX-012", D(20)))),
    T("MED-ECG", "Electrocardiograma", "Diagnóstico", 20, D("25.00"), False, (_GLOVES, ("ELE-ECG", D(10)), ("ALC-70", D(10)))),
    T("ODO-PRO", "Profilaxis dental con flúor", "Odontología", 45, D("40.00"), False, (_GLOVES, _MASK, *_DENTAL, ("PAS-PRO", D(5)), ("FLU-BAR", D(1)), ("GAS-EST", D(4)))),
    T("ODO-RES", "Restauración con resina", "Odontología", 45, D("45.00"), False, (_GLOVES, _MASK, *_DENTAL, ("ANE-LID", D(1)), ("AGU-27G", D(1)), ("RES-A2", D("0.5")), ("ADH-UNI", D("0.1")), ("ACI-GRA", D("0.2")), ("ALG-ROL", D(4)))),
    T("ODO-EXT", "Extracción dental simple", "Odontología", 30, D("40.00"), False, (_GLOVES, _MASK, *_DENTAL, ("ANE-ART", D(2)), ("AGU-27G", D(1)), ("GAS-EST", D(6)), ("SUT-30", D(1)))),
    T("ODO-END", "Endodoncia unirradicular", "Odontología", 90, D("120.00"), False, (("GUA-NIT-M", D(4)), ("MASC-QX", D(2)), *_DENTAL, ("ANE-LID", D(2)), ("AGU-27G", D(1)), ("LIM-K25", D(2)), ("GUT-PER", D(6)), ("HIP-SOD", D(20)), ("SEL-END", D("0.5")), ("ALG-ROL", D(6)))),
    T("ODO-ORT", "Control de ortodoncia", "Odontología", 30, D("35.00"), False, (_GLOVES, _MASK, *_DENTAL, ("LIG-ELA", D(20)))),
    T("EST-BLA", "Blanqueamiento dental en consultorio", "Estética", 60, D("180.00"), True, (_GLOVES, _MASK, *_DENTAL, ("GEL-BLA", D(3)), ("GAS-EST", D(4)))),
    T("EST-TOX", "Aplicación de toxina botulínica", "Estética", 30, D("250.00"), True, (_GLOVES, ("TOX-BOT", D(50)), ("JER-5ML", D(1)), ("ALC-70", D(5)))),
)  # fmt: skip

# Appointment type name -> its usual treatment.
TYPE_TREATMENT: dict[str, str] = {
    "Consulta general": "CON-GEN",
    "Control": "CON-CTL",
    "Primera visita": "CON-PRI",
    "Videoconsulta": "TEL-CON",
    "Limpieza dental": "ODO-PRO",
    "Endodoncia": "ODO-END",
    "Revisión de ortodoncia": "ODO-ORT",
}

# Treatments sometimes added to a visit of a type, with their probability.
EXTRA_TREATMENTS: dict[str, tuple[tuple[str, float], ...]] = {
    "CON-GEN": (("MED-INY", 0.12), ("MED-GLU", 0.08), ("MED-ECG", 0.04), ("MED-SUT", 0.02)),
    "CON-CTL": (("MED-GLU", 0.2), ("MED-VAC", 0.05)),
    "CON-PRI": (("MED-ECG", 0.1), ("MED-GLU", 0.1)),
    "ODO-PRO": (("ODO-RES", 0.25), ("ODO-EXT", 0.05), ("EST-BLA", 0.03)),
    "ODO-END": (("ODO-RES", 0.3),),
    "ODO-ORT": (),
    "TEL-CON": (),
}
