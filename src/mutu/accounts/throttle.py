"""Login throttling and lockout, and the audit trail of sign-ins.

After ``MUTU_LOGIN_MAX_FAILURES`` failed sign-ins for one user name from one
client address within ``MUTU_LOGIN_WINDOW_MINUTES`` (and since the last
successful one), that user name is refused from that address for
``MUTU_LOGIN_LOCKOUT_MINUTES`` after the last failure, with a message that
says so; even the right password is refused meanwhile. The count is read from
:class:`~mutu.accounts.models.LoginEvent` rows in the database, so it holds
across all server processes (gunicorn workers) and restarts.

Every sign-in path goes through :class:`ThrottledModelBackend` (the sign-in
page, the Django admin, the API's session and any ``authenticate()`` call);
the sign-in forms check first so the person reads why. Two attempts racing
in parallel may both pass the check: the limit is approximate by one or two
attempts, never by a thousand.

Each sign-in, failure, refusal and sign-out is recorded as a ``LoginEvent``
(user name as given, user, client address, browser) by the signal handlers
connected in :meth:`mutu.accounts.apps.AccountsConfig.ready`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from asgiref.sync import sync_to_async
from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_ipv46_address
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language

from mutu.accounts.models import LoginEvent, LoginOutcome
from mutu.domain.errors import MutuValueError

__all__ = [
    "LoginForm",
    "ThrottledAdminLoginForm",
    "ThrottledModelBackend",
    "client_address",
    "lockout_error",
    "lockout_until",
    "login_event_record",
]

#: Set on a request whose sign-in the backend refused because of a lockout.
_LOCKED_FLAG = "_mutu_login_locked"


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def username_key(username: str) -> str:
    """The user name as the throttle counts it: trimmed and lower-cased (``Siti`` = ``siti``)."""
    return str(username or "").strip().lower()[:150]


def client_address(request: HttpRequest | None) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or behind a proxy on the same machine the last
    ``X-Forwarded-For`` entry (the one that proxy appended; earlier ones are the client's to
    invent). Same rule as the SKM rate limit (``mutu.instruments.views.client_ip``).
    ``None`` when there is no valid address (a request built in a test or a script).
    """
    if request is None:
        return None
    meta = getattr(request, "META", {}) or {}
    remote = str(meta.get("REMOTE_ADDR") or "")
    forwarded = str(meta.get("HTTP_X_FORWARDED_FOR") or "")
    if forwarded and (remote.startswith("127.") or remote == "::1"):
        remote = forwarded.split(",")[-1].strip() or remote
    try:
        validate_ipv46_address(remote)
    except ValidationError:
        return None
    return remote


