"""Cyber pages: readiness. Routes are listed in `urlpatterns` and collected by cyber/urls.py."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
