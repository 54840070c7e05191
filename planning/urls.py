from django.urls import path

from .views.ical import ical_view

urlpatterns = [
    path("admin/planning/ical/<str:token>.ics", ical_view, name="planning_ical"),
]
