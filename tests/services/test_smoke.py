from clinic_desktop.services.audit import verify_audit_chain
from clinic_desktop.services.auth import sign_in


def test_demo_sign_in_and_chain(demo, system):
    user = sign_in(demo.db.uow(), username="duena", password="clinica2026")
    assert "users.manage" in user.permissions
    result = verify_audit_chain(demo.db.uow(), actor=system)
    assert result.ok, result.reason
    assert result.checked > 5
