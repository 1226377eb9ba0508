"""Open311's two formats: a body as JSON (UTF-8, Thai as it is) or as XML built with
xml.etree.ElementTree (well-formed, UTF-8, a list's items named by the spec: services/service,
service_requests/request, errors/error, …), with the content types the spec's clients expect;
and the spec's error body, [{"code", "description"}] or <errors><error>…</error></errors>."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

from flask import Response

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"
ITEM_TAGS = {  # a list's element → the element of each item in it
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
}


def _scalar(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(parent: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, v in value.items():
            _fill(ET.SubElement(parent, key), v)
    elif isinstance(value, list):
        tag = ITEM_TAGS.get(parent.tag, "item")
        for v in value:
            _fill(ET.SubElement(parent, tag), v)
    else:
        parent.text = _scalar(value)


def xml_bytes(root: str, body: Any) -> bytes:
    """`body` (a list of items or an object) as the XML document <root>…</root>."""
    element = ET.Element(root)
    _fill(element, body)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="utf-8")


def answer(fmt: str, root: str, body: Any, status: int = 200) -> Response:
    """`body` in the format asked for (`root`: the XML document's element)."""
    if fmt == "xml":
        return Response(xml_bytes(root, body), status=status, content_type=XML_TYPE)
    return Response(json.dumps(body, ensure_ascii=False), status=status, content_type=JSON_TYPE)


def errors(fmt: str, status: int, description: str) -> Response:
    return answer(fmt, "errors", [{"code": status, "description": description}], status)


def fmt_of_path(path: str) -> str:
    """The format a path asks for (.xml, else JSON): for errors answered before a view ran."""
    return "xml" if path.endswith(".xml") else "json"
