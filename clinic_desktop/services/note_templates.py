"""Note templates: text that pre-fills a new clinical note, clinic-wide (kept by those who may
sign notes) or a doctor's own. A template may ask questions with `[[question]]` prompts; the
note editor asks them when the template is applied and puts the answers in their place
(Open Dental's prompt-driven templates are the model). The pure helpers at the end re-export
the prompt rules so the UI never imports the models."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import NotFound, PermissionDenied, ValidationError
from clinic_desktop.events import ClinicalChanged
from clinic_desktop.i18n import _
from clinic_desktop.models.encounter import (
    SOAP_FIELDS,
    NoteTemplate,
    fill_prompts,
    template_prompts,
)
from clinic_desktop.models.permissions import Permission, Role
from clinic_desktop.models.user import UserRole
from clinic_desktop.services.access import permissions_of, require
from clinic_desktop.services.clinical_common import user_names
from clinic_desktop.services.concurrency import check_version
from clinic_desktop.services.encounter_rules import clean_text

NAME_LIMIT = 120


@dataclass(frozen=True)
class TemplateForm:
    name: str
    clinic_wide: bool = False
    chief_complaint: str = ""
    subjective: str = ""
    objective: str = ""
    assessment: str = ""
    plan: str = ""


@dataclass(frozen=True)
class TemplateDTO:
    id: uuid.UUID
    name: str
    clinic_wide: bool
    owner_id: uuid.UUID | None
    owner_name: str
    chief_complaint: str
    subjective: str
    objective: str
    assessment: str
    plan: str
    active: bool
    # Whether the actor who read it may change it (the UI enables the editor from this).
    editable: bool
    updated_at: datetime
    version: int

    def text(self, key: str) -> str:
        return str(getattr(self, key))

    def texts(self) -> dict[str, str]:
        return {key: self.text(key) for key in SOAP_FIELDS}

    @property
    def prompts(self) -> list[str]:
        return template_prompts(list(self.texts().values()))


def _is_clinic_owner(session: Session, actor: Actor) -> bool:
    if actor.is_system:
        return True
    found = session.scalar(
        select(UserRole.id).where(
            UserRole.user_id == actor.user_id, UserRole.role == Role.OWNER.value
        )
    )
    return found is not None


def _may_sign(session: Session, actor: Actor) -> bool:
    if actor.is_system:
        return True
    return actor.user_id is not None and Permission.CLINICAL_SIGN in permissions_of(
        session, actor.user_id
    )


def _visible(session: Session, actor: Actor, template: NoteTemplate) -> bool:
    return (
        template.owner_id is None
        or template.owner_id == actor.user_id
        or _is_clinic_owner(session, actor)
    )


def _editable(actor: Actor, template: NoteTemplate, may_sign: bool) -> bool:
    if template.owner_id is None:
        return may_sign
    return actor.is_system or template.owner_id == actor.user_id


def _to_dto(template: NoteTemplate, names: dict[uuid.UUID, str], editable: bool) -> TemplateDTO:
    return TemplateDTO(
        id=template.id,
        name=template.name,
        clinic_wide=template.owner_id is None,
        owner_id=template.owner_id,
        owner_name=names.get(template.owner_id, "") if template.owner_id else "",
        chief_complaint=template.chief_complaint,
        subjective=template.subjective,
        objective=template.objective,
        assessment=template.assessment,
        plan=template.plan,
        active=template.active,
        editable=editable,
        updated_at=template.updated_at,
        version=template.version,
    )


def _one_dto(session: Session, actor: Actor, template: NoteTemplate) -> TemplateDTO:
    names = user_names(session, [template.owner_id])
    return _to_dto(template, names, _editable(actor, template, _may_sign(session, actor)))


def _load(session: Session, actor: Actor, template_id: uuid.UUID) -> NoteTemplate:
    template = session.get(NoteTemplate, template_id)
    if template is None or template.is_deleted or not _visible(session, actor, template):
        raise NotFound(_("The template no longer exists."))
    return template


def usable_template(session: Session, actor: Actor, template_id: uuid.UUID) -> NoteTemplate:
    """A template the actor may apply to a new note: visible to them and active."""
    template = _load(session, actor, template_id)
    if not template.active:
        raise ValidationError(
            _("Template: “{name}” is deactivated; choose another.").format(name=template.name),
            field="template_id",
        )
    return template


def list_templates(
    uow: UnitOfWork, *, actor: Actor, include_inactive: bool = False
) -> list[TemplateDTO]:
    """The clinic-wide templates and the actor's own (the clinic's owner sees everyone's),
    by name."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.CLINICAL_READ)
        query = select(NoteTemplate).where(NoteTemplate.deleted_at.is_(None))
        if not _is_clinic_owner(session, actor):
            query = query.where(
                or_(NoteTemplate.owner_id.is_(None), NoteTemplate.owner_id == actor.user_id)
            )
        if not include_inactive:
            query = query.where(NoteTemplate.active.is_(True))
        templates = list(session.scalars(query))
        names = user_names(session, [t.owner_id for t in templates])
        may_sign = _may_sign(session, actor)
        dtos = [_to_dto(t, names, _editable(actor, t, may_sign)) for t in templates]
    return sorted(dtos, key=lambda t: (t.name.casefold(), t.clinic_wide))


