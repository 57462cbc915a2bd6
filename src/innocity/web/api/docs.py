"""``/api/docs``: the OpenAPI document rendered as a page on the server (no Swagger UI from a CDN, nothing
inline for the CSP): every operation with its parameters, body and answers, and the schemas."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..templating import render

router = APIRouter(tags=["docs"])

METHODS = ("get", "post", "put", "patch", "delete")


def _ref_name(schema: dict[str, Any] | None) -> str:
    """A schema in a few words: ``PlanItem``, ``list[PlanItem]``, ``string``."""
    if not schema:
        return ""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(_ref_name(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list[{_ref_name(schema.get('items'))}]"
    return str(schema.get("type", "object"))


def operations(doc: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for path, item in doc.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if not op:
                continue
            body = op.get("requestBody", {}).get("content", {})
            body_desc = ", ".join(f"{ctype}: {_ref_name(c.get('schema'))}" for ctype, c in body.items())
            answers = []
            for code, resp in op.get("responses", {}).items():
                schema = resp.get("content", {}).get("application/json", {}).get("schema")
                answers.append({"code": code, "description": resp.get("description", ""),
                                "schema": _ref_name(schema)})
            out.append({
                "method": method.upper(), "path": path, "summary": op.get("summary", ""),
                "description": op.get("description", ""), "tags": op.get("tags", []),
                "parameters": [
                    {"name": p["name"], "in": p["in"], "required": p.get("required", False),
                     "schema": _ref_name(p.get("schema")), "description": p.get("description", "")}
                    for p in op.get("parameters", [])
                ],
                "body": body_desc, "responses": answers, "id": f"{method}-{path}",
            })
    return out


def schemas(doc: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for name, schema in sorted(doc.get("components", {}).get("schemas", {}).items()):
        required = set(schema.get("required", []))
        fields = [
            {"name": k, "type": _ref_name(v), "required": k in required, "description": v.get("description", "")}
            for k, v in schema.get("properties", {}).items()
        ]
        out.append({"name": name, "description": schema.get("description", ""), "fields": fields})
    return out


@router.get("/api/docs", response_class=HTMLResponse, include_in_schema=False)
def api_docs(request: Request) -> HTMLResponse:
    """The API reference, generated from ``/api/v1/openapi.json``."""
    doc = request.app.openapi()
    response = render(request, "api_docs.html", {
        "doc": doc, "operations": operations(doc), "schemas": schemas(doc),
    })
    assert isinstance(response, HTMLResponse)
    return response
