"""The audit trail: who changed what and when (issue 12), as :class:`AuditEvent` rows.

A generic net over Django's ``pre_save``/``post_save``/``post_delete`` signals
on Mutu's own models (and Django's users and groups): every create, update
and delete through the ORM writes one ``AuditEvent`` with the model label,
the row's primary key and the *names* of the fields written, never their
values. The event joins the write's transaction, so a write rolled back
leaves no event behind.

Who acted comes from a request-scoped :class:`contextvars.ContextVar` that
:class:`AuditMiddleware` sets for each web request (the signed-in user and the
client address, read when the first write happens); outside a request (a
management command, a script) the actor is ``mutu <command>`` taken from the
command line, or what :func:`acting_as` names.

What is left out, on purpose:

- writes to the responses and answers of anonymous instruments (and their
  deletions): not even a bare row id, since an event next to the same
  request's other writes (the personal link marked submitted, say) would tie
  the answers to a person (UU 27/2022, and the promise made to respondents);
- bulk writes (``bulk_create``, ``QuerySet.update``/``delete``) send no signal;
  loads and purges write one summary event instead (``load``, ``purge``), and a
  submitted response one ``create`` event for the response with its answers and
  identity (:func:`mutu.instruments.services.response_submit`; none for an
  anonymous instrument, as above);
- the trails themselves (audit, login and export logs), the public-form rate
  counters, and a user's ``last_login`` stamp (the login trail has it).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save
from django.http import HttpRequest, HttpResponse

from mutu.accounts.models import AuditAction, AuditEvent

__all__ = [
    "AuditMiddleware",
    "acting_as",
    "audit_connect",
    "audit_record",
    "current_actor",
]

#: Models never audited row by row (the trails themselves and throw-away counters).
SKIPPED_MODELS = frozenset(
    {
        "accounts.AuditEvent",
        "accounts.LoginEvent",
        "imports.ExportLog",
        "instruments.PublicFormRate",
        "sessions.Session",
        "admin.LogEntry",
        "contenttypes.ContentType",
        "auth.Permission",
        "migrations.Migration",
    }
)
#: Django's own models audited besides Mutu's.
EXTRA_MODELS = frozenset({"auth.User", "auth.Group", "authtoken.Token"})
#: Models whose rows may belong to an anonymous instrument.
RESPONSE_MODELS = frozenset({"instruments.Response", "instruments.Answer"})


@dataclass(frozen=True)
class Actor:
    """Who is writing: a user (with the client address) or a named process."""

    name: str
    user_id: int | None = None
    client_ip: str | None = None


_request: ContextVar[HttpRequest | None] = ContextVar("mutu_audit_request", default=None)
_named: ContextVar[Actor | None] = ContextVar("mutu_audit_actor", default=None)


def _command_actor() -> Actor:
    """``mutu <command>`` when run from the ``mutu`` script or ``manage.py``; else the program."""
    argv = sys.argv or [""]
    program = Path(argv[0]).name
    if program in ("mutu", "manage.py", "django-admin", "__main__.py") and len(argv) > 1:
        return Actor(name=f"mutu {argv[1]}"[:150])
    return Actor(name=(program or "system")[:150])


def current_actor() -> Actor:
    """The actor of the writes happening now (see the module's docstring)."""
    named = _named.get()
    if named is not None:
        return named
    request = _request.get()
    if request is not None:
        from mutu.accounts.throttle import client_address

        user = getattr(request, "user", None)
        ip = client_address(request)
        if user is not None and user.is_authenticated:
            return Actor(name=user.get_username()[:150], user_id=int(user.pk), client_ip=ip)
        return Actor(name="anonymous", client_ip=ip)
    return _command_actor()


@contextlib.contextmanager
def acting_as(name: str, *, user_id: int | None = None) -> Iterator[Actor]:
    """Attribute the writes inside the block to ``name`` (a command, a scheduled job)."""
    actor = Actor(name=name[:150], user_id=user_id)
    token = _named.set(actor)
    try:
        yield actor
    finally:
        _named.reset(token)


class AuditMiddleware:
    """Make the request (its user and client address) the actor of the writes it causes.

    Must come after Django's ``AuthenticationMiddleware``; the user is read
    only when a write happens, so requests that write nothing cost nothing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def audit_record(
    *,
    action: str,
    model: str,
    object_pk: Any = "",
    fields: list[str] | None = None,
    note: str = "",
    anonymous: bool = False,
) -> AuditEvent:
    """Write one :class:`AuditEvent` for the current actor.

    ``anonymous`` drops the actor's user and address (the event names the
    process only).
    """
    actor = current_actor()
    return AuditEvent.objects.create(
        actor="anonymous" if anonymous else actor.name,
        user_id=None if anonymous else actor.user_id,
        client_ip=None if anonymous else actor.client_ip,
        action=action,
        model=model,
        object_pk="" if object_pk is None else str(object_pk)[:64],
        fields=sorted(fields or []),
        note=note[:300],
    )


# -- the signal net -------------------------------------------------------------------------


def _audited(sender: type[models.Model]) -> bool:
    label = sender._meta.label
    if label in SKIPPED_MODELS:
        return False
    return sender.__module__.startswith("mutu.") or label in EXTRA_MODELS


def _is_anonymous_response(instance: models.Model) -> bool:
    """True for a response, or an answer, to an anonymous instrument (and when unsure)."""
    from mutu.instruments.models import Answer, Instrument, Response

    if isinstance(instance, Answer):
        response_id = instance.response_id
    elif isinstance(instance, Response):
        response_id = instance.pk
        if instance.version_id is not None:
            return bool(
                Instrument.objects.filter(versions__pk=instance.version_id)
                .values_list("is_anonymous", flat=True)
                .first()
                in (True, None)
            )
    else:
        return False
    flag = (
        Instrument.objects.filter(versions__responses__pk=response_id)
        .values_list("is_anonymous", flat=True)
        .first()
    )
    return flag is not False  # unknown (already deleted) counts as anonymous


def _is_anonymous_link(instance: models.Model) -> bool:
    from mutu.instruments.models import Instrument

    attachment_id = getattr(instance, "attachment_id", None)
    if attachment_id is None:
        return True
    flag = (
        Instrument.objects.filter(versions__attachments__pk=attachment_id)
        .values_list("is_anonymous", flat=True)
        .first()
    )
    return flag is not False


def _concrete(instance: models.Model) -> list[models.Field[Any, Any]]:
    return [f for f in instance._meta.concrete_fields if not f.primary_key]


def _python(field: models.Field[Any, Any], instance: models.Model) -> Any:
    """The instance's value as the database would give it back (``"3"`` → ``3``)."""
    value = getattr(instance, field.attname)
    try:
        return field.to_python(value)
    except (ValidationError, TypeError, ValueError):
        return value


