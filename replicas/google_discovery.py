"""Routing and request checks driven by the discovery documents shipped with google-api-python-client.

The Google fake uses this so every request our code sends is held to the same contract the real
API publishes: the method must exist at that path and HTTP verb, required parameters must be
present, query parameters must be known (and of the right type/enum), and every field of a JSON
body must exist in the method's request schema. A problem is a sentence naming what is wrong.
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import unquote

import googleapiclient

DOCUMENTS = Path(googleapiclient.__file__).resolve().parent / "discovery_cache" / "documents"


@dataclass(frozen=True)
class DiscoveryMethod:
    id: str  # "calendar.events.insert"
    http_method: str
    path: str  # the template, relative to the API's base path
    pattern: re.Pattern[str]
    literal_length: int  # longer literal paths win over templated ones
    parameters: dict[str, dict[str, Any]]
    request_schema: str | None
    scopes: tuple[str, ...]


def _path_pattern(template: str) -> tuple[re.Pattern[str], int]:
    regex, literal, position = "", 0, 0
    for match in re.finditer(r"\{(\+?)([A-Za-z0-9_.]+)\}", template):
        chunk = template[position:match.start()]
        regex += re.escape(chunk)
        literal += len(chunk)
        name = match.group(2).replace(".", "_")
        regex += f"(?P<{name}>.+)" if match.group(1) else f"(?P<{name}>[^/]+)"
        position = match.end()
    tail = template[position:]
    return re.compile(regex + re.escape(tail)), literal + len(tail)


def _walk(resources: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for resource in resources.values():
        yield from (resource.get("methods") or {}).values()
        yield from _walk(resource.get("resources") or {})


class DiscoveryApi:
    """One API's discovery document: find the method for a request, and list what is wrong with it."""

    def __init__(self, name: str, version: str) -> None:
        document = json.loads((DOCUMENTS / f"{name}.{version}.json").read_text(encoding="utf-8"))
        self.name = name
        self.schemas: dict[str, Any] = document.get("schemas") or {}
        self.global_parameters: dict[str, Any] = document.get("parameters") or {}
        methods = []
        for method in _walk(document.get("resources") or {}):
            pattern, literal = _path_pattern(method["path"])
            request = (method.get("request") or {}).get("$ref")
            methods.append(DiscoveryMethod(
                id=method["id"], http_method=method["httpMethod"], path=method["path"], pattern=pattern,
                literal_length=literal, parameters=method.get("parameters") or {}, request_schema=request,
                scopes=tuple(method.get("scopes") or ()),
            ))
        self.methods = sorted(methods, key=lambda m: -m.literal_length)

    def match(self, http_method: str, path: str) -> tuple[DiscoveryMethod, dict[str, str]] | None:
        """The method (and its decoded path parameters) for ``path`` relative to the base path."""
        for method in self.methods:
            if method.http_method != http_method:
                continue
            found = method.pattern.fullmatch(path)
            if found:
                return method, {k: unquote(v) for k, v in found.groupdict().items()}
        return None

    def path_exists(self, path: str) -> bool:
        return any(m.pattern.fullmatch(path) for m in self.methods)

    # -- checks ---------------------------------------------------------------------------------
    def check(self, method: DiscoveryMethod, path_params: dict[str, str], query: dict[str, list[str]],
              body: Any) -> list[str]:
        problems: list[str] = []
        for name, spec in method.parameters.items():
            if spec.get("location") == "path" and not path_params.get(name.replace(".", "_")):
                problems.append(f"{method.id}: path parameter {name} is missing")
            if spec.get("location") == "query" and spec.get("required") and not query.get(name):
                problems.append(f"{method.id}: required parameter {name} is missing")
        for name, values in query.items():
            spec = method.parameters.get(name) or self.global_parameters.get(name)
            if spec is None or spec.get("location") == "path":
                problems.append(f"{method.id}: unknown query parameter {name!r}")
                continue
            if len(values) > 1 and not spec.get("repeated"):
                problems.append(f"{method.id}: parameter {name} given {len(values)} times but is not repeated")
            for value in values:
                problems.extend(self._check_scalar(spec, value, f"{method.id}: parameter {name}"))
        if method.request_schema:
            if body is None:
                problems.append(f"{method.id}: a JSON body ({method.request_schema}) is required")
            else:
                problems.extend(self.check_value({"$ref": method.request_schema}, body, method.request_schema))
        elif body not in (None, b"", {}):
            problems.append(f"{method.id}: takes no request body")
        return problems

    def _check_scalar(self, spec: dict[str, Any], value: Any, where: str) -> list[str]:
        kind = spec.get("type")
        text = value if isinstance(value, str) else json.dumps(value)
        if spec.get("enum") and text not in spec["enum"]:
            return [f"{where} must be one of {', '.join(spec['enum'])}, got {text!r}"]
        if kind == "integer" and not re.fullmatch(r"-?\d+", text if isinstance(value, str) else str(value)):
            return [f"{where} must be an integer, got {text!r}"]
        if kind == "boolean" and str(value).lower() not in {"true", "false"}:
            return [f"{where} must be true or false, got {text!r}"]
        fmt = spec.get("format")
        if fmt == "date-time" and isinstance(value, str):
            try:
                datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                return [f"{where} must be an RFC 3339 date-time, got {value!r}"]
        if fmt == "date" and isinstance(value, str):
            try:
                date.fromisoformat(value)
            except ValueError:
                return [f"{where} must be a date YYYY-MM-DD, got {value!r}"]
        return []

    def check_value(self, schema: dict[str, Any], value: Any, where: str) -> list[str]:
        """Field names and basic types of a JSON value against a discovery schema."""
        if "$ref" in schema:
            schema = self.schemas[schema["$ref"]]
        kind = schema.get("type")
        if kind == "any" or value is None:
            return []
        if kind == "object" or "properties" in schema:
            if not isinstance(value, dict):
                return [f"{where} must be an object"]
            problems: list[str] = []
            properties = schema.get("properties") or {}
            extra = schema.get("additionalProperties")
            for key, item in value.items():
                if key in properties:
                    problems.extend(self.check_value(properties[key], item, f"{where}.{key}"))
                elif extra is not None:
                    problems.extend(self.check_value(extra, item, f"{where}.{key}"))
                else:
                    problems.append(f"unknown field {where}.{key}")
            return problems
        if kind == "array":
            if not isinstance(value, list):
                return [f"{where} must be an array"]
            items = schema.get("items") or {"type": "any"}
            return [p for index, item in enumerate(value) for p in self.check_value(items, item, f"{where}[{index}]")]
        if kind == "string":
            if not isinstance(value, str):
                return [f"{where} must be a string"]
            return self._check_scalar(schema, value, where)
        if kind == "integer":
            ok = (isinstance(value, int) and not isinstance(value, bool)) or (
                isinstance(value, str) and re.fullmatch(r"-?\d+", value))
            return [] if ok else [f"{where} must be an integer"]
        if kind == "number":
            return [] if isinstance(value, (int, float)) and not isinstance(value, bool) else [f"{where} must be a number"]
        if kind == "boolean":
            return [] if isinstance(value, bool) else [f"{where} must be true or false"]
        return []


@functools.lru_cache(maxsize=None)
def load_api(name: str, version: str) -> DiscoveryApi:
    """Parsed once per process: the documents are large and never change."""
    return DiscoveryApi(name, version)
