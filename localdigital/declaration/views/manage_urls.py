"""URL patterns for this group of Declaration pages (joined in localdigital/declaration/urls.py)."""

urlpatterns: list = []
