"""Framework pages: every framework and its profiles, one version's tree, and target profiles
that programme staff define (a local-government CAF profile, for example)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from localdigital.core.access import is_programme_staff
from localdigital.frameworks import selectors, services
from localdigital.frameworks.access import (
    access_framework,
    access_framework_for_profile_staff,
    access_profile_for_staff,
)
from localdigital.frameworks.forms import ProfileForm

app_name = "frameworks"


def page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    forms_ = [value for value in context.values() if isinstance(value, BaseForm)]
    context.setdefault("has_errors", any(f.is_bound and f.errors for f in forms_))
    context.setdefault("is_staff", is_programme_staff(request.user))
    return render(request, f"frameworks/{template}", context)


@require_GET
def framework_list(request: HttpRequest) -> HttpResponse:
    frameworks = list(selectors.framework_list_with_profiles())
    return page(request, "list.html", {"frameworks": frameworks})


@require_GET
def framework_detail(request: HttpRequest, framework_id: str, version: str) -> HttpResponse:
    framework = access_framework(framework_id, version)
    profiles = list(selectors.framework_profiles(framework))
    return page(
        request,
        "detail.html",
        {
            "framework": framework,
            "tree": selectors.framework_tree(framework, indicators=True),
            "profiles": profiles,
            "targets": selectors.profile_targets_by_node(profiles),
        },
    )


def _save(request: HttpRequest, form: ProfileForm, save: Any) -> Any:
    """Call the service; show its errors on the form's fields. None when it refused."""
    try:
        return save(
            actor=request.user,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            targets=form.targets(),
        )
    except ValidationError as error:
        for key, problems in error.message_dict.items():
            field = key if key in form.fields else form.field_for(key)
            for problem in problems:
                form.add_error(field, problem)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def profile_create(request: HttpRequest, framework_id: str, version: str) -> HttpResponse:
    framework = access_framework_for_profile_staff(request.user, framework_id, version)
    tree = selectors.framework_tree(framework, indicators=False)
    # ?from=baseline starts the new profile with that profile's targets.
    start_from = None
    if request.GET.get("from"):
        start_from = (
            selectors.framework_profiles(framework).filter(profile_id=request.GET["from"]).first()
        )
    form = ProfileForm(
        request.POST if request.method == "POST" else None, tree=tree, start_from=start_from
    )
    if request.method == "POST" and form.is_valid():

        def save(**kwargs: Any) -> Any:
            return services.profile_create(framework=framework, **kwargs)

        profile = _save(request, form, save)
        if profile is not None:
            messages.success(request, f"The profile {profile.name} is saved.")
            return redirect(
                "frameworks:detail", framework_id=framework.framework_id, version=framework.version
            )
    return page(
        request,
        "profile_form.html",
        {"framework": framework, "form": form, "profile": None, "start_from": start_from},
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(
    request: HttpRequest, framework_id: str, version: str, profile_id: str
) -> HttpResponse:
    framework = access_framework_for_profile_staff(request.user, framework_id, version)
    profile = access_profile_for_staff(request.user, framework, profile_id)
    tree = selectors.framework_tree(framework, indicators=False)
    form = ProfileForm(
        request.POST if request.method == "POST" else None, tree=tree, profile=profile
    )
    if request.method == "POST" and form.is_valid():

        def save(**kwargs: Any) -> Any:
            return services.profile_update(profile=profile, **kwargs)

        if _save(request, form, save) is not None:
            messages.success(request, f"The profile {form.cleaned_data['name']} is saved.")
            return redirect(
                "frameworks:detail", framework_id=framework.framework_id, version=framework.version
            )
    return page(
        request,
        "profile_form.html",
        {"framework": framework, "form": form, "profile": profile, "start_from": None},
    )


VERSION = "<str:framework_id>/<str:version>/"

urlpatterns = [
    path("", framework_list, name="list"),
    path(VERSION, framework_detail, name="detail"),
    path(VERSION + "profiles/new/", profile_create, name="profile-create"),
    path(VERSION + "profiles/<slug:profile_id>/edit/", profile_edit, name="profile-edit"),
]
