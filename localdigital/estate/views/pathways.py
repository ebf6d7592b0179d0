"""Estate pages: pathways. Routes are listed in `urlpatterns` and collected by estate/urls.py."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
