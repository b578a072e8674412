"""Lets `python -m clinic_desktop` behave exactly like the `clinic-desktop` command."""

from clinic_desktop.cli import main

raise SystemExit(main())
