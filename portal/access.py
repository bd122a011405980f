"""Who may open the hall's pages under /my/: applicants signed in to the hall."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse

from catalog.roles import is_staff_member

from .models import ApplicantProfile


def applicant_profile(user) -> ApplicantProfile | None:
    """The applicant particulars of a signed-in user, or ``None`` (staff, old accounts)."""
    if not user.is_authenticated:
        return None
    try:
        return user.applicant_profile
    except ApplicantProfile.DoesNotExist:
        return None


def applicant_required(view):
    """Anonymous visitors go to the hall's log-in (settings.LOGIN_URL is the staff one); staff
    go to the workbench; an account without particulars is told so, in the hall's design."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("portal-login"))
        profile = applicant_profile(user)
        if profile is None:
            if is_staff_member(user):
                return redirect("staff-home")
            return render(request, "portal/accounts/no_profile.html", status=403)
        request.applicant_profile = profile
        return view(request, *args, **kwargs)

    return wrapper