def lockout_until(
    username: str, address: str | None, *, now: dt.datetime | None = None
) -> dt.datetime | None:
    """Until when ``username`` is locked out from ``address``; ``None`` when it is not."""
    now = now or timezone.now()
    key = username_key(username)
    limit = _setting("MUTU_LOGIN_MAX_FAILURES", 5)
    if not key or limit <= 0:
        return None
    mine = LoginEvent.objects.filter(username=key, client_ip=address)
    since = now - dt.timedelta(minutes=_setting("MUTU_LOGIN_WINDOW_MINUTES", 15))
    last_success = (
        mine.filter(outcome=LoginOutcome.SUCCEEDED, at__gte=since)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    failures = mine.filter(outcome=LoginOutcome.FAILED, at__gte=last_success or since)
    times = list(failures.order_by("-at").values_list("at", flat=True)[:limit])
    if len(times) < limit:
        return None
    until = times[0] + dt.timedelta(minutes=_setting("MUTU_LOGIN_LOCKOUT_MINUTES", 15))
    return until if until > now else None


def login_event_record(
    *,
    outcome: str,
    username: str,
    request: HttpRequest | None,
    user: AbstractBaseUser | None = None,
) -> LoginEvent:
    """Write one :class:`LoginEvent` (the audit trail and the throttle's count)."""
    agent = ""
    if request is not None:
        agent = str((getattr(request, "META", {}) or {}).get("HTTP_USER_AGENT") or "")[:300]
    return LoginEvent.objects.create(
        outcome=outcome,
        username=username_key(username),
        user_id=user.pk if user is not None else None,
        client_ip=client_address(request),
        user_agent=agent,
    )


def lockout_error(until: dt.datetime, now: dt.datetime | None = None) -> MutuValueError:
    """The refusal a locked-out person reads, in Indonesian and English."""
    seconds = (until - (now or timezone.now())).total_seconds()
    minutes = max(1, int(-(-seconds // 60)))
    return MutuValueError(
        "Terlalu banyak percobaan masuk yang gagal dengan nama pengguna ini dari perangkat ini. "
        f"Masuk diblokir {minutes} menit lagi; hubungi administrator bila Anda lupa kata sandi.",
        "Too many failed sign-ins with this user name from this device. Sign-in is blocked "
        f"for {minutes} more minute{'s' if minutes != 1 else ''}; ask an administrator if you "
        "have forgotten your password.",
        field="username",
    )


class ThrottledModelBackend(ModelBackend):
    """Django's user-name-and-password backend that refuses a locked-out user name.

    The refusal raises ``PermissionDenied``, which ends ``authenticate()`` for
    every backend; the failed-login signal then records it as ``locked``
    rather than as one more failure (a locked-out person does not extend their
    own lockout by trying again).
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None:
            username = kwargs.get(self._username_field(), "")
        if request is not None and lockout_until(username or "", client_address(request)):
            setattr(request, _LOCKED_FLAG, True)
            raise PermissionDenied
        return super().authenticate(request, username=username, password=password, **kwargs)

    async def aauthenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        # Django's async version does not call authenticate(); route it through the check.
        return await sync_to_async(self.authenticate)(request, username, password, **kwargs)

    @staticmethod
    def _username_field() -> str:
        from django.contrib.auth import get_user_model

        return str(get_user_model().USERNAME_FIELD)


class _LockoutMixin:
    """Check the lockout before the password, so the person reads why they are refused."""

    request: HttpRequest | None
    locked_message: str = ""

    def _refuse_if_locked(self, username: str | None) -> None:
        if not username or self.request is None:
            return
        now = timezone.now()
        until = lockout_until(username, client_address(self.request), now=now)
        if until is not None:
            login_event_record(outcome=LoginOutcome.LOCKED, username=username, request=self.request)
            self.locked_message = lockout_error(until, now).message(get_language() or "id")
            raise forms.ValidationError(self.locked_message, code="locked")


class LoginForm(_LockoutMixin, AuthenticationForm):
    """The sign-in page's form: Django's, with the lockout checked first."""

    def clean(self) -> dict[str, Any]:
        self._refuse_if_locked(self.cleaned_data.get("username"))
        return super().clean()


class ThrottledAdminLoginForm(_LockoutMixin, AdminAuthenticationForm):
    """The Django admin's sign-in form, with the same lockout."""

    def clean(self) -> dict[str, Any]:
        self._refuse_if_locked(self.cleaned_data.get("username"))
        return super().clean()


# -- signal handlers (connected in AccountsConfig.ready) ----------------------------------------


def on_logged_in(
    sender: Any, request: HttpRequest | None, user: AbstractBaseUser, **_: Any
) -> None:
    login_event_record(
        outcome=LoginOutcome.SUCCEEDED, username=user.get_username(), request=request, user=user
    )


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **_: Any
) -> None:
    from django.contrib.auth import get_user_model

    model = get_user_model()
    username = str(credentials.get(model.USERNAME_FIELD) or credentials.get("username") or "")
    locked = request is not None and getattr(request, _LOCKED_FLAG, False)
    login_event_record(
        outcome=LoginOutcome.LOCKED if locked else LoginOutcome.FAILED,
        username=username,
        request=request,
        user=model._default_manager.filter(**{model.USERNAME_FIELD: username}).first(),
    )


def on_logged_out(
    sender: Any, request: HttpRequest | None, user: AbstractBaseUser | None, **_: Any
) -> None:
    if user is not None and user.is_authenticated:
        login_event_record(
            outcome=LoginOutcome.SIGNED_OUT,
            username=user.get_username(),
            request=request,
            user=user,
        )
