from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("anmelden/", views.login_view, name="login"),
    path("anmelden/code/", views.login_code, name="login_code"),
    path("abmelden/", views.logout_view, name="logout"),
    path("verwaltung/benutzer/", views.user_list, name="user_list"),
    path("verwaltung/benutzer/neu/", views.user_create, name="user_create"),
    path("verwaltung/benutzer/<id:pk>/", views.user_edit, name="user_edit"),
    path("verwaltung/konto/", views.account, name="account"),
    path("verwaltung/konto/passwort/", views.password_change, name="password_change"),
    path("verwaltung/konto/zwei-faktor/", views.totp_setup, name="totp_setup"),
    path("verwaltung/konto/zwei-faktor/aus/", views.totp_remove, name="totp_remove"),
]
