"""URLs of the e-mail subscriptions to project progress (namespace ``monitoring``)."""

from django.urls import path

from . import subscription_views

urlpatterns = [
    path(
        "monitor/projekte/<id:pk>/abonnieren/",
        subscription_views.subscription_request,
        name="subscription_request",
    ),
    path(
        "monitor/abo/bestaetigen/<str:token>/",
        subscription_views.subscription_confirm,
        name="subscription_confirm",
    ),
    path(
        "monitor/abo/abbestellen/<str:token>/",
        subscription_views.subscription_unsubscribe,
        name="subscription_unsubscribe",
    ),
]
