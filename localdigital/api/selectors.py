"""Reads for the API's own pages: the OpenAPI document and a readable outline of it."""

from functools import lru_cache
from typing import Any

from drf_spectacular.generators import SchemaGenerator

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


@lru_cache(maxsize=1)
def openapi_schema() -> dict[str, Any]:
    """The OpenAPI 3 document for API v1, generated once per process."""
    return SchemaGenerator().get_schema(request=None, public=True)


def _resolve(schema: dict[str, Any], ref_or_schema: dict[str, Any]) -> dict[str, Any]:
    ref = ref_or_schema.get("$ref")
    if not ref:
        return ref_or_schema
    name = ref.rsplit("/", 1)[-1]
    return schema.get("components", {}).get("schemas", {}).get(name, {})


def _fields(schema: dict[str, Any], body: dict[str, Any] | None) -> list[dict[str, str]]:
    """Top-level fields of a JSON body schema, for a table."""
    if not body:
        return []
    resolved = _resolve(schema, body)
    if resolved.get("type") == "array":
        resolved = _resolve(schema, resolved.get("items", {}))
    # Paginated lists wrap the items in `results`.
    results = resolved.get("properties", {}).get("results")
    if results and results.get("type") == "array":
        resolved = _resolve(schema, results.get("items", {}))
    required = set(resolved.get("required", []))
    rows = []
    for name, prop in resolved.get("properties", {}).items():
        prop = _resolve(schema, prop) if "$ref" in prop else prop
        kind = prop.get("type") or ("object" if "properties" in prop else "")
        if prop.get("format"):
            kind = f"{kind} ({prop['format']})"
        if prop.get("enum"):
            kind = f"one of {', '.join(str(v) for v in prop['enum'] if v)}"
        rows.append(
            {
                "name": name,
                "type": kind or "value",
                "required": "Yes" if name in required else "No",
                "description": prop.get("description", ""),
                "read_only": "Yes" if prop.get("readOnly") else "No",
            }
        )
    return rows


def api_outline() -> list[dict[str, Any]]:
    """Every operation in the schema, grouped by tag, with its parameters and fields."""
    schema = openapi_schema()
    groups: dict[str, list[dict[str, Any]]] = {}
    for path, item in schema.get("paths", {}).items():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if not operation:
                continue
            json_body = (
                operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            )
            ok: dict[str, Any] = next(
                (
                    r
                    for code, r in operation.get("responses", {}).items()
                    if str(code).startswith("2")
                ),
                {},
            )
            response_body = ok.get("content", {}).get("application/json", {})
            entry = {
                "id": operation.get("operationId", f"{method}-{path}"),
                "method": method.upper(),
                "path": path,
                "summary": operation.get("summary") or operation.get("description", ""),
                "description": operation.get("description", ""),
                "auth": bool(operation.get("security")) and {} not in operation["security"],
                "parameters": [
                    {
                        "name": p["name"],
                        "in": p["in"],
                        "required": "Yes" if p.get("required") else "No",
                        "type": p.get("schema", {}).get("type", ""),
                        "description": p.get("description", ""),
                    }
                    for p in operation.get("parameters", [])
                ],
                "request_fields": _fields(schema, json_body.get("schema")),
                "response_fields": _fields(schema, response_body.get("schema")),
            }
            tag = (operation.get("tags") or ["other"])[0]
            groups.setdefault(tag, []).append(entry)
    return [{"tag": tag, "operations": ops} for tag, ops in sorted(groups.items())]
