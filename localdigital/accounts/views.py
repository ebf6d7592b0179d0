from django.http import HttpRequest, HttpResponse


def placeholder(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Not built yet", status=501)


def lockout_response(
    request: HttpRequest, credentials: dict | None = None, *a, **kw
) -> HttpResponse:
    return HttpResponse("Too many attempts", status=429)
