"""Routes under /cyber/. Each view module lists its own routes."""

from localdigital.cyber.views import (
    answers,
    benchmark,
    cycles,
    plan,
    readiness,
    roles,
    staff,
    workflow,
)

app_name = "cyber"

urlpatterns = [
    *staff.urlpatterns,
    *benchmark.urlpatterns,
    *roles.urlpatterns,
    *workflow.urlpatterns,
    *plan.urlpatterns,
    *readiness.urlpatterns,
    *answers.urlpatterns,
    *cycles.urlpatterns,
]
