"""How the portal's own filters read in the OpenAPI schema: a repeatable value is an
array (``?country=be&country=fr``), a partial date a pattern-checked string."""

from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.plumbing import build_array_type, build_basic_type, build_parameter_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from ..filters import PartialDateFilter, ValuesFilter


class PortalFilterExtension(DjangoFilterExtension):
    priority = 1  # before drf-spectacular's own extension for the same backend

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        if isinstance(filter_field, ValuesFilter):
            schema = build_array_type(build_basic_type(OpenApiTypes.STR))
            description = f"{filter_field.label}; repeat the parameter for several values."
            style = {"explode": True, "style": "form"}
        elif isinstance(filter_field, PartialDateFilter):
            schema = {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}
            description = f"{filter_field.label}: YYYY, YYYY-MM or YYYY-MM-DD."
            style = {}
        else:
            return super().resolve_filter_field(
                auto_schema, model, filterset_class, field_name, filter_field
            )
        return [
            build_parameter_type(
                name=field_name,
                required=False,
                location=OpenApiParameter.QUERY,
                description=description,
                schema=schema,
                **style,
            )
        ]
