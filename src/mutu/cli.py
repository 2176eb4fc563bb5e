"""The ``mutu`` command.

Every sub-command is a Django management command, so ``mutu migrate``,
``mutu rulebooks`` and ``mutu demo`` share one entry point and one settings
module (:mod:`mutu.config.settings`).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a ``mutu`` sub-command (``mutu help`` lists them)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutu.config.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else ["mutu", *argv])
    args[0] = "mutu"
    execute_from_command_line(args)
