"""The online hall's account pages: register, log in and out, reset the password, the profile."""

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from approval_center.throttling import (
    LOGIN,
    REGISTRATION,
    VERIFICATION_CODE,
    limit,
    too_many_requests,
)
from catalog.models import ApplicantType
from catalog.roles import is_staff_member
from workflow.identifiers import mask_credit_code, mask_phone, mask_resident_id

from .access import applicant_required
from .account_forms import ApplicantLoginForm, CodeRequestForm, PasswordResetForm, RegistrationForm
from .accounts import (
    AccountError,
    applicant_register,
    password_reset,
    phone_taken,
    reset_code_send,
    verification_code_send,
)
from .models import ApplicantProfile, CodePurpose

KINDS = (ApplicantType.NATURAL, ApplicantType.LEGAL)
# Sending a code re-shows the form with what was typed, never the passwords.
_DROPPED_ON_SEND = ("password1", "password2", "csrfmiddlewaretoken", "send")


def _kept(request: HttpRequest) -> dict[str, str]:
    return {k: v for k, v in request.POST.items() if k not in _DROPPED_ON_SEND}


def _send_code(
    request: HttpRequest, *, purpose: str
) -> tuple[CodeRequestForm, HttpResponse | None]:
    """The "send code" button: validate the number, throttle, send. Returns the phone form
    (with its errors) and, when refused by the throttle, the 429 page."""
    phone_form = CodeRequestForm(request.POST)
    if not phone_form.is_valid():
        return phone_form, None
    phone = phone_form.cleaned_data["phone"]
    if purpose == CodePurpose.REGISTER and phone_taken(phone):
        phone_form.add_error(
            "phone",
            _("This phone number already has an account. Log in, or reset the password."),
        )
        return phone_form, None
    refusal = limit(VERIFICATION_CODE, request, account=phone)
    if refusal is not None:
        return phone_form, too_many_requests(request, refusal)
    if purpose == CodePurpose.REGISTER:
        verification_code_send(phone=phone, purpose=purpose)
        messages.success(
            request,
            _("A 6-digit code was sent to %(phone)s. It is valid for 10 minutes.")
            % {"phone": mask_phone(phone)},
        )
    else:
        reset_code_send(phone=phone)
        messages.success(
            request,
            _(
                "If an account logs in with %(phone)s, a 6-digit code was sent to it. It is "
                "valid for 10 minutes."
            )
            % {"phone": mask_phone(phone)},
        )
    return phone_form, None


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """Choose natural or legal person, then one form: phone, code, password, particulars."""
    kind = request.POST.get("kind") or request.GET.get("kind")
    if kind not in KINDS:
        return render(request, "portal/accounts/register_choose.html")
    form = RegistrationForm(kind=kind)
    code_form = None
    if request.method == "POST":
        if "send" in request.POST:
            code_form, refused = _send_code(request, purpose=CodePurpose.REGISTER)
            if refused:
                return refused
            form = RegistrationForm(kind=kind, initial=_kept(request))
        else:
            refusal = limit(REGISTRATION, request)
            if refusal is not None:
                return too_many_requests(request, refusal)
            form = RegistrationForm(request.POST, kind=kind)
            if form.is_valid():
                try:
                    user = applicant_register(
                        phone=form.cleaned_data["phone"],
                        code=form.cleaned_data["code"],
                        password=form.cleaned_data["password1"],
                        particulars=form.particulars(),
                    )
                except AccountError as error:
                    form.add_error("code", error.message)
                else:
                    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                    messages.success(
                        request, _("Your account is open. Welcome to the online hall.")
                    )
                    return redirect("portal-profile")
    bad = (code_form is not None and code_form.errors) or form.errors
    return render(
        request,
        "portal/accounts/register.html",
        {"form": form, "code_form": code_form, "kind": kind, "legal": kind == ApplicantType.LEGAL},
        status=400 if bad else 200,
    )


class LoginView(auth_views.LoginView):
    """The hall's log-in; staff who use it are sent on to the workbench."""

    template_name = "portal/accounts/login.html"
    authentication_form = ApplicantLoginForm

    def get_default_redirect_url(self):
        # An applicant comes back for their cases.
        return reverse("portal-mycases")

    def get_success_url(self):
        if is_staff_member(self.request.user):
            return reverse("staff-home")
        return super().get_success_url()

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


@require_http_methods(["GET", "POST"])
def password_reset_view(request: HttpRequest) -> HttpResponse:
    """A new password, confirmed by a code sent to the account's phone."""
    form = PasswordResetForm()
    code_form = None
    if request.method == "POST":
        if "send" in request.POST:
            code_form, refused = _send_code(request, purpose=CodePurpose.RESET)
            if refused:
                return refused
            form = PasswordResetForm(initial=_kept(request))
        else:
            refusal = limit(LOGIN, request)
            if refusal is not None:
                return too_many_requests(request, refusal)
            form = PasswordResetForm(request.POST)
            if form.is_valid():
                try:
                    password_reset(
                        phone=form.cleaned_data["phone"],
                        code=form.cleaned_data["code"],
                        password=form.cleaned_data["password1"],
                    )
                except AccountError as error:
                    form.add_error("code", error.message)
                else:
                    messages.success(request, _("Your password is changed. Log in with it."))
                    return redirect("portal-login")
    bad = (code_form is not None and code_form.errors) or form.errors
    return render(
        request,
        "portal/accounts/password_reset.html",
        {"form": form, "code_form": code_form},
        status=400 if bad else 200,
    )


def masked_numbers(applicant: ApplicantProfile) -> dict[str, str]:
    """The account's numbers as the profile shows them, partly hidden (blank when absent)."""
    return {
        "phone": mask_phone(applicant.phone),
        "id_number": mask_resident_id(applicant.id_number) if applicant.id_number else "",
        "credit_code": mask_credit_code(applicant.credit_code),
        "agent_id_number": (
            mask_resident_id(applicant.agent_id_number) if applicant.agent_id_number else ""
        ),
        "agent_phone": mask_phone(applicant.agent_phone) if applicant.agent_phone else "",
    }


@applicant_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """The account's particulars, numbers masked, and the change-password form."""
    applicant = request.applicant_profile
    form = PasswordChangeForm(request.user)
    if request.method == "POST":
        form = PasswordChangeForm(request.user, request.POST)
        if form.is_valid():
            user = form.save()
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password is changed."))
            return redirect("portal-profile")
    return render(
        request,
        "portal/accounts/profile.html",
        {"applicant": applicant, "masked": masked_numbers(applicant), "form": form},
        status=400 if form.errors else 200,
    )
