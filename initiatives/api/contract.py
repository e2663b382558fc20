"""The API's contract: what the OpenAPI document says each query parameter may be, the
error bodies of every status an operation can answer, and the check that holds the
server to the document.

The document is the one statement of what a request may ask. The filters describe
themselves (django-filter and drf-spectacular), refined here with the bounds the
FilterSets enforce (patterns, lengths, how many values); every list request is then
checked against the very parameter schemas the document publishes, before any filter
runs. So a value the document forbids gets a 400 and one it allows is read: a well-formed
key that names no published record is a 404 (the record is not there), not a 400.
"""

import functools
import re
import threading

from django.utils.translation import gettext as _
from django_filters import OrderingFilter
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.views import SpectacularAPIView
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
from rest_framework import exceptions

from .. import filters

SLUG = r"[-a-zA-Z0-9_]+"
SLUG_LENGTH = 120  # the models' slug fields
COUNTRY_CODE = r"[A-Za-z]{2}"
# YYYY, YYYY-MM or YYYY-MM-DD between 1900 and 2100 (what dates.parse_partial_date reads),
# only real days: 29 February in leap years alone.
YEAR = r"(?:19[0-9]{2}|20[0-9]{2}|2100)"
LEAP_YEAR = r"(?:19(?:0[48]|[2468][048]|[13579][26])|20(?:0[048]|[2468][048]|[13579][26]))"
ISO_PARTIAL_DATE = (
    rf"^(?:{YEAR}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|1[0-9]|2[0-8]))?"
    r"|-(?:0[13-9]|1[0-2])-(?:29|30)|-(?:0[13578]|1[02])-31)?"
    rf"|{LEAP_YEAR}-02-29)$"
)
# Free text (q, a sector): no control characters, which no record's name holds.
TEXT = r"^[^\u0000-\u001f\u007f-\u009f]*$"
INTEGER = re.compile(r"-?[0-9]{1,1000}")
# drf-spectacular keeps state of its own while it writes a document: one at a time per
# process (gunicorn's threads would otherwise write two at once).
SCHEMA_LOCK = threading.Lock()


# Error bodies -------------------------------------------------------------------------


FIELD_ERRORS = {
    "type": "object",
    "description": "For each parameter that was wrong, what was wrong with it.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}, "minItems": 1},
    "minProperties": 1,
    "example": {"date_from": ["Enter a date as YYYY, YYYY-MM or YYYY-MM-DD."]},
}


def error_content(*schemas) -> dict:
    schema = schemas[0] if len(schemas) == 1 else {"oneOf": list(schemas)}
    return {"application/json": {"schema": schema}}


ERROR = {"$ref": "#/components/schemas/Error"}
FIELD_ERRORS_REF = {"$ref": "#/components/schemas/FieldErrors"}


def postprocess_schema(result, generator, request, public):
    """Adds to every operation the errors it can answer, with their bodies."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["FieldErrors"] = FIELD_ERRORS
    components["Error"] = {
        "type": "object",
        "description": "What went wrong, in a sentence.",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
        "additionalProperties": False,
    }
    for path, item in result.get("paths", {}).items():
        operation = item.get("get")
        if operation is None:
            continue
        responses = operation["responses"]
        for response in responses.values():
            response["description"] = response.get("description") or "The records asked for."
        is_list = not any(p["in"] == "path" for p in operation.get("parameters", []))
        if is_list:
            responses["400"] = {
                "description": "A parameter has a value the document does not allow.",
                "content": error_content(FIELD_ERRORS_REF),
            }
            responses["404"] = {
                "description": (
                    "A filter names a record that is not published (the body says which), "
                    "the page is past the last one, or the cursor is not one a page's "
                    "link gave for this sort."
                ),
                "content": error_content(FIELD_ERRORS_REF, ERROR),
            }
        else:
            responses["404"] = {
                "description": "No published record has this key.",
                "content": error_content(ERROR),
            }
        if path == "/api/countries/{code}/":
            responses["301"] = {
                "description": "The code in upper case moves for good to the lower-case one.",
                "headers": {
                    "Location": {
                        "description": "The lower-case address.",
                        "schema": {"type": "string"},
                    }
                },
            }
        responses["406"] = {
            "description": "The API answers JSON only (Accept: application/json).",
            "content": error_content(ERROR),
        }
    return result


# Query parameters: described, then enforced -------------------------------------------


def refine(parameter: dict, filter_) -> None:
    """The bounds a FilterSet enforces, stated in the parameter's schema."""
    schema = parameter["schema"]
    if isinstance(filter_, filters.PartialDateFilter):
        schema.update(type="string", pattern=ISO_PARTIAL_DATE)
        schema["description"] = "YYYY, YYYY-MM or YYYY-MM-DD, a year from 1900 to 2100."
        return
    if schema.get("type") == "array":
        item = schema["items"]
        schema["minItems"] = 1
        if isinstance(filter_, filters.LinkedFilter):
            code = filter_.extra.get("to_field_name") == "code"
            item.update(type="string", pattern=f"^{COUNTRY_CODE if code else SLUG}$")
            if not code:
                item["maxLength"] = SLUG_LENGTH
            schema["maxItems"] = filters.MAX_VALUES
        elif isinstance(filter_, filters.TextValuesFilter):
            item.update(type="string", minLength=1, maxLength=filters.MAX_TEXT, pattern=TEXT)
            schema["maxItems"] = filters.MAX_VALUES
        elif isinstance(filter_, filters.ChoicesFilter):
            schema["maxItems"] = filters.MAX_VALUES
        elif isinstance(filter_, OrderingFilter):
            # One ordering, as the lists offer (a tie is broken by name).
            schema["maxItems"] = 1
        return
    if schema.get("type") == "string":
        schema.update(minLength=1, pattern=TEXT)
        if max_length := filter_.extra.get("max_length"):
            schema["maxLength"] = max_length


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, where a key that names no published record is a 404
    with the filter's own message (``{"ministry": ["Unknown ministry: 'x'."]}``)."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            errors = filterset.form.errors.as_data()
            unknown_keys = all(
                isinstance(filterset.filters[name], filters.LinkedFilter)
                and all(error.code == "invalid_choice" for error in field_errors)
                for name, field_errors in errors.items()
            )
            detail = {name: [str(m) for m in filterset.form.errors[name]] for name in errors}
            if unknown_keys:
                raise exceptions.NotFound(detail)
            raise exceptions.ValidationError(detail)
        return filterset.qs


