"""``/api/search/?q=``: the site search's one ranked list, as JSON (initiatives/search.py)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from ..search import PAGE_SIZE
from ..search_index import KINDS
from ..views.search import MAX_QUERY, read_query, run_search
from .contract import check_query

MAX_LIMIT = 50
# Something to search for: a character that is not a space, and no NUL anywhere.
QUERY = r"^[^\x00]*\S[^\x00]*$"


class SearchHitSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=sorted(KINDS), help_text="The kind of record.")
    slug = serializers.CharField()
    name = serializers.CharField()
    name_ko = serializers.CharField(allow_blank=True)
    url = serializers.CharField(help_text="The record's page.")
    date = serializers.CharField(
        allow_null=True, help_text="Its date at its precision: 2026, 2026-03 or 2026-03-15."
    )
    place = serializers.CharField(allow_blank=True, help_text="Its country.")
    place_ko = serializers.CharField(allow_blank=True)
    matched_alias = serializers.CharField(
        allow_blank=True, help_text="The other name that matched, when its name did not."
    )
    snippet = serializers.CharField(
        allow_blank=True, help_text="HTML: a line of its text, the matched words in <mark>."
    )
    score = serializers.FloatField(help_text="Higher is a better match.")


class SearchResultSerializer(serializers.Serializer):
    q = serializers.CharField()
    kind = serializers.CharField(allow_blank=True)
    count = serializers.IntegerField(help_text="Matches, counted up to 1,000.")
    count_capped = serializers.BooleanField(help_text="More than 1,000 match.")
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="Matches of each kind."
    )
    did_you_mean = serializers.CharField(
        allow_blank=True,
        help_text="When nothing matched: the closest name, whose matches are given.",
    )
    results = SearchHitSerializer(many=True)


class SearchProblemSerializer(serializers.Serializer):
    q = serializers.ListField(child=serializers.CharField(), help_text="What is wrong with it.")


def hit_data(hit) -> dict:
    entry = hit.entry
    return {
        "kind": entry.kind,
        "slug": hit.record.slug,
        "name": entry.name,
        "name_ko": entry.name_ko,
        "url": hit.record.get_absolute_url(),
        "date": hit.date.iso if hit.date else None,
        "place": entry.place,
        "place_ko": entry.place_ko,
        "matched_alias": hit.alias,
        "snippet": str(hit.snippet),
        "score": round(hit.score, 4),
    }


class SearchAPIView(APIView):
    """Every published record matching ``q``, best first across all kinds."""

    @extend_schema(
        operation_id="search",
        summary="Search every collection",
        description=(
            "Published records matching `q` (English or Korean; words in any order, "
            '"quotes" for a phrase), best first across all kinds, the same ranking as '
            "the search page. `kind` keeps one kind; `counts` gives the matches of each."
        ),
        parameters=[
            OpenApiParameter(
                "q",
                # Some words: not only spaces, no NUL, at most MAX_QUERY characters.
                {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": MAX_QUERY,
                    "pattern": QUERY,
                    "description": "Some words to search for, not only spaces.",
                },
                required=True,
                description="What to search for.",
            ),
            OpenApiParameter("kind", str, enum=sorted(KINDS), description="One kind only."),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
                description=f"At most {MAX_LIMIT} results.",
            ),
        ],
        responses={200: SearchResultSerializer, 400: SearchProblemSerializer},
    )
    def get(self, request):
        # What the document forbids is refused in its words, as on the collections.
        check_query(request)
        text, kind, problem = read_query(request.query_params)
        if not text:
            problem = "Give the words to search for in `q`."
        try:
            limit = min(MAX_LIMIT, max(1, int(request.query_params.get("limit", PAGE_SIZE))))
        except ValueError:
            problem = problem or "`limit` is a whole number."
            limit = PAGE_SIZE
        if problem:
            return Response({"q": [str(problem)]}, status=status.HTTP_400_BAD_REQUEST)
        results, problem = run_search(text[:MAX_QUERY], kind, limit)
        if problem:
            return Response({"q": [str(problem)]}, status=status.HTTP_400_BAD_REQUEST)
        hits = results.hits[:limit]
        return Response(
            {
                "q": text,
                "kind": kind,
                "count": results.total,
                "count_capped": results.capped,
                "counts": results.counts,
                "did_you_mean": results.suggestion,
                "results": [hit_data(hit) for hit in hits],
            }
        )
