"""Who an invoice is made out to, in the editor: name, identity document (the types the
clinic's country uses: cédula, RUC, passport... in Ecuador; DNI, NIE, CIF... in Spain) and
number, address and e-mail — the patient's own by default. In Ecuador "Final consumer" fills
in the SRI's 9999999999999 and CONSUMIDOR FINAL (allowed up to USD 50) and switching back
restores what was there; in Spain the document may be a simplified invoice (no buyer needed,
up to 400 €). The number is checked by the service when saving and when issuing; its refusal
shows under the field."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _
from clinic_desktop.services.invoice_dto import (
    BUYER_ID_TYPES,
    BuyerIdType,
    InvoiceDTO,
    Kind,
    buyer_id_type_label,
    kind_label,
)
from clinic_desktop.services.invoice_rules import (
    EC_FINAL_CONSUMER_LIMIT,
    ES_SIMPLIFIED_LIMIT,
    FINAL_CONSUMER_NAME,
)
from clinic_desktop.ui.agenda.dialog_kit import with_errors
from clinic_desktop.ui.billing.money_widgets import money_text
from clinic_desktop.ui.style import bold, set_role
from clinic_desktop.ui.widgets.forms import FieldError, FormErrors, mark_invalid

# The SRI's identification of the consumidor final (fiscal.ec.ids.FINAL_CONSUMER).
FINAL_CONSUMER_ID = "9999999999999"
FIELDS = ("buyer_name", "buyer_id_type", "buyer_tax_id", "buyer_address", "buyer_email", "kind")


class BuyerBox(QFrame):
    """`changed` on every edit. `values()` gives the buyer fields of InvoiceDraftForm."""

    changed = Signal()

    def __init__(self, country: str, currency: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("InvoiceBuyerBox")
        set_role(self, "card")
        self.country = country
        self.currency = currency
        self._saved_identity: tuple[str, str] = ("", "")  # before "final consumer"
        self._filling = False
        title = QLabel(_("Buyer"), self)
        title.setObjectName("InvoiceBuyerTitle")
        bold(title, 11)

        self.kind_combo = QComboBox(self)
        self.kind_combo.setObjectName("InvoiceKindCombo")
        for kind in (Kind.INVOICE, Kind.SIMPLIFIED):
            self.kind_combo.addItem(kind_label(kind, country), kind.value)
        self.kind_combo.setToolTip(
            _("A simplified invoice needs no buyer and may total at most {limit}.").format(
                limit=money_text(ES_SIMPLIFIED_LIMIT, currency)
            )
        )
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("InvoiceBuyerNameEdit")
        self.name_edit.setPlaceholderText(_("Person or company billed"))
        self.id_type_combo = QComboBox(self)
        self.id_type_combo.setObjectName("InvoiceBuyerIdTypeCombo")
        if country != "ES":
            self.id_type_combo.addItem(_("Choose…"), "")
        for id_type in BUYER_ID_TYPES.get(country, ()):
            self.id_type_combo.addItem(buyer_id_type_label(id_type), id_type.value)
        self.id_type_combo.setMinimumWidth(150)
        self.tax_id_edit = QLineEdit(self)
        self.tax_id_edit.setObjectName("InvoiceBuyerTaxIdEdit")
        self.tax_id_edit.setPlaceholderText(_("Number"))
        self.address_edit = QLineEdit(self)
        self.address_edit.setObjectName("InvoiceBuyerAddressEdit")
        self.email_edit = QLineEdit(self)
        self.email_edit.setObjectName("InvoiceBuyerEmailEdit")
        self.email_edit.setPlaceholderText(_("name@example.com"))
        # What an issued invoice shows instead of the type and number boxes.
        self.identity_label = QLabel(self)
        self.identity_label.setObjectName("InvoiceBuyerIdentityLabel")
        self.identity_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.identity_label.hide()
        self.hint = QLabel(self)
        self.hint.setObjectName("InvoiceBuyerHint")
        self.hint.setWordWrap(True)
        set_role(self.hint, "hint")
        self.hint.hide()

        self._placeholders = {
            edit.objectName(): edit.placeholderText()
            for edit in (self.name_edit, self.tax_id_edit, self.address_edit, self.email_edit)
        }
        self.error_labels = {
            field: FieldError(f"InvoiceEditorError_{field}", self) for field in FIELDS
        }
        identity = QHBoxLayout()
        identity.setContentsMargins(0, 0, 0, 0)
        identity.addWidget(self.id_type_combo)
        identity.addWidget(self.tax_id_edit, 1)
        identity.addWidget(self.identity_label, 1)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setVerticalSpacing(6)
        self.kind_row = with_errors(self.kind_combo, self.error_labels["kind"])
        if country == "ES":
            form.addRow(_("Document"), self.kind_row)
        else:
            self.kind_row.hide()
        form.addRow(_("Name"), with_errors(self.name_edit, self.error_labels["buyer_name"]))
        form.addRow(
            _("ID document"),
            with_errors(
                identity,
                self.error_labels["buyer_id_type"],
                self.error_labels["buyer_tax_id"],
                self.hint,
            ),
        )
        form.addRow(
            _("Address"), with_errors(self.address_edit, self.error_labels["buyer_address"])
        )
        form.addRow(_("E-mail"), with_errors(self.email_edit, self.error_labels["buyer_email"]))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(6)
        layout.addWidget(title)
        layout.addLayout(form)

        self._widgets: dict[str, QWidget] = {
            "buyer_name": self.name_edit,
            "buyer_id_type": self.id_type_combo,
            "buyer_tax_id": self.tax_id_edit,
            "buyer_address": self.address_edit,
            "buyer_email": self.email_edit,
            "kind": self.kind_combo,
        }
        for field in ("buyer_name", "buyer_tax_id", "buyer_address", "buyer_email"):
            edit = self._widgets[field]
            assert isinstance(edit, QLineEdit)
            edit.textEdited.connect(lambda _t, f=field: self._on_field_edited(f))
        self.id_type_combo.currentIndexChanged.connect(lambda _i: self._on_id_type_changed())
        self.kind_combo.currentIndexChanged.connect(lambda _i: self._on_kind_changed())

    # -- values ------------------------------------------------------------------------------

    def set_invoice(self, invoice: InvoiceDTO) -> None:
        self._filling = True
        self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(invoice.kind), 0))
        self.name_edit.setText(invoice.buyer_name)
        index = self.id_type_combo.findData(invoice.buyer_id_type)
        if index < 0 and invoice.buyer_id_type:
            self.id_type_combo.addItem(invoice.buyer_id_type_label, invoice.buyer_id_type)
            index = self.id_type_combo.count() - 1
        self.id_type_combo.setCurrentIndex(max(index, 0))
        self.tax_id_edit.setText(invoice.buyer_tax_id)
        self.address_edit.setText(invoice.buyer_address)
        self.email_edit.setText(invoice.buyer_email)
        identity = " ".join(
            part for part in (invoice.buyer_id_type_label, invoice.buyer_tax_id) if part
        )
        self.identity_label.setText(identity if invoice.buyer_tax_id else "—")
        self._filling = False
        self._update_identity()

    def values(self) -> dict[str, str]:
        return {
            "buyer_name": self.name_edit.text().strip(),
            "buyer_id_type": self.id_type(),
            "buyer_tax_id": self.tax_id_edit.text().strip(),
            "buyer_address": self.address_edit.text().strip(),
            "buyer_email": self.email_edit.text().strip(),
        }

    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    def id_type(self) -> str:
        return str(self.id_type_combo.currentData() or "")

    def set_id_type(self, id_type: str) -> None:
        self.id_type_combo.setCurrentIndex(max(self.id_type_combo.findData(id_type), 0))

    def set_read_only(self, read_only: bool) -> None:
        # An issued buyer reads as text, not as boxes inviting a change.
        flat = "QLineEdit { background: transparent; border: none; padding-left: 0; }"
        for edit in (self.name_edit, self.tax_id_edit, self.address_edit, self.email_edit):
            edit.setReadOnly(read_only)
            edit.setStyleSheet(flat if read_only else "")
            if read_only:
                edit.setPlaceholderText("—")
            else:
                edit.setPlaceholderText(self._placeholders.get(edit.objectName(), ""))
        for combo in (self.id_type_combo, self.kind_combo):
            combo.setEnabled(not read_only)
        self.id_type_combo.setVisible(not read_only)
        self.tax_id_edit.setVisible(not read_only)
        self.identity_label.setVisible(read_only)
        if read_only:
            self.hint.hide()
        else:
            self._update_identity()

    def register_errors(self, errors: FormErrors) -> None:
        for field, label in self.error_labels.items():
            errors.add(field, label, self._widgets[field])

    def clear_error(self, *fields: str) -> None:
        """Takes a field's refusal away once the user changes it."""
        for field in fields:
            self.error_labels[field].clear_message()
            mark_invalid(self._widgets[field], False)

    # -- reactions ---------------------------------------------------------------------------

    def _emit_changed(self) -> None:
        if not self._filling:
            self.changed.emit()

    def _on_field_edited(self, field: str) -> None:
        self.clear_error(field)
        if field == "buyer_tax_id" and self.tax_id_edit.text().strip() and not self.id_type():
            # A number typed with "None" chosen: the likeliest type; saving corrects it to
            # what the number turns out to be (a NIE, a CIF).
            combo = self.id_type_combo
            first = next((i for i in range(combo.count()) if combo.itemData(i)), 0)
            combo.blockSignals(True)
            combo.setCurrentIndex(first)
            combo.blockSignals(False)
        self._emit_changed()

    def _on_id_type_changed(self) -> None:
        if self._filling:
            return
        self.clear_error("buyer_id_type", "buyer_tax_id", "buyer_name")
        final = self.id_type() == BuyerIdType.CONSUMIDOR_FINAL
        if final:
            self._saved_identity = (self.name_edit.text(), self.tax_id_edit.text())
            self.tax_id_edit.setText(FINAL_CONSUMER_ID)
            self.name_edit.setText(FINAL_CONSUMER_NAME)
        elif self.tax_id_edit.text() == FINAL_CONSUMER_ID:
            name, number = self._saved_identity
            self.tax_id_edit.setText(number)
            self.name_edit.setText(name)
        self._update_identity()
        self.changed.emit()

    def _on_kind_changed(self) -> None:
        self._update_identity()
        self._emit_changed()

    def _update_identity(self) -> None:
        final = self.id_type() == BuyerIdType.CONSUMIDOR_FINAL
        self.tax_id_edit.setEnabled(not final)
        if final:
            self.hint.setText(
                _("Final consumer: allowed only on invoices up to {limit}.").format(
                    limit=money_text(EC_FINAL_CONSUMER_LIMIT, self.currency)
                )
            )
        elif self.country == "ES" and self.kind() == Kind.SIMPLIFIED:
            self.hint.setText(
                _("Simplified invoice: the buyer may be left out; at most {limit}.").format(
                    limit=money_text(ES_SIMPLIFIED_LIMIT, self.currency)
                )
            )
        self.hint.setVisible(final or (self.country == "ES" and self.kind() == Kind.SIMPLIFIED))