class FilterExtension(DjangoFilterExtension):
    """The document's parameters for ``FilterBackend``, with the bounds of ``refine``."""

    target_class = FilterBackend
    priority = 1

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
        parameters = super().get_schema_operation_parameters(auto_schema, *args, **kwargs)
        filterset = auto_schema.view.filterset_class
        for parameter in parameters:
            refine(parameter, filterset.base_filters[parameter["name"]])
        return parameters


@functools.cache
def query_parameters() -> dict[str, list[dict]]:
    """Each list path's query parameters, as the published document states them."""
    with SCHEMA_LOCK:
        document = SchemaGenerator().get_schema(request=None, public=True)
    return {
        path: [p for p in item["get"].get("parameters", []) if p["in"] == "query"]
        for path, item in document["paths"].items()
        if "get" in item
    }


def parameter_value(parameter: dict, values: list[str]):
    """The value the request gives ``parameter``, as its schema types it; None when a
    parameter that takes one value was given several times."""
    schema = parameter["schema"]
    if schema.get("type") == "array":
        if parameter.get("explode", True):
            return values
        return values[0].split(",") if len(values) == 1 else None
    if len(values) != 1:
        return None
    value = values[0]
    if schema.get("type") == "integer" and INTEGER.fullmatch(value):
        return int(value)
    return value


def query_errors(request) -> dict[str, list[str]]:
    """What is wrong with the request's query parameters, by the document's schemas."""
    errors = {}
    for parameter in query_parameters().get(request.path_info, []):
        name = parameter["name"]
        values = request.GET.getlist(name)
        if name not in request.GET:
            continue
        value = parameter_value(parameter, values)
        if value is None:
            errors[name] = [_("Give %(name)s once.") % {"name": name}]
            continue
        schema = parameter["schema"]
        error = best_match(schema_validator(schema).iter_errors(value))
        if error is not None:
            # A pattern says more in the words of its description than as a regex.
            reason = schema.get("description") if error.validator == "pattern" else None
            errors[name] = [
                _("Not a valid value: %(value)s (%(reason)s).")
                % {"value": ",".join(values)[:100], "reason": (reason or error.message)[:200]}
            ]
    return errors


_validators: dict[int, Draft202012Validator] = {}


def schema_validator(schema: dict) -> Draft202012Validator:
    # The documents' dicts live as long as query_parameters() keeps them.
    found = _validators.get(id(schema))
    if found is None:
        found = _validators[id(schema)] = Draft202012Validator(schema)
    return found


def check_query(request, filterset=None) -> None:
    """A 400 for what the document forbids, in the FilterSet's own words where it has
    some for the same parameter ("Enter a year between 1900 and 2100.")."""
    errors = query_errors(request)
    if not errors:
        return
    if filterset is not None and not filterset.is_valid():
        own = filterset.form.errors
        errors = {name: list(own[name]) if name in own else errors[name] for name in errors}
    raise exceptions.ValidationError(errors)


class SchemaView(SpectacularAPIView):
    """The document, written one at a time (``SCHEMA_LOCK``)."""

    def _get_schema_response(self, request):
        with SCHEMA_LOCK:
            return super()._get_schema_response(request)
