from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "mutu.accounts"
    verbose_name = _("Accounts and roles")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Sign-ins, failures and sign-outs go to the audit trail; the admin's form is throttled.
        from django.contrib import admin
        from django.contrib.auth import signals

        from mutu.accounts import throttle

        signals.user_logged_in.connect(throttle.on_logged_in, dispatch_uid="mutu-login")
        signals.user_login_failed.connect(throttle.on_login_failed, dispatch_uid="mutu-failed")
        signals.user_logged_out.connect(throttle.on_logged_out, dispatch_uid="mutu-logout")
        admin.site.login_form = throttle.ThrottledAdminLoginForm
        # Every write through the ORM goes to the audit trail (mutu.accounts.audit).
        from mutu.accounts.audit import audit_connect

        audit_connect()
