"""Admin for instruments, their versions and items, responses and answers.

Identities are never shown inside a response (that would undo the separation
that keeps answers apart from who gave them); they have their own read-only list.

A locked version (published, or holding answers) is shown but never changed:
its items, their options and the scales they use are read-only here, as
:func:`mutu.instruments.services.item_add` refuses them in code. Answers
already given must keep meaning what they meant, and each process caches a
locked version's items (:func:`mutu.instruments.services.version_spec`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

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


def _locked(version: InstrumentVersion | None) -> bool:
    return version is not None and version.is_locked


class LockAware:
    """Refuses change and delete of an object that belongs to a locked version."""

    def version_of(self, obj: Any) -> InstrumentVersion | None:
        raise NotImplementedError

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and _locked(self.version_of(obj)):
            return False
        return super().has_change_permission(request, obj)  # type: ignore[misc, no-any-return]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and _locked(self.version_of(obj)):
            return False
        return super().has_delete_permission(request, obj)  # type: ignore[misc, no-any-return]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """For an inline ``obj`` is the parent: nothing is added under a locked one."""
        if obj is not None and _locked(self.version_of(obj)):
            return False
        return super().has_add_permission(request, obj)  # type: ignore[misc, no-any-return]


class InstrumentVersionInline(TabularInline):
    model = InstrumentVersion
    extra = 0


@admin.register(Instrument)
class InstrumentAdmin(ModelAdmin):
    list_display = ["code", "title_id", "kind", "is_anonymous"]
    list_filter = ["kind", "is_anonymous"]
    search_fields = ["code", "title_id", "title_en"]
    inlines = [InstrumentVersionInline]


class ItemInline(LockAware, TabularInline):
    model = Item

    def version_of(self, obj: Any) -> InstrumentVersion | None:
        return obj if isinstance(obj, InstrumentVersion) else obj.version

    extra = 0
    fields = ["order", "code", "text_id", "item_type", "scale", "dimension", "is_reverse"]


@admin.register(InstrumentVersion)
class InstrumentVersionAdmin(LockAware, ModelAdmin):
    list_display = ["instrument", "version", "published_at", "is_locked"]
    list_filter = ["is_locked", "instrument__kind"]
    search_fields = ["instrument__code", "instrument__title_id"]
    autocomplete_fields = ["instrument"]
    inlines = [ItemInline]

    def version_of(self, obj: Any) -> InstrumentVersion | None:
        return obj  # type: ignore[no-any-return]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return ModelAdmin.has_add_permission(self, request)


@admin.register(Scale)
class ScaleAdmin(ModelAdmin):
    list_display = ["name", "min_value", "max_value"]
    search_fields = ["name"]

    def _in_locked_use(self, obj: Any) -> bool:
        return obj is not None and Item.objects.filter(scale=obj, version__is_locked=True).exists()

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._in_locked_use(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._in_locked_use(obj) and super().has_delete_permission(request, obj)


class ItemOptionInline(LockAware, TabularInline):
    model = ItemOption
    extra = 0

    def version_of(self, obj: Any) -> InstrumentVersion | None:
        item = obj if isinstance(obj, Item) else obj.item
        return item.version


@admin.register(Item)
class ItemAdmin(LockAware, ModelAdmin):
    list_display = ["code", "version", "order", "item_type", "dimension", "is_reverse"]
    list_filter = ["item_type", "is_reverse"]
    search_fields = ["code", "text_id", "text_en", "version__instrument__code"]
    autocomplete_fields = ["version", "scale"]
    inlines = [ItemOptionInline]

    def version_of(self, obj: Any) -> InstrumentVersion | None:
        return obj.version  # type: ignore[no-any-return]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return ModelAdmin.has_add_permission(self, request)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        """A new item can only go into a version that is not locked."""
        if db_field.name == "version":
            kwargs["queryset"] = InstrumentVersion.objects.filter(is_locked=False)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ItemOption)
class ItemOptionAdmin(LockAware, ModelAdmin):
    list_display = ["code", "item", "text_id", "is_correct"]
    search_fields = ["code", "text_id", "item__code"]
    autocomplete_fields = ["item"]

    def version_of(self, obj: Any) -> InstrumentVersion | None:
        return obj.item.version  # type: ignore[no-any-return]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return ModelAdmin.has_add_permission(self, request)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        """A new option can only go to an item of a version that is not locked."""
        if db_field.name == "item":
            kwargs["queryset"] = Item.objects.filter(version__is_locked=False)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


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
