"""The Pipeline's reference data: the council service areas items (and later systems and
catalogue assets) are filed under, from data/service_areas.yaml. Never deletes: items refer to
service areas."""

from pathlib import Path

from localdigital.core.reference_data import LoadResult, parse_keyed_yaml, register
from localdigital.pipeline.models import ServiceArea

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "service_areas.yaml"


@register("service-areas", description="Council service areas for the Pipeline.", order=40)
def load_service_areas(*, path: Path | None = None) -> LoadResult:
    """Create or update each service area by key; a second run changes nothing."""
    meta, rows = parse_keyed_yaml(
        path or DEFAULT_PATH,
        list_key="service_areas",
        required=("key", "name"),
        optional=("description",),
        max_lengths={"name": 120, "description": 300},
        noun="service area",
    )
    result = LoadResult(
        name="service-areas",
        dataset_id=str(meta["id"]),
        version=str(meta["version"]),
        rows=len(rows),
    )
    existing = {a.key: a for a in ServiceArea.objects.all()}
    for row in rows:
        values = {"name": row["name"], "description": row["description"], "position": row["row"]}
        area = existing.get(row["key"])
        if area is None:
            area = ServiceArea(key=row["key"], **values)
            area.full_clean()
            area.save()
            result.created += 1
            continue
        changed = [name for name, value in values.items() if getattr(area, name) != value]
        if changed:
            for name in changed:
                setattr(area, name, values[name])
            area.full_clean()
            area.save(update_fields=changed)
            result.updated += 1
        else:
            result.unchanged += 1
    return result
