"""Admin for reference tables.  Golongan and the rulebook registry mirror the pure
core and the rulebook files, so they are read-only here; ``reference_data_load()``
keeps them in step."""

from __future__ import annotations

from django.contrib import admin

from mutu.reference.admin_base import ModelAdmin, ReadOnlyAdmin
from mutu.reference.models import (
    DevelopmentForm,
    Golongan,
    Kecamatan,
    LoadedWorld,
    RulebookVersion,
)


@admin.register(Kecamatan)
class KecamatanAdmin(ModelAdmin):
    list_display = ["code", "name", "kabupaten_code", "code_confirmed"]
    list_filter = ["kabupaten_code", "code_confirmed"]
    search_fields = ["code", "name"]


@admin.register(Golongan)
class GolonganAdmin(ReadOnlyAdmin):
    list_display = ["code", "kind", "rank", "pangkat"]
    list_filter = ["kind"]
    search_fields = ["code", "pangkat"]


@admin.register(DevelopmentForm)
class DevelopmentFormAdmin(ModelAdmin):
    list_display = ["code", "label_id", "label_en", "category", "siasn_type", "is_active"]
    list_filter = ["category", "is_active", "siasn_type"]
    search_fields = ["code", "label_id", "label_en"]


@admin.register(RulebookVersion)
class RulebookVersionAdmin(ReadOnlyAdmin):
    list_display = ["name", "version", "effective_from", "effective_until", "loaded_at"]
    list_filter = ["name"]
    search_fields = ["name", "version", "title_id", "title_en"]


@admin.register(LoadedWorld)
class LoadedWorldAdmin(ReadOnlyAdmin):
    list_display = ["scenario", "seed", "scale", "rows", "content_hash", "loaded_at"]
