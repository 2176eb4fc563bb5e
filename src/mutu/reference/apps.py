from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "mutu.reference"
    default_auto_field = "django.db.models.BigAutoField"
