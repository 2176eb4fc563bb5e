"""``mutu token USERNAME [--rotate | --delete]``: the user's API token (created when missing)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = (
        "Show the REST API token of a user, creating it when missing; --rotate replaces it "
        "(the old one stops working at once), --delete removes it. See docs/api.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--rotate", action="store_true", help="Replace the token with a new one."
        )
        group.add_argument("--delete", action="store_true", help="Remove the token.")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        username = str(options["username"])
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Pengguna '{username}' tidak ada. / There is no user '{username}'.")
        if not user.is_active:
            raise CommandError(
                f"Akun '{username}' tidak aktif; token tidak dibuat. / "
                f"The account '{username}' is inactive; no token is made."
            )
        if options["delete"]:
            deleted, _ = Token.objects.filter(user=user).delete()
            self.stdout.write(
                "Token dihapus. / Token deleted." if deleted else "Tidak ada token. / No token."
            )
            return
        if options["rotate"]:
            Token.objects.filter(user=user).delete()
        token, _created = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
