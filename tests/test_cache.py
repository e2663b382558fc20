"""Anonymous pages come from the cache until anything changes; staff never share it.

Every test runs twice: with the local-memory cache and with the Redis server production
uses (the suite's ``REDIS_URL``, else ``TEST_REDIS_URL``), under a key prefix of this
run's own, so that clearing it around each test deletes only this run's keys. Without
Redis the second run is skipped, except in CI (``REQUIRE_SERVICES``), where it fails.
"""

import os
import threading

import pytest
import redis
from django.contrib.auth import get_user_model
from django.core.cache import cache as django_cache
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from initiatives import cache
from initiatives.models import Agreement, CooperationArea, Council, Ministry, Program


@pytest.fixture
def portal_data(portal_data_for_module, db):
    """Loaded once for this module; what a test writes is rolled back after it."""


BELGIUM_MOU = "korea-belgium-sme-startup-mou-2026"
TEST_REDIS_URL = os.environ.get("REDIS_URL") or os.environ.get(
    "TEST_REDIS_URL", "redis://127.0.0.1:6379/15"
)
KEY_PREFIX = f"{os.environ.get('CACHE_KEY_PREFIX', 'test')}-{os.getpid()}-cache-tests"


@pytest.fixture(autouse=True, params=["local memory", "redis"])
def cache_backend(request, settings):
    if request.param == "redis":
        try:
            redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=2).ping()
        except redis.ConnectionError:
            if os.environ.get("REQUIRE_SERVICES"):
                raise
            pytest.skip(f"no Redis at {TEST_REDIS_URL}")
        backend = {"BACKEND": "portal.redis_cache.RedisCache", "LOCATION": TEST_REDIS_URL}
    else:
        backend = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    settings.CACHES = {"default": {**backend, "KEY_PREFIX": KEY_PREFIX}}
    django_cache.clear()
    yield request.param
    django_cache.clear()


@pytest.fixture
def agreements_url():
    return reverse("initiatives:agreement-list")


