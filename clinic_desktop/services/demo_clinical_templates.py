"""The demo clinic's note templates and the short texts that follow a signed note: clinic-wide
templates for the common consultations of a general and dental practice, a few personal ones
for the demo doctors, each with `[[prompts]]` that are asked when the template is applied
(Open Dental's prompt-driven notes are the model), and the addenda, amendment reasons and the
void reason of a prescription that make the demo's corrections read as real."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TemplateSpec:
    name: str
    owner: str | None  # the demo account it belongs to; None: clinic-wide
    chief_complaint: str
    subjective: str
    objective: str
    assessment: str
    plan: str


TEMPLATES = (
    TemplateSpec(
        "Consulta general",
        None,
        "[[Motivo de consulta]]",
        "Paciente que acude por [[síntoma principal]] de [[¿cuántos días?]] días de evolución. "
        "Síntomas asociados: [[síntomas asociados]]. Automedicación: [[¿qué ha tomado?]].",
        "Paciente consciente, orientado, hidratado, afebril. Cardiopulmonar: ruidos cardíacos "
        "rítmicos, murmullo vesicular conservado. Abdomen: suave, depresible, no doloroso. "
        "Hallazgos relevantes: [[hallazgos de la exploración]].",
        "[[Diagnóstico]] (CIE-10 [[código CIE-10]]).",
        "[[Tratamiento]]. Se explican signos de alarma. Control en [[¿cuándo?]].",
    ),
    TemplateSpec(
        "Control de hipertensión",
        None,
        "Control de hipertensión arterial",
        "Paciente con hipertensión arterial en tratamiento con [[medicación y dosis]]. "
        "Adherencia: [[buena / irregular]]. Presión en casa: [[valores registrados]]. "
        "Niega cefalea, dolor torácico, disnea y edemas. Dieta baja en sal: [[¿la cumple?]].",
        "Ruidos cardíacos rítmicos, sin soplos. Pulsos periféricos presentes y simétricos. "
        "Sin edema de miembros inferiores.",
        "Hipertensión esencial (I10), [[controlada / no controlada]].",
        "Continuar [[medicación]]. Dieta hiposódica y caminata de 30 minutos al día. "
        "Exámenes: [[exámenes solicitados]]. Control en [[¿cuántas semanas?]] semanas con el "
        "registro de presión domiciliaria.",
    ),
    TemplateSpec(
        "Control de diabetes",
        None,
        "Control de diabetes mellitus tipo 2",
        "Paciente con diabetes tipo 2 en tratamiento con [[medicación y dosis]]. Glucemias "
        "capilares en casa: [[valores]]. Hipoglucemias: [[sí / no]]. Poliuria, polidipsia: "
        "[[sí / no]].",
        "Pie diabético: pulsos pedios [[presentes / disminuidos]], sensibilidad con monofilamento "
        "[[conservada / disminuida]], sin lesiones. HbA1c: [[valor]] %.",
        "Diabetes mellitus tipo 2 (E11.9), [[en metas / fuera de metas]].",
        "[[Ajuste de tratamiento]]. Plan nutricional. Solicitar HbA1c, perfil lipídico, "
        "creatinina y microalbuminuria. Control en [[¿cuántos meses?]] meses.",
    ),
    TemplateSpec(
        "Control prenatal",
        None,
        "Control prenatal",
        "Embarazo de [[semanas de gestación]] semanas por FUM. G[[gestas]] P[[partos]] "
        "C[[cesáreas]] A[[abortos]]. Movimientos fetales: [[presentes / ausentes]]. Niega "
        "sangrado, pérdida de líquido y cefalea.",
        "Altura uterina: [[cm]] cm. Frecuencia cardíaca fetal: [[latidos por minuto]] lpm. "
        "Edema: [[sí / no]].",
        "Embarazo de [[semanas de gestación]] semanas, supervisión de embarazo normal (Z34.9).",
        "Ácido fólico y hierro diarios. Ecografía obstétrica: [[fecha]]. Signos de alarma "
        "explicados. Próximo control en [[¿cuántas semanas?]] semanas.",
    ),
    TemplateSpec(
        "Limpieza dental / profilaxis",
        None,
        "Profilaxis dental",
        "Última limpieza hace [[¿cuántos meses?]] meses. Cepillado [[veces al día]] veces al "
        "día; hilo dental: [[sí / no]]. Sangrado al cepillarse: [[sí / no]].",
        "Índice de placa (O'Leary): [[porcentaje]] %. Cálculo supragingival en "
        "[[sectores]]. Encías: [[hallazgos]].",
        "[[Diagnóstico periodontal]].",
        "Destartraje supragingival con ultrasonido, pulido coronal y flúor barniz. Instrucción "
        "de higiene oral (técnica de Bass). Próxima profilaxis en [[¿cuántos meses?]] meses.",
    ),
    TemplateSpec(
        "Endodoncia",
        None,
        "Endodoncia pieza [[número de pieza]]",
        "Dolor [[espontáneo / provocado]] en la pieza [[número de pieza]] de [[¿cuántos días?]] "
        "días de evolución; [[¿despierta en la noche?]].",
        "Prueba de frío: [[respuesta]]. Percusión vertical: [[positiva / negativa]]. "
        "Rx periapical: [[hallazgos radiográficos]].",
        "[[Pulpitis irreversible / necrosis pulpar]] de la pieza [[número de pieza]].",
        "Anestesia: [[anestésico]]. Aislamiento absoluto, apertura cameral, conductometría "
        "[[longitud de trabajo]] mm, instrumentación rotatoria e irrigación con hipoclorito de "
        "sodio al 5,25 %. [[Obturación / medicación intraconducto]]. Control en [[¿cuándo?]].",
    ),
    TemplateSpec(
        "Extracción dental",
        None,
        "Extracción de la pieza [[número de pieza]]",
        "Paciente acude para extracción de la pieza [[número de pieza]] indicada por "
        "[[motivo]]. Medicación actual y alergias revisadas.",
        "Pieza [[número de pieza]] con [[hallazgos clínicos]]. Rx: [[hallazgos radiográficos]].",
        "[[Diagnóstico]] de la pieza [[número de pieza]].",
        "Anestesia [[técnica y anestésico]]. Exodoncia [[simple / quirúrgica]] sin "
        "complicaciones; hemostasia con gasa. Indicaciones: no escupir ni usar sorbete 24 h, "
        "dieta blanda y fría, no fumar. Control en 7 días.",
    ),
    TemplateSpec(
        "Infección respiratoria alta (mi plantilla)",
        "medico",
        "[[Síntoma principal]]",
        "Cuadro de [[¿cuántos días?]] días con rinorrea, odinofagia y [[fiebre / sin fiebre]]. "
        "Contactos con síntomas similares: [[¿quiénes?]].",
        "Faringe [[hallazgos]]. Otoscopia normal. Murmullo vesicular conservado.",
        "[[Rinofaringitis aguda (J00) / faringoamigdalitis (J03.9)]].",
        "Paracetamol 1 g cada 8 horas si hay fiebre o dolor, líquidos abundantes, lavados "
        "nasales con suero fisiológico. Reposo [[¿cuántos días?]] días. Volver si hay dificultad "
        "para respirar o fiebre de más de 3 días.",
    ),
    TemplateSpec(
        "Certificado de reposo",
        "medico",
        "Certificado médico",
        "Paciente solicita certificado por [[motivo]].",
        "Examen físico: [[hallazgos]].",
        "[[Diagnóstico]].",
        "Se extiende certificado de reposo por [[¿cuántos días?]] días a partir del [[fecha]].",
    ),
    TemplateSpec(
        "Control de ortodoncia",
        "odontologa",
        "Control de ortodoncia",
        "Mes [[número de mes]] de tratamiento. Molestias: [[sí / no]]. Brackets despegados: "
        "[[¿cuáles?]]. Uso de elásticos: [[cumple / no cumple]].",
        "Higiene oral [[buena / regular / mala]]. Arco actual: [[calibre del arco]].",
        "Maloclusión en tratamiento con ortodoncia fija (K07.4).",
        "Cambio a arco [[nuevo calibre]], ligaduras nuevas. Control en 4 semanas.",
    ),
)

# Added to a signed note days later, by its author.
ADDENDA = (
    "Se reciben los resultados de laboratorio: glucosa {glucose} mg/dl, hemograma dentro de "
    "parámetros normales. Se comunica al paciente por teléfono.",
    "El paciente llama por teléfono: mejoría de los síntomas, continúa el tratamiento indicado.",
    "Omití consignar en la nota: el paciente trae exámenes de otra casa de salud, revisados y "
    "adjuntados a documentos.",
    "Se contacta al paciente para confirmar tolerancia al medicamento; sin efectos adversos.",
    "Familiar informa que el paciente acudió a emergencia por el mismo cuadro; se indica traer "
    "el informe al próximo control.",
    "Resultado de cultivo faríngeo: negativo para estreptococo del grupo A.",
)
DENTAL_ADDENDA = (
    "La paciente llama: leve sensibilidad al masticar, esperable; se indica continuar con "
    "analgésico si hay dolor.",
    "Se envía presupuesto del tratamiento por correo electrónico a solicitud del paciente.",
    "Control telefónico a las 48 horas: sin dolor ni sangrado.",
)
WEIGHT_AMENDMENT = "Peso mal digitado ({wrong} kg); el peso medido fue {right} kg."
INTERVAL_AMENDMENT = "El plazo de control indicado era incorrecto: es en {right}, no en {wrong}."
VOID_REASON = "Dosis incorrecta en la primera línea; se emitió una receta nueva."
PRESCRIPTION_NOTES = (
    "",
    "",
    "Se explican al paciente los efectos adversos más frecuentes.",
    "Paciente informado; entiende la posología.",
    "Entregar copia al familiar responsable.",
)
