"""Who may open the hall's pages under /my/: applicants signed in to the hall."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse

from catalog.roles import is_staff_member

from .models import ApplicantProfile

# The hall's own log-in (settings.LOGIN_URL is the staff one).
HALL_LOGIN_URL = "/login/"


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


def not_for_staff(staff_template: str):
    """Pages of the hall any signed-in account may use but staff: anonymous visitors log in at
    the hall's log-in first; a staff member gets ``staff_template``, a page in the hall's
    design that says the page is for applicants (never a bare 403)."""

    def decorator(view):
        @login_required(login_url=HALL_LOGIN_URL)
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if is_staff_member(request.user):
                return render(request, staff_template, status=403)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
