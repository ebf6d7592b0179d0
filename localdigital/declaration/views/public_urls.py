"""URL patterns for this group of Declaration pages (joined in localdigital/declaration/urls.py).

The public pages (the Declaration, its register, chart, map and downloads) and the programme
team's view.
"""

from django.urls import path

from localdigital.declaration.views import programme, public

urlpatterns: list = [
    path("", public.about, name="about"),
    path("signatories/", public.signatories, name="signatories"),
    path("signatories.csv", public.signatories_csv, name="signatories_csv"),
    path("signatories.json", public.signatories_json, name="signatories_json"),
    path("signatories/growth/", public.growth, name="growth"),
    path("signatories/map/", public.signatory_map, name="map"),
    path("programme/", programme.overview, name="programme"),
    path("programme/reminders/", programme.send_reminders, name="programme_reminders"),
]