def get_template(uow: UnitOfWork, *, actor: Actor, template_id: uuid.UUID) -> TemplateDTO:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.CLINICAL_READ)
        return _one_dto(session, actor, _load(session, actor, template_id))


def _check_may_edit(session: Session, actor: Actor, template: NoteTemplate) -> None:
    if template.owner_id is None:
        require(session, actor, Permission.CLINICAL_SIGN)
    elif not _editable(actor, template, False):
        raise PermissionDenied(
            _("This template belongs to another doctor; only they can change it.")
        )


def _clean_name(
    session: Session, name: str, *, viewer_id: uuid.UUID | None, own_id: uuid.UUID | None
) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("Name: it is required."), field="name")
    if len(name) > NAME_LIMIT:
        raise ValidationError(
            _("Name: at most {count} characters.").format(count=NAME_LIMIT), field="name"
        )
    query = select(NoteTemplate.id, NoteTemplate.name).where(
        NoteTemplate.deleted_at.is_(None),
        or_(NoteTemplate.owner_id.is_(None), NoteTemplate.owner_id == viewer_id),
    )
    if own_id is not None:
        query = query.where(NoteTemplate.id != own_id)
    # Compared in Python: SQLite's lower() leaves accented capitals alone ("Á").
    clash = next(
        (row[0] for row in session.execute(query) if row[1].casefold() == name.casefold()), None
    )
    if clash is not None:
        raise ValidationError(
            _("Name: another template is already called “{name}”.").format(name=name),
            field="name",
        )
    return name


def _clean_texts(form: TemplateForm) -> dict[str, str]:
    # The same rules as the note's fields, so any template fits the note it starts.
    texts = {key: clean_text(key, str(getattr(form, key))) for key in SOAP_FIELDS}
    if not any(texts.values()):
        raise ValidationError(
            _("Texts: fill in at least one field of the note."), field="chief_complaint"
        )
    return texts


def _announce(uow: UnitOfWork) -> None:
    uow.publish_after_commit(ClinicalChanged(patient_id="", what="templates"))


def save_template(
    uow: UnitOfWork,
    *,
    actor: Actor,
    template_id: uuid.UUID | None,
    expected_version: int | None,
    form: TemplateForm,
) -> TemplateDTO:
    """Creates (template_id None) or changes a template. Clinic-wide ones need clinical.sign;
    personal ones belong to whoever created them."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.CLINICAL_WRITE)
        if form.clinic_wide:
            require(session, actor, Permission.CLINICAL_SIGN)
        template: NoteTemplate | None = None
        if template_id is not None:
            template = _load(session, actor, template_id)
            _check_may_edit(session, actor, template)
            check_version(session, template, expected_version or 0)
        if form.clinic_wide:
            owner_id = None
        elif template is not None and template.owner_id is not None:
            owner_id = template.owner_id
        else:
            if actor.user_id is None:
                raise ValidationError(
                    _("A personal template needs a signed-in owner."), field="clinic_wide"
                )
            owner_id = actor.user_id
        # Unique among what its owner sees, or for a clinic-wide one what the actor sees.
        name = _clean_name(
            session,
            form.name,
            viewer_id=owner_id or actor.user_id,
            own_id=template.id if template else None,
        )
        texts = _clean_texts(form)
        if template is None:
            template = NoteTemplate(name=name, owner_id=owner_id, active=True, **texts)
            session.add(template)
        else:
            template.name = name
            template.owner_id = owner_id
            for key, text in texts.items():
                setattr(template, key, text)
        session.flush()
        dto = _one_dto(session, actor, template)
        _announce(uow)
    return dto


def set_template_active(
    uow: UnitOfWork, *, actor: Actor, template_id: uuid.UUID, active: bool
) -> TemplateDTO:
    """Deactivated templates are kept (notes name them) but no longer offered."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.CLINICAL_WRITE)
        template = _load(session, actor, template_id)
        _check_may_edit(session, actor, template)
        template.active = active
        session.flush()
        dto = _one_dto(session, actor, template)
        _announce(uow)
    return dto


def find_prompts(*texts: str) -> list[str]:
    """The distinct `[[question]]` prompts of some texts, in order of appearance."""
    return template_prompts(list(texts))


def fill_template(template: TemplateDTO, answers: dict[str, str]) -> dict[str, str]:
    """The template's five texts with the answered prompts replaced."""
    return {key: fill_prompts(text, answers) for key, text in template.texts().items()}
