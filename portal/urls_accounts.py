"""The online hall's accounts pages."""

from django.contrib.auth import views as auth_views
from django.urls import path

from approval_center.throttling import LOGIN, rate_limited

from . import account_views

urlpatterns = [
    path("register/", account_views.register, name="portal-register"),
    # Limited like the staff log-in, per address; django-axes locks a name out at an address.
    path("login/", rate_limited(LOGIN)(account_views.LoginView.as_view()), name="portal-login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="portal-home"), name="portal-logout"),
    path("password-reset/", account_views.password_reset_view, name="portal-password-reset"),
    path("my/profile/", account_views.profile, name="portal-profile"),
]
