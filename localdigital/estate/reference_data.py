"""The estate's reference data: the functions a council system serves, from
data/functions.yaml. Runs after the service areas it refers to. Never deletes: systems refer to
functions."""

from pathlib import Path

from localdigital.core.reference_data import (
    LoadResult,
    Problem,
    ReferenceDataError,
    parse_keyed_yaml,
    register,
)
from localdigital.estate.models import Function
from localdigital.pipeline.models import ServiceArea

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "functions.yaml"


@register("estate-functions", description="What council systems do, for the estate.", order=50)
def load_functions(*, path: Path | None = None) -> LoadResult:
    """Create or update each function by key; a second run changes nothing."""
    path = path or DEFAULT_PATH
    meta, rows = parse_keyed_yaml(
        path,
        list_key="functions",
        required=("key", "name"),
        optional=("service_area",),
        max_lengths={"name": 120},
        noun="function",
    )
    areas = {area.key: area for area in ServiceArea.objects.all()}
    problems = [
        Problem(
            path.name,
            f"There is no service area {row['service_area']}: load the service areas first",
            row=row["row"],
            column="service_area",
        )
        for row in rows
        if row["service_area"] and row["service_area"] not in areas
    ]
    if problems:
        raise ReferenceDataError(problems)
    result = LoadResult(
        name="estate-functions",
        dataset_id=str(meta["id"]),
        version=str(meta["version"]),
        rows=len(rows),
    )
    existing = {function.key: function for function in Function.objects.all()}
    for row in rows:
        area = areas.get(row["service_area"]) if row["service_area"] else None
        values = {"name": row["name"], "service_area": area, "position": row["row"]}
        function = existing.get(row["key"])
        if function is None:
            function = Function(key=row["key"], **values)
            function.full_clean()
            function.save()
            result.created += 1
            continue
        changed = [name for name, value in values.items() if getattr(function, name) != value]
        if changed:
            for name in changed:
                setattr(function, name, values[name])
            function.full_clean()
            function.save(update_fields=changed)
            result.updated += 1
        else:
            result.unchanged += 1
    return result
