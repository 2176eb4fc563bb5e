from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    """Evaluation runs: the database read into frames, the statistics, the stored results."""

    name = "mutu.evaluations"
    verbose_name = _("evaluations")
    default_auto_field = "django.db.models.BigAutoField"
