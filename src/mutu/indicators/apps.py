from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "mutu.indicators"
    verbose_name = _("Service indicators")
    default_auto_field = "django.db.models.BigAutoField"
