from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferenceConfig(AppConfig):
    name = "mutu.reference"
    verbose_name = _("Reference data")
    default_auto_field = "django.db.models.BigAutoField"
