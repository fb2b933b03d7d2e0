"""The peer's routes: the two measured operations and a hello-world for readiness."""
from django.urls import path

from . import views

urlpatterns = [
    path("healthz", views.healthz),
    path("inbox", views.inbox),
    path("api/leader-tasks/<int:task_id>/answer", views.answer),
]