@pytest.fixture
def staff_client(client, db):
    user = get_user_model().objects.create_user("reviewer", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def cache_state(response) -> str:
    return response.get(cache.HIT_HEADER, "none")


def test_an_anonymous_get_is_served_from_the_cache_the_second_time(
    client, portal_data, agreements_url, django_assert_num_queries
):
    first = client.get(agreements_url)
    assert first.status_code == 200
    assert cache_state(first) == "miss"
    with django_assert_num_queries(0):
        second = client.get(agreements_url)
    assert cache_state(second) == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_a_save_in_between_makes_the_next_get_fresh(client, portal_data, agreements_url):
    client.get(agreements_url)
    agreement = Agreement.objects.get(slug=BELGIUM_MOU)
    agreement.name = "Renamed Belgian memorandum"
    agreement.save()
    response = client.get(agreements_url)
    assert "Renamed Belgian memorandum" in response.text
    # Rendered afresh with the counts of before the edit, refreshed after the response:
    # that page is not kept; the next, with current counts, is.
    assert cache_state(response) == "none"
    assert response[cache.STALE_HEADER] == "stale"
    assert cache_state(client.get(agreements_url)) == "miss"


def test_unpublishing_and_publishing_show_at_once(client, portal_data, agreements_url):
    agreement = Agreement.objects.get(slug=BELGIUM_MOU)
    assert agreement.name in client.get(agreements_url).text
    agreement.is_published = False
    agreement.save()
    assert agreement.name not in client.get(agreements_url).text
    agreement.is_published = True
    agreement.save()
    assert agreement.name in client.get(agreements_url).text


def test_changing_links_and_deleting_invalidate_too(portal_data):
    agreement = Agreement.objects.get(slug=BELGIUM_MOU)
    version = cache.data_version()
    agreement.cooperation_areas.add(CooperationArea.objects.create(slug="new", name="New"))
    assert cache.data_version() != version
    version = cache.data_version()
    CooperationArea.objects.get(slug="new").delete()
    assert cache.data_version() != version


def test_logged_in_staff_neither_get_nor_fill_the_cache(
    client, staff_client, portal_data, agreements_url
):
    from django.test import Client

    anonymous = Client()
    anonymous.get(agreements_url)  # now cached for the public
    staff_view = staff_client.get(agreements_url)
    assert staff_view.status_code == 200
    assert cache_state(staff_view) == "none"

    filtered = agreements_url + "?country=be"
    staff_client.get(filtered)
    assert cache_state(anonymous.get(filtered)) == "miss"


def test_query_strings_get_their_own_entries(client, portal_data, agreements_url):
    assert cache_state(client.get(agreements_url + "?country=be")) == "miss"
    assert cache_state(client.get(agreements_url + "?country=kr")) == "miss"
    assert cache_state(client.get(agreements_url + "?country=be")) == "hit"


def test_languages_get_their_own_entries(client, portal_data, agreements_url):
    assert cache_state(client.get(agreements_url, HTTP_ACCEPT_LANGUAGE="en")) == "miss"
    with translation.override("ko"):
        korean_url = reverse("initiatives:agreement-list")
    assert korean_url == "/ko/agreements/"
    korean = client.get(korean_url)
    assert cache_state(korean) == "miss"
    assert korean["Content-Language"] == "ko"
    assert cache_state(client.get(korean_url)) == "hit"


def test_a_prefixed_page_has_one_entry_whatever_the_browser_asks(
    client, portal_data, agreements_url
):
    """The prefix decides the language of /en/… and /ko/…: Accept-Language and the
    cookie change nothing there, so they make no entries of their own."""
    assert cache_state(client.get(agreements_url, HTTP_ACCEPT_LANGUAGE="en")) == "miss"
    asked_korean = client.get(agreements_url, HTTP_ACCEPT_LANGUAGE="ko")
    assert cache_state(asked_korean) == "hit"
    assert asked_korean["Content-Language"] == "en"
    assert "Accept-Language" not in asked_korean["Vary"]


def test_the_api_gets_an_entry_per_language_asked(client, portal_data):
    """The API has one address in every language; its labels follow Accept-Language
    or ?lang=, and each language is kept apart."""
    url = "/api/agreements/"
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert (cache_state(english), english["Content-Language"]) == ("miss", "en")
    korean = client.get(url, HTTP_ACCEPT_LANGUAGE="ko")
    assert (cache_state(korean), korean["Content-Language"]) == ("miss", "ko")
    assert "Accept-Language" in korean["Vary"]
    by_parameter = client.get(url, {"lang": "ko"}, HTTP_ACCEPT_LANGUAGE="en")
    assert (cache_state(by_parameter), by_parameter["Content-Language"]) == ("miss", "ko")
    assert cache_state(client.get(url, {"lang": "ko"}, HTTP_ACCEPT_LANGUAGE="en")) == "hit"
    assert cache_state(client.get(url, HTTP_ACCEPT_LANGUAGE="ko")) == "hit"


def test_formats_get_their_own_entries():
    factory = RequestFactory()
    html = factory.get("/api/agreements/", HTTP_ACCEPT="text/html")
    json = factory.get("/api/agreements/", HTTP_ACCEPT="application/json")
    assert cache.page_key(html) != cache.page_key(json)


def test_a_page_not_found_is_never_stored(client, portal_data):
    url = reverse("initiatives:agreement-detail", args=["no-such-agreement"])
    assert client.get(url).status_code == 404
    assert cache_state(client.get(url)) == "none"


def test_responses_that_set_cookies_or_answer_other_methods_are_not_stored(db):
    factory = RequestFactory()
    with_cookie = HttpResponse("hello")
    with_cookie.set_cookie("csrftoken", "secret")
    assert not cache.may_store(factory.get("/"), with_cookie)
    assert not cache.may_store(factory.post("/"), HttpResponse("hello"))
    private = HttpResponse("hello", headers={"Cache-Control": "private, max-age=0"})
    assert not cache.may_store(factory.get("/"), private)
    assert cache.may_store(factory.get("/"), HttpResponse("hello"))


def test_a_request_with_a_session_is_never_served_from_the_cache(
    staff_client, portal_data, agreements_url
):
    Client().get(agreements_url)
    assert cache_state(staff_client.get(agreements_url)) == "none"


def test_a_made_up_session_cookie_does_not_skip_the_cache(client, portal_data, agreements_url):
    client.get(agreements_url)
    client.cookies["sessionid"] = "anything"
    assert cache_state(client.get(agreements_url)) == "hit"


def test_parameters_in_another_order_share_one_entry(client, portal_data, agreements_url):
    client.get(agreements_url, {"kind": "mou", "country": ["be", "kr"]})
    again = client.get(f"{agreements_url}?country=kr&country=be&kind=mou")
    assert cache_state(again) == "hit"


def test_a_parameter_no_page_reads_is_redirected_away(client, portal_data, agreements_url):
    response = client.get(f"{agreements_url}?country=be&utm_source=x&_=123")
    assert response.status_code == 301
    assert response["Location"] == f"{agreements_url}?country=be"


def test_a_page_reporting_a_bad_filter_is_not_kept(client, portal_data, agreements_url):
    first = client.get(agreements_url, {"country": "zz"})
    assert "Unknown country code" in first.text
    assert cache_state(first) == "none"
    assert cache_state(client.get(agreements_url, {"country": "zz"})) == "none"


def test_setting_zero_seconds_turns_the_cache_off(client, portal_data, agreements_url, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(agreements_url)
    assert cache_state(client.get(agreements_url)) == "none"


def test_the_redis_backend_keeps_one_client_per_process(cache_backend):
    if cache_backend != "redis":
        pytest.skip("Redis only")
    backend = django_cache._cache
    assert backend.get_client("a") is backend.get_client("b", write=True)
    django_cache.set("portal:probe", {"kept": True})
    assert django_cache.get("portal:probe") == {"kept": True}


def facet_queries(client, url) -> list[str]:
    """The facet-count queries (GROUP BY) the page ran."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured.captured_queries if "GROUP BY" in q["sql"]]


def test_facet_counts_outlive_edits_to_tables_they_do_not_read(client, portal_data, agreements_url):
    assert facet_queries(client, agreements_url)
    assert facet_queries(client, agreements_url) == []  # the page itself came from the cache

    program = Program.objects.published().first()
    program.name = "A renamed programme"
    program.save()
    assert facet_queries(client, agreements_url) == []  # rendered afresh, counts kept


def belgium_count(response) -> int:
    """The agreements list's count for Belgium in its country facet (0: not listed)."""
    (country,) = [f for f in response.context["facets"] if f.param == "country"]
    return next((c.count for c in country.choices if c.value == "be"), 0)


def agreements_counted(response) -> int:
    """The dashboard's number of published agreements."""
    return next(
        item["count"]
        for item in response.context["counts"]
        if item["url_name"] == "initiatives:agreement-list"
    )


NOTE = "Some counts on this page are being brought up to date"


def test_after_an_edit_the_kept_counts_are_served_then_refreshed_after_the_response(
    client, portal_data, agreements_url
):
    before = client.get(agreements_url)
    assert NOTE not in before.text and belgium_count(before) >= 1
    agreement = Agreement.objects.get(slug=BELGIUM_MOU)
    agreement.is_published = False
    agreement.save()

    first = client.get(agreements_url)
    # The record leaves the list at once; the counts are those of before the edit, and
    # the page says they are being brought up to date.
    assert agreement.name not in first.text
    assert belgium_count(first) == belgium_count(before)
    assert NOTE in first.text and first[cache.STALE_HEADER] == "stale"
    assert "no-store" in first["Cache-Control"]

    # The refresh ran after that response (in the request's thread in the suite).
    second = client.get(agreements_url)
    assert belgium_count(second) == belgium_count(before) - 1
    assert NOTE not in second.text and cache.STALE_HEADER not in second


def test_an_edit_shows_in_the_counts_on_a_page_asking_them_for_the_first_time(
    client, portal_data, agreements_url
):
    client.get(agreements_url)
    belgian = Ministry.objects.get(slug="belgium-ministry-middle-classes-self-employed-smes")
    belgian.name = "Renamed Belgian ministry"
    belgian.save()
    # Counts never kept are computed by the request: nothing older to show.
    assert "Renamed Belgian ministry" in client.get(agreements_url + "?kind=mou").text


def test_a_figure_another_process_is_refreshing_is_not_refreshed_again(client, portal_data):
    counted = agreements_counted(client.get("/en/"))
    Agreement.objects.filter(slug=BELGIUM_MOU).update(is_published=False)
    cache.bump_everything()  # the update sends no signal
    # Another worker holds the dashboard's refresh.
    assert django_cache.add(cache.REFRESH_LOCK_KEY + "dashboard", "another worker", 60)

    assert agreements_counted(client.get("/en/")) == counted
    still = client.get("/en/")  # this request's refresh found the lock taken
    assert agreements_counted(still) == counted and still[cache.STALE_HEADER] == "stale"

    django_cache.delete(cache.REFRESH_LOCK_KEY + "dashboard")  # that worker gave up
    client.get("/en/")
    assert agreements_counted(client.get("/en/")) == counted - 1


def test_a_refresh_started_while_one_runs_leaves_the_figure_to_it(portal_data):
    computed = []

    def count():
        computed.append(1)
        # Another process sets out to refresh the same figure meanwhile.
        assert cache.refresh("probe", count, 60) is False
        return Agreement.objects.count()

    assert cache.refresh("probe", count, 60) is True
    assert computed == [1]
    assert django_cache.get(cache.REFRESH_LOCK_KEY + "probe") is None  # released
    # Current now: a refresh asked for later has nothing to do.
    assert cache.refresh("probe", count, 60) is False and computed == [1]


def test_a_figure_outdated_past_the_bound_is_computed_by_the_request(client, portal_data, settings):
    settings.KEPT_MAX_STALE_SECONDS = 60
    counted = agreements_counted(client.get("/en/"))
    Agreement.objects.filter(slug=BELGIUM_MOU).update(is_published=False)
    cache.bump_everything()
    # Refreshes after the response never get to run (another worker holds them).
    assert django_cache.add(cache.REFRESH_LOCK_KEY + "dashboard", "stuck worker", 60)
    assert agreements_counted(client.get("/en/")) == counted
    settings.KEPT_MAX_STALE_SECONDS = 0  # as if the edit were past the bound
    assert agreements_counted(client.get("/en/")) == counted - 1


def test_a_figure_outdated_since_a_change_the_cache_forgot_is_computed_by_the_request(
    client, portal_data
):
    counted = agreements_counted(client.get("/en/"))
    Agreement.objects.filter(slug=BELGIUM_MOU).update(is_published=False)
    cache.bump_everything()
    # When the change was made is no longer known (evicted, or older than the bound).
    django_cache.delete_many(
        [
            f"{cache.TABLE_CHANGED_AT_KEY}{table}:{version}"
            for table, version in cache.table_versions(cache.app_tables()).items()
        ]
    )
    response = client.get("/en/")
    assert agreements_counted(response) == counted - 1
    assert cache.STALE_HEADER not in response


def test_a_figure_computed_from_another_never_keeps_it_outdated(portal_data):
    """Inside a figure's computation an outdated figure it reads is computed afresh, or
    the outer one would be kept as current with old numbers in it."""
    count = Agreement.objects.published().count
    cache.kept_until_tables_change("inner", count, 60)
    Agreement.objects.filter(slug=BELGIUM_MOU).update(is_published=False)
    cache.bump_everything()
    cache.request_started_handler()
    try:
        outer = cache.kept_until_tables_change(
            "outer", lambda: cache.kept_until_tables_change("inner", count, 60), 60
        )
        assert outer == count() and not cache.figures_refreshing()
    finally:
        cache.request_finished_handler()


def test_the_refresh_runs_in_a_thread_of_its_own_after_the_response(settings, cache_backend):
    settings.KEPT_REFRESH_IN_BACKGROUND = True
    threads = []

    def compute():
        threads.append(threading.current_thread())
        return 42

    cache.refresh_after_response({"probe": (compute, 60)}, "en")
    for thread in threading.enumerate():
        if thread.name == "kept-refresh":
            thread.join(10)
    assert threads and threads[0] is not threading.main_thread()
    assert django_cache.get("probe")[1] == 42


def test_a_kept_figure_computed_during_an_edit_is_not_kept_past_it(portal_data):
    calls = []

    def count_with_an_edit_meanwhile():
        calls.append(1)
        n = Agreement.objects.count()
        if len(calls) == 1:  # another request saves while this one counts
            Agreement.objects.get(slug=BELGIUM_MOU).save()
        return n

    first = cache.kept_until_tables_change("probe", count_with_an_edit_meanwhile, 60)
    second = cache.kept_until_tables_change("probe", count_with_an_edit_meanwhile, 60)
    third = cache.kept_until_tables_change("probe", count_with_an_edit_meanwhile, 60)
    assert first == second == third == Agreement.objects.count()
    assert len(calls) == 2  # computed again once after the edit, then kept


def test_bulk_writers_end_every_kept_figure(portal_data):
    cache.kept_until_tables_change("probe", Agreement.objects.count, 60)
    versions, _value = django_cache.get("probe")
    cache.bump_everything()
    assert cache.table_versions(versions) != versions


def test_a_kept_figure_follows_links_changed_without_a_save(portal_data):
    """A link added from the other side (no save of the record) still ends the figure."""
    hosts = Council.host_ministries.through.objects.count
    assert cache.kept_until_tables_change("probe", hosts, 60) == hosts()
    council = Council.objects.first()
    ministry = Ministry.objects.exclude(councils=council).first()
    ministry.councils.add(council)
    assert cache.kept_until_tables_change("probe", hosts, 60) == hosts()
