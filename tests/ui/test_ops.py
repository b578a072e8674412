"""The production runner really runs work on its own thread and delivers results and errors
on the GUI thread, with user-facing messages for our errors and an apology for bugs."""

from __future__ import annotations

import threading

from clinic_desktop.errors import ValidationError
from clinic_desktop.ui.ops import SameThreadRunner, ThreadRunner


def test_thread_runner_works_off_the_gui_thread_and_answers_on_it(qtbot):
    runner = ThreadRunner()
    gui = threading.get_ident()
    results: list[tuple[int, int, int]] = []
    try:
        for n in range(200):
            runner.run(
                lambda n=n: (n, threading.get_ident()),
                on_done=lambda r: results.append((r[0], r[1], threading.get_ident())),
            )
        qtbot.waitUntil(lambda: len(results) == 200, timeout=10_000)
    finally:
        runner.shutdown()
    assert [r[0] for r in results] == list(range(200))  # in order
    assert all(worker != gui and delivered == gui for _n, worker, delivered in results)


def test_errors_reach_on_error_as_text(qtbot, caplog):
    runner = ThreadRunner()
    errors: list[str] = []

    def bad_input() -> None:
        raise ValidationError("Full name: it is required.", field="full_name")

    def bug() -> None:
        raise ZeroDivisionError("boom")

    try:
        runner.run(bad_input, on_error=errors.append)
        runner.run(bug, on_error=errors.append)
        qtbot.waitUntil(lambda: len(errors) == 2, timeout=10_000)
    finally:
        runner.shutdown()
    assert errors[0] == "Full name: it is required."
    assert "nothing was changed" in errors[1] and "boom" not in errors[1]
    assert "ZeroDivisionError" in caplog.text  # the traceback went to the log


def test_same_thread_runner_calls_through():
    seen: list[int] = []
    SameThreadRunner().run(lambda: 41 + 1, on_done=seen.append)
    assert seen == [42]


def test_on_user_error_gets_our_errors_whole_and_bugs_still_go_to_on_error():
    fields: list[str | None] = []
    texts: list[str] = []

    def bad_input() -> None:
        raise ValidationError("E-mail: it must look like name@example.com.", field="email")

    def bug() -> None:
        raise KeyError("x")

    runner = SameThreadRunner()
    runner.run(bad_input, on_error=texts.append, on_user_error=lambda exc: fields.append(exc.field))
    runner.run(bug, on_error=texts.append, on_user_error=lambda exc: fields.append("no"))
    assert fields == ["email"]
    assert len(texts) == 1 and "nothing was changed" in texts[0]


def test_thread_runner_passes_user_errors_whole(qtbot):
    runner = ThreadRunner()
    got: list[ValidationError] = []

    def bad_input() -> None:
        raise ValidationError("Roles: choose at least one role.", field="roles")

    try:
        runner.run(bad_input, on_user_error=got.append)
        qtbot.waitUntil(lambda: len(got) == 1, timeout=10_000)
    finally:
        runner.shutdown()
    assert got[0].field == "roles"


def test_sizes_are_written_the_way_each_language_writes_numbers():
    from clinic_desktop.i18n import set_language
    from clinic_desktop.ui.widgets.screen_kit import format_size

    assert format_size(1536) == "1.5 KB"
    set_language("es")
    try:
        assert format_size(1536) == "1,5 KB"
        assert format_size(812) == "812 B"
    finally:
        set_language("en")
