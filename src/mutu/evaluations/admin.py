from django.contrib import admin

from mutu.evaluations.models import EvaluationRun
from mutu.reference.admin_base import ReadOnlyAdmin


@admin.register(EvaluationRun)
class EvaluationRunAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "year", "data_hash", "mutu_version"]
    list_filter = ["year"]
