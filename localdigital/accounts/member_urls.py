"""Routes under /organisations/<code>/members/ (the organisation admin's member pages)."""

urlpatterns: list = []
