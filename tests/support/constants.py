"""Values shared by the test packages (importable as `support.constants`; `conftest` modules
are not importable by name once there are several)."""

from __future__ import annotations

from clinic_desktop.db.keys import KdfParams

# Cheap Argon2 parameters for recovery keys: production cost is measured in benchmarks.
FAST_KDF = KdfParams(time_cost=1, memory_kib=1024, parallelism=1)
OWNER_PASSWORD = "owner-pass-2026"
