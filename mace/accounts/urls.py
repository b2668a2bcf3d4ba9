from django.contrib.auth import views as auth_views
from django.urls import path

from mace.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/set-up/", views.two_factor_setup, name="two_factor_setup"),
    path("password/", views.ChangePasswordView.as_view(), name="password_change"),
    path("you/", views.account, name="account"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<uuid:public_id>/", views.user_edit, name="user_edit"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/new/", views.agency_edit, name="agency_create"),
    path("agencies/<uuid:public_id>/", views.agency_edit, name="agency_edit"),
    path("agencies/<uuid:public_id>/teams/new/", views.team_create, name="team_create"),
    path(
        "users/<uuid:public_id>/<slug:action>/",
        views.user_action,
        name="user_action",
    ),
]
