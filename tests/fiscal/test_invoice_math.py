"""The one computation of an invoice's amounts: line nets and cents rounded half up, the
discount on the total allocated over the lines so the shares add up exactly, tax per rate on
the sum of that rate's bases, and total = lines - discount + tax to the cent, on awkward
amounts as well as on thousands of random invoices."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from clinic_desktop.fiscal.invoice_math import (
    LineInput,
    allocate,
    cents,
    compute_totals,
    line_net,
)

D = Decimal


def _line(
    qty: str, price: str, pct: str = "0", *, discount: str = "0", code: str = ""
) -> LineInput:
    return LineInput(D(qty), D(price), D(discount), code or f"T{pct}", D(pct))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.005", "0.01"),
        ("0.015", "0.02"),
        ("2.675", "2.68"),
        ("0.0049", "0.00"),
        ("-0.005", "-0.01"),
        ("1.994999", "1.99"),
    ],
)
def test_cents_round_half_up(value, expected) -> None:
    assert cents(D(value)) == D(expected)


def test_line_net_rounds_the_product_once() -> None:
    assert line_net(D(3), D("0.333"), D(0)) == D("1.00")  # 0.999
    assert line_net(D("2.5"), D("0.085"), D(0)) == D("0.21")  # 0.2125
    assert line_net(D(3), D("10.00"), D("1.00")) == D("29.00")


@pytest.mark.parametrize(
    ("amount", "weights", "expected"),
    [
        ("10.00", ["1", "1", "1"], ["3.34", "3.33", "3.33"]),
        ("0.02", ["1", "1", "1"], ["0.01", "0.01", "0.00"]),
        ("3.73", ["29.00", "45.50"], ["1.45", "2.28"]),
        ("1.00", ["0", "5"], ["0.00", "1.00"]),
        ("5.00", ["0", "0"], ["0.00", "0.00"]),
        ("0", ["1", "2"], ["0.00", "0.00"]),
    ],
)
def test_allocate_adds_up_exactly(amount, weights, expected) -> None:
    parts = allocate(D(amount), [D(w) for w in weights])
    assert parts == [D(e) for e in expected]
    if any(D(w) for w in weights):
        assert sum(parts, D(0)) == D(amount)


def test_allocate_adds_up_on_random_splits() -> None:
    rng = random.Random(11)
    for _ in range(2000):
        weights = [cents(D(rng.randint(0, 100000)) / 100) for _ in range(rng.randint(1, 12))]
        amount = cents(D(rng.randint(0, 50000)) / 100)
        parts = allocate(amount, weights)
        assert all(p >= 0 for p in parts)
        if sum(weights) > 0:
            assert sum(parts, D(0)) == amount
            # No share is off its exact proportion by a cent or more.
            for part, weight in zip(parts, weights, strict=True):
                assert abs(part - amount * weight / sum(weights)) < D("0.01")


def test_tax_is_computed_per_rate_on_the_sum_of_its_bases() -> None:
    # Three lines of 0.03 at 15 %: per line 0.0045 would round to 0.00 each; per rate 0.09 x
    # 15 % = 0.0135 -> 0.01.
    totals = compute_totals([_line("1", "0.03", "15")] * 3)
    assert [r.tax for r in totals.rates] == [D("0.01")]
    assert totals.total == D("0.10")


def test_awkward_amounts_reconcile_to_the_cent() -> None:
    lines = [
        _line("3", "0.333", "15"),  # 1.00
        _line("7", "1.4285", "0"),  # 9.9995 -> 10.00
        _line("1", "19.99", "15", discount="0.99"),  # 19.00
        _line("2", "12.345", "5"),  # 24.69
        LineInput(D(1), D("40"), D(0), "EC_EXENTO", D(0), exempt=True),
    ]
    totals = compute_totals(lines, D("7.5"))
    assert [a.net for a in totals.lines] == [
        D("1.00"),
        D("10.00"),
        D("19.00"),
        D("24.69"),
        D("40.00"),
    ]
    assert totals.subtotal == D("94.69")
    assert totals.discount == D("7.10")  # 7.10175
    assert sum((a.global_discount for a in totals.lines), D(0)) == totals.discount
    assert sum((a.base for a in totals.lines), D(0)) == totals.subtotal - totals.discount
    # Rates by percent, then code: the exempt row apart from the 0 % one.
    assert [(r.tax_code, r.exempt) for r in totals.rates] == [
        ("EC_EXENTO", True),
        ("T0", False),
        ("T5", False),
        ("T15", False),
    ]
    for rate in totals.rates:
        assert rate.tax == cents(rate.base * rate.tax_percent / 100)
    assert totals.tax == sum((r.tax for r in totals.rates), D(0))
    assert totals.total == totals.subtotal - totals.discount + totals.tax
    # By hand: 710 cents shared 7.498 / 74.98 / 142.47 / 185.13 / 299.93 -> 7 74 142 185 299
    # and the 3 cents left to the largest remainders (10.00, 40.00, 1.00).
    assert [a.global_discount for a in totals.lines] == [
        D("0.08"),
        D("0.75"),
        D("1.42"),
        D("1.85"),
        D("3.00"),
    ]
    assert [(r.base, r.tax) for r in totals.rates] == [
        (D("37.00"), 0),
        (D("9.25"), 0),
        (D("22.84"), D("1.14")),
        (D("18.50"), D("2.78")),
    ]
    assert totals.total == D("91.51")


def test_ecuador_rates_before_and_after_april_2024() -> None:
    from datetime import date

    from clinic_desktop.fiscal.tax_rates import rate_for

    before = rate_for("EC_IVA_15", date(2024, 3, 31))
    after = rate_for("EC_IVA_15", date(2024, 4, 1))
    lines_before = [LineInput(D(1), D("100.00"), D(0), "EC_IVA_15", before.percent)]
    lines_after = [LineInput(D(1), D("100.00"), D(0), "EC_IVA_15", after.percent)]
    assert compute_totals(lines_before).total == D("112.00")
    assert compute_totals(lines_after).total == D("115.00")


def test_a_full_discount_or_no_lines_totals_zero() -> None:
    assert compute_totals([]).total == 0
    totals = compute_totals([_line("2", "5", "15")], D(100))
    assert (totals.discount, totals.tax, totals.total) == (D("10.00"), 0, 0)


def test_random_invoices_always_reconcile() -> None:
    rng = random.Random(2024)
    for _ in range(1500):
        lines = [
            _line(
                str(D(rng.randint(1, 5000)) / 1000),
                str(D(rng.randint(0, 2_000_000)) / 10000),
                rng.choice(["0", "5", "12", "15", "21", "10", "4"]),
            )
            for _ in range(rng.randint(1, 10))
        ]
        percent = D(rng.randint(0, 10000)) / 100
        totals = compute_totals(lines, percent)
        assert totals.subtotal == sum((a.net for a in totals.lines), D(0))
        assert sum((a.global_discount for a in totals.lines), D(0)) == totals.discount
        assert sum((r.base for r in totals.rates), D(0)) == totals.subtotal - totals.discount
        assert totals.total == totals.subtotal - totals.discount + totals.tax
        assert all(a.base >= 0 for a in totals.lines)
        for value in (totals.subtotal, totals.discount, totals.tax, totals.total):
            assert value == cents(value)
