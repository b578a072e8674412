"""The billing area's screens: invoices, payments, cash close, expenses and finance reports."""