def on_pre_save(
    sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any
) -> None:
    """Note which fields an update changes (one read of the stored row)."""
    if raw or not _audited(sender) or instance._state.adding or instance.pk is None:
        return
    fields = _concrete(instance)
    update_fields = kwargs.get("update_fields")
    if update_fields is not None:
        names = set(update_fields)
        fields = [f for f in fields if f.name in names or f.attname in names]
    attnames = [f.attname for f in fields]
    stored = sender._base_manager.filter(pk=instance.pk).values(*attnames).first()
    if stored is None:
        changed = [f.name for f in fields]
    else:
        changed = [f.name for f in fields if stored[f.attname] != _python(f, instance)]
    instance._mutu_audit_changed = changed  # type: ignore[attr-defined]


def on_post_save(
    sender: type[models.Model],
    instance: models.Model,
    created: bool = False,
    raw: bool = False,
    **kwargs: Any,
) -> None:
    """One event per row created or changed."""
    if raw or not _audited(sender):
        return
    label = sender._meta.label
    if label in RESPONSE_MODELS and _is_anonymous_response(instance):
        return
    if not created and label == "instruments.InstrumentLink" and _is_anonymous_link(instance):
        return  # when an anonymous form's link changed would date the answers
    if created:
        fields = [
            f.name for f in _concrete(instance) if f.value_from_object(instance) not in (None, "")
        ]
    else:
        fields = list(
            getattr(instance, "_mutu_audit_changed", [f.name for f in _concrete(instance)])
        )
        if label == "auth.User" and set(fields) <= {"last_login"}:
            return  # every sign-in stamps it; the login trail has those
        if not fields:
            return  # saved without a change
    if label in RESPONSE_MODELS:
        fields = []  # which answers someone gave is content too: row ids only
    audit_record(
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        model=label,
        object_pk=instance.pk,
        fields=fields,
    )


def on_pre_delete_response(sender: type[models.Model], instance: models.Model, **_: Any) -> None:
    """Decide before the row goes whether a response or answer is anonymous."""
    if sender._meta.label in RESPONSE_MODELS:
        instance._mutu_audit_anonymous = _is_anonymous_response(instance)  # type: ignore[attr-defined]


def on_post_delete(sender: type[models.Model], instance: models.Model, **_: Any) -> None:
    """One event per row deleted (cascades included: Django sends them one by one)."""
    if not _audited(sender):
        return
    if sender._meta.label in RESPONSE_MODELS and getattr(instance, "_mutu_audit_anonymous", True):
        return
    audit_record(action=AuditAction.DELETE, model=sender._meta.label, object_pk=instance.pk)


def audit_connect() -> None:
    """Connect the net (called from :meth:`mutu.accounts.apps.AccountsConfig.ready`)."""
    from django.db.models.signals import pre_delete

    pre_save.connect(on_pre_save, dispatch_uid="mutu-audit-pre-save")
    post_save.connect(on_post_save, dispatch_uid="mutu-audit-post-save")
    pre_delete.connect(on_pre_delete_response, dispatch_uid="mutu-audit-pre-delete")
    post_delete.connect(on_post_delete, dispatch_uid="mutu-audit-post-delete")
