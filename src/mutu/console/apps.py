from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    """Home of the ``mutu`` sub-commands that belong to no single app."""

    name = "mutu.console"
    verbose_name = "Mutu console"
