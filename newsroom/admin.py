"""The site-wide settings in the admin: the sign-in policy."""

from django.contrib import admin
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from newsroom.models import SignInPolicy


@admin.register(SignInPolicy)
class SignInPolicyAdmin(admin.ModelAdmin):
    """One switch, for superusers alone: whatever permissions anyone else is given."""

    fieldsets = [(_("Two-factor sign-in"), {"fields": ["two_factor_required"]})]

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.has_view_permission(request, obj)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context=None):
        # There is only one policy: go straight to it.
        return redirect("admin:newsroom_signinpolicy_change", SignInPolicy.load().pk)
