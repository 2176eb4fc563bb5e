"""Admin for instruments, their versions and items, responses and answers.

Identities are never shown inside a response (that would undo the separation
that keeps answers apart from who gave them); they have their own read-only list.
"""

from __future__ import annotations

from django.contrib import admin

from mutu.instruments.models import (
    ActivityInstrument,
    Answer,
    Instrument,
    InstrumentLink,
    InstrumentVersion,
    Item,
    ItemOption,
    PublicFormRate,
    Response,
    ResponseIdentity,
    Scale,
)
from mutu.reference.admin_base import ModelAdmin, ReadOnlyAdmin, TabularInline


class InstrumentVersionInline(TabularInline):
    model = InstrumentVersion
    extra = 0


@admin.register(Instrument)
class InstrumentAdmin(ModelAdmin):
    list_display = ["code", "title_id", "kind", "is_anonymous"]
    list_filter = ["kind", "is_anonymous"]
    search_fields = ["code", "title_id", "title_en"]
    inlines = [InstrumentVersionInline]


class ItemInline(TabularInline):
    model = Item
    extra = 0
    fields = ["order", "code", "text_id", "item_type", "scale", "dimension", "is_reverse"]


@admin.register(InstrumentVersion)
class InstrumentVersionAdmin(ModelAdmin):
    list_display = ["instrument", "version", "published_at", "is_locked"]
    list_filter = ["is_locked", "instrument__kind"]
    search_fields = ["instrument__code", "instrument__title_id"]
    autocomplete_fields = ["instrument"]
    inlines = [ItemInline]


@admin.register(Scale)
class ScaleAdmin(ModelAdmin):
    list_display = ["name", "min_value", "max_value"]
    search_fields = ["name"]


class ItemOptionInline(TabularInline):
    model = ItemOption
    extra = 0


@admin.register(Item)
class ItemAdmin(ModelAdmin):
    list_display = ["code", "version", "order", "item_type", "dimension", "is_reverse"]
    list_filter = ["item_type", "is_reverse"]
    search_fields = ["code", "text_id", "text_en", "version__instrument__code"]
    autocomplete_fields = ["version", "scale"]
    inlines = [ItemOptionInline]


@admin.register(ItemOption)
class ItemOptionAdmin(ModelAdmin):
    list_display = ["code", "item", "text_id", "is_correct"]
    search_fields = ["code", "text_id", "item__code"]
    autocomplete_fields = ["item"]


class AnswerInline(TabularInline):
    model = Answer
    extra = 0
    autocomplete_fields = ["item", "option"]


@admin.register(Response)
class ResponseAdmin(ModelAdmin):
    list_display = [
        "token",
        "version",
        "respondent_role",
        "occasion",
        "activity",
        "unit",
        "submitted_at",
    ]
    list_filter = ["respondent_role", "occasion", "version__instrument"]
    search_fields = ["token", "version__instrument__code"]
    autocomplete_fields = ["version", "activity", "unit", "subject"]
    readonly_fields = ["token"]
    date_hierarchy = "submitted_at"
    inlines = [AnswerInline]


@admin.register(ResponseIdentity)
class ResponseIdentityAdmin(ReadOnlyAdmin):
    list_display = ["response", "employee"]
    search_fields = ["employee__nip", "employee__name", "response__token"]


@admin.register(Answer)
class AnswerAdmin(ModelAdmin):
    list_display = ["response", "item", "value", "option"]
    search_fields = ["item__code", "response__token"]
    autocomplete_fields = ["response", "item", "option"]


@admin.register(ActivityInstrument)
class ActivityInstrumentAdmin(ModelAdmin):
    list_display = ["activity", "version", "occasion", "opens_on", "closes_on"]
    list_filter = ["occasion", "version__instrument"]
    search_fields = ["activity__code", "activity__title", "version__instrument__code"]
    autocomplete_fields = ["version"]
    raw_id_fields = ["activity"]
    readonly_fields = ["created_at", "created_by"]


@admin.register(InstrumentLink)
class InstrumentLinkAdmin(ReadOnlyAdmin):
    """Who has answered; never the token, the draft answers or any response."""

    list_display = ["attachment", "respondent", "respondent_role", "is_submitted"]
    list_filter = ["respondent_role", "is_submitted"]
    search_fields = ["respondent__nip", "respondent__name", "attachment__activity__code"]
    exclude = ["nonce", "token_hash", "draft"]


@admin.register(PublicFormRate)
class PublicFormRateAdmin(ReadOnlyAdmin):
    list_display = ["window_start", "count"]
