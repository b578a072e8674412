"""Invoice numbering on the settings screen: the owner gives a second computer its own
emission point, which then shows in the list; a code another computer holds is refused in the
box and changes nothing. Without settings.manage the box is not there."""

from __future__ import annotations

from pytestqt.qtbot import QtBot
from ui.screens_helpers import make_ctx

from clinic_desktop.services.invoice_numbering import list_emission_points
from clinic_desktop.services.startup import CreatedClinic
from clinic_desktop.ui.settings import SettingsPage
from clinic_desktop.ui.settings.emission_points_box import EmissionPointsBox


def _page(demo: CreatedClinic, qtbot: QtBot) -> SettingsPage:
    page = SettingsPage(make_ctx(demo, "duena"))
    qtbot.addWidget(page)
    page.refresh()
    return page


def _points(demo: CreatedClinic, box: EmissionPointsBox) -> list[tuple[str, str]]:
    ctx = box._ctx
    return [(p.code, p.workstation) for p in list_emission_points(ctx.uow(), actor=ctx.actor)]


def test_owner_assigns_a_point_and_a_taken_code_is_refused(
    demo: CreatedClinic, qtbot: QtBot
) -> None:
    page = _page(demo, qtbot)
    box = page.emission_box
    assert box is not None
    assert box.workstation_edit.text() == box._ctx.actor.workstation
    box.workstation_edit.setText("PC-CONSULTA-2")
    box.code_edit.setText("002")
    box.label_edit.setText("Consulta 2")
    box.assign()
    assert _points(demo, box) == [("002", "PC-CONSULTA-2")]
    assert box.model.rowCount() == 1
    assert "002" in box.banner.text_label.text()

    box.workstation_edit.setText("PC-OTRO")
    box.code_edit.setText("002")
    box.assign()
    assert box.banner.kind == "error"
    assert "PC-CONSULTA-2" in box.banner.text_label.text()
    assert _points(demo, box) == [("002", "PC-CONSULTA-2")]

    box.code_edit.setText("2")
    box.assign()
    assert "three digits" in box.banner.text_label.text()
    assert _points(demo, box) == [("002", "PC-CONSULTA-2")]


def test_without_settings_manage_there_is_no_box(demo: CreatedClinic, qtbot: QtBot) -> None:
    page = SettingsPage(make_ctx(demo, "recepcion"))
    qtbot.addWidget(page)
    assert page.emission_box is None
    assert page.findChild(EmissionPointsBox) is None
