"""An editor adds an MOU in a real browser; the public sees it only after a reviewer publishes.
One test starts from a pasted press release: the MOU, its new ministry and its new
signatory are started from the source's proposals, and go public together.

Drives Debian's Chromium (/usr/bin/chromium) with Playwright against pytest-django's
live_server. Never run `playwright install`: install Chromium with
`apt-get install -y chromium`. Run alone with `pytest -m browser`.
"""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from initiatives import models
from tests import factories as f

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MOU_NAME = "MOU on startup cooperation between Korea and Belgium"
QUOTE = "The two ministers signed an MOU on startup cooperation in Brussels."

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = f.FAST_PASSWORD_HASHERS


@pytest.fixture
def browser(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; the test's own
    # ORM calls are still plain synchronous code, so Django may allow them.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def visitor(browser, base_url):
    """A fresh browser profile: no cookies, so an anonymous visitor."""
    page = browser.new_context(base_url=base_url).new_page()
    page.set_default_timeout(15_000)
    return page


def log_in(browser, base_url, account):
    """The admin's two-factor login: password, and the code the account's authenticator
    app would show now (computed from the device's key)."""
    page = visitor(browser, base_url)
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", account.username)
    page.fill("#id_password", f.STRONG_PASSWORD)
    page.fill("#id_otp_token", f.current_code(f.authenticator(account)))
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    return page


def choose(page, select_id: str, text: str):
    """Pick text in an admin autocomplete (select2) box, as an editor would."""
    page.locator(f"#{select_id} + .select2").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def test_an_mou_added_by_an_editor_goes_public_only_when_a_reviewer_publishes(browser, live_server):
    korea, belgium = f.CountryFactory(code="kr", name="Korea"), f.CountryFactory(code="be")
    # Already on the portal: the parties, a signatory and the source document.
    f.MinistryFactory(name="Ministry of SMEs and Startups", country=korea, cited=False)
    f.MinistryFactory(name="FPS Economy", country=belgium, cited=False)
    f.PersonFactory(name="Oh Young-ju", cited=False)
    f.SourceFactory(
        name="MSS press release on Belgian cooperation", text=f"Brussels, 10 March 2025.\n{QUOTE}\n"
    )
    editor = f.AccountFactory(role="editor", username="eun-editor")
    reviewer = f.AccountFactory(role="reviewer", username="ryu-reviewer")

    # An editor adds the MOU, its two parties, a signatory and a citation in one form.
    page = log_in(browser, live_server.url, editor)
    page.goto("/admin/initiatives/agreement/add/")
    page.locator("#id_name").press_sequentially(MOU_NAME)
    assert page.input_value("#id_slug") == "mou-on-startup-cooperation-between-korea-and-belgium"
    page.select_option("#id_kind", "mou")
    page.fill("#id_signed_on", "10 March 2025")
    choose(page, "id_parties-0-ministry", "Ministry of SMEs and Startups")
    choose(page, "id_parties-0-signatory", "Oh Young-ju")
    page.fill("#id_parties-0-signatory_title", "Minister of SMEs and Startups")
    choose(page, "id_parties-1-ministry", "FPS Economy")
    choose(page, "id_citations-0-source", "MSS press release on Belgian cooperation")
    page.fill("#id_citations-0-quote", QUOTE)
    assert page.locator("#id_is_published").count() == 0  # editors cannot publish
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/initiatives/agreement/")
    assert "was added successfully" in page.content()

    mou = models.Agreement.objects.get(name=MOU_NAME)
    assert mou.is_published is False
    assert mou.parties.count() == 2
    assert mou.citations.get().quote == QUOTE
    detail_url = mou.get_absolute_url()
    list_url = reverse("initiatives:agreement-list")

    # An anonymous visitor cannot see the draft.
    assert models.Agreement.objects.published().filter(pk=mou.pk).count() == 0
    anonymous = visitor(browser, live_server.url)
    assert anonymous.goto(detail_url).status == 404
    anonymous.goto(list_url)
    assert MOU_NAME not in anonymous.content()

    # A reviewer publishes it with the admin action.
    page = log_in(browser, live_server.url, reviewer)
    page.goto("/admin/initiatives/agreement/")
    page.locator(f"input[name=_selected_action][value='{mou.pk}']").check()
    page.select_option("select[name=action]", "publish")
    page.click("button[name=index]")
    page.wait_for_load_state()
    assert "1 record published." in page.content()
    mou.refresh_from_db()
    assert mou.is_published is True

    # Now an anonymous visitor finds it on the agreements list and opens its page.
    anonymous = visitor(browser, live_server.url)
    assert anonymous.goto(list_url).status == 200
    anonymous.get_by_role("link", name=MOU_NAME).first.click()
    anonymous.wait_for_url(f"**{detail_url}")
    content = anonymous.content()
    assert MOU_NAME in content
    assert "Ministry of SMEs and Startups" in content
    assert "FPS Economy" in content
    assert os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] == "true"


PRESS_RELEASE = (
    "Korea and Poland Sign SME Cooperation MOU\n\n"
    "Korea and Poland signed a Memorandum of Understanding on SME cooperation in Warsaw "
    "on 12 March 2026. It was signed by Minister Han Seong-sook and by Minister "
    "Krzysztof Paszyk of the Ministry of Development and Technology of Poland.\n\n"
    "Both sides agreed to hold a policy dialogue every year.\n"
)
SIGNING = "Korea and Poland signed a Memorandum of Understanding on SME cooperation in Warsaw"
POLISH_MINISTRY = "Ministry of Development and Technology"


def cite_from_text(page, row: str, search: str):
    """Pick a sentence of the row's source with the "cite from the text" search."""
    box = page.locator(f"#id_{row}-quote + .cite-from-text .cite-search")
    box.fill(search)
    sentences = page.locator(f"#id_{row}-quote + .cite-from-text .cite-sentence")
    sentences.filter(has_text=search).first.click()


def test_an_editor_cites_a_pasted_document_and_a_reviewer_publishes_the_whole_mou(
    browser, live_server
):
    korea = f.CountryFactory(code="kr", name="Korea")
    f.CountryFactory(code="pl", name="Poland")
    f.MinistryFactory(name="Ministry of SMEs and Startups", country=korea)
    editor = f.AccountFactory(role="editor", username="eun-editor")
    reviewer = f.AccountFactory(role="reviewer", username="ryu-reviewer")
    page = log_in(browser, live_server.url, editor)

    # The press release, pasted.
    page.goto("/admin/initiatives/source/add/")
    page.fill("#id_name", "MSS press release on Poland")
    page.fill("#id_published_on", "12 March 2026")
    page.fill("#id_text", PRESS_RELEASE)
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/initiatives/source/")

    # The new ministry, cited from the text.
    page.goto("/admin/initiatives/ministry/add/")
    page.locator("#id_name").press_sequentially(POLISH_MINISTRY)
    choose(page, "id_country", "Poland")
    choose(page, "id_citations-0-source", "MSS press release on Poland")
    cite_from_text(page, "citations-0", "Development and Technology")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/initiatives/ministry/")

    # The MOU with both parties, its quote picked from the text.
    page.goto("/admin/initiatives/agreement/add/")
    page.locator("#id_name").press_sequentially("Korea–Poland SME MOU")
    page.fill("#id_signed_on", "12 March 2026")
    choose(page, "id_parties-0-ministry", "Ministry of SMEs and Startups")
    choose(page, "id_parties-1-ministry", POLISH_MINISTRY)
    choose(page, "id_citations-0-source", "MSS press release on Poland")
    cite_from_text(page, "citations-0", "Warsaw")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/initiatives/agreement/")
    mou = models.Agreement.objects.get(name="Korea–Poland SME MOU")
    assert mou.citations.get().quote.startswith(SIGNING)
    assert (mou.signed_on.isoformat(), mou.signed_on_precision) == ("2026-03-12", "day")

    # The reviewer publishes it with its linked drafts: the ministry and the source.
    page = log_in(browser, live_server.url, reviewer)
    page.goto("/admin/initiatives/agreement/")
    page.locator(f"input[name=_selected_action][value='{mou.pk}']").check()
    page.select_option("select[name=action]", "publish")
    page.click("button[name=index]")
    page.get_by_role("button", name="Publish with 2 linked drafts").click()
    page.wait_for_url("**/admin/initiatives/agreement/")
    assert "3 records published." in page.content()

    # The public sees a whole, cited record.
    anonymous = visitor(browser, live_server.url)
    assert anonymous.goto(mou.get_absolute_url()).status == 200
    content = anonymous.content()
    assert "Ministry of SMEs and Startups" in content
    assert POLISH_MINISTRY in content
    assert SIGNING in content
    assert "MSS press release on Poland" in content


def test_a_half_record_cannot_go_public(browser, live_server):
    source = f.SourceFactory(name="MSS press release on Poland", text=PRESS_RELEASE)
    mss = f.MinistryFactory(name="Ministry of SMEs and Startups")
    polish = f.MinistryFactory(draft=True, name=POLISH_MINISTRY)  # a draft, never cited
    mou = f.AgreementFactory(draft=True, name="Korea–Poland SME MOU", parties=(mss, polish))
    f.cite(mou, source=source, quote=SIGNING)
    reviewer = f.AccountFactory(role="reviewer", username="ryu-reviewer")
    page = log_in(browser, live_server.url, reviewer)

    # The Publish action names what is missing and publishes nothing.
    page.goto("/admin/initiatives/agreement/")
    page.locator(f"input[name=_selected_action][value='{mou.pk}']").check()
    page.select_option("select[name=action]", "publish")
    page.click("button[name=index]")
    page.wait_for_load_state()
    assert "has no verified citation" in page.content()
    assert POLISH_MINISTRY in page.content()

    # Ticking "published" on the change form is refused too.
    page.goto(f"/admin/initiatives/agreement/{mou.pk}/change/")
    assert "Draft, not public" in page.content()
    page.check("#id_is_published")
    page.click("input[name=_save]")
    page.wait_for_load_state()
    assert "links to drafts" in page.content()

    mou.refresh_from_db()
    assert mou.is_published is False
    assert visitor(browser, live_server.url).goto(mou.get_absolute_url()).status == 404


NEW_RELEASE = (
    "Korea and Poland Sign SME Cooperation MOU\n\n"
    "Seoul, 12 March 2026. The Ministry of SMEs and Startups (MSS) and the Ministry of "
    "Development and Technology of Poland signed a Memorandum of Understanding on SME "
    "cooperation in Warsaw on 12 March 2026. "
    "The MOU was signed by Minister Oh Young-ju and by Minister Krzysztof Paszyk.\n\n"
    "Both sides agreed to hold a policy dialogue every year.\n"
)
SIGNED_BY = "The MOU was signed by Minister Oh Young-ju and by Minister Krzysztof Paszyk."
DIALOGUE = "Both sides agreed to hold a policy dialogue every year."


def start_draft_from(page, source, proposed: str, button: str):
    """On the source's page, click a proposal's "Start a draft …" button."""
    page.goto(f"/admin/initiatives/source/{source.pk}/change/")
    section = page.locator("section.text-proposals")
    row = section.locator("tr", has=page.locator("th", has_text=proposed))
    row.get_by_role("button", name=button).click()
    page.wait_for_url("**/change/")
    assert "started from the text, citing this source" in page.content()


def test_an_editor_turns_a_proposal_from_a_pasted_release_into_a_published_cited_mou(
    browser, live_server
):
    korea = f.CountryFactory(code="kr", name="Korea, Republic of")
    f.CountryFactory(code="pl", name="Poland")
    f.MinistryFactory(
        name="Ministry of SMEs and Startups", acronym="MSS", name_ko="중소벤처기업부", country=korea
    )
    f.PersonFactory(name="Oh Young-ju")
    editor = f.AccountFactory(role="editor", username="eun-editor")
    reviewer = f.AccountFactory(role="reviewer", username="ryu-reviewer")
    page = log_in(browser, live_server.url, editor)

    # The editor pastes the press release and saves the source.
    page.goto("/admin/initiatives/source/add/")
    page.fill("#id_name", "MSS press release on Poland, 12 March 2026")
    page.fill("#id_published_on", "12 March 2026")
    page.fill("#id_text", NEW_RELEASE)
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/initiatives/source/")
    source = models.Source.objects.get(name="MSS press release on Poland, 12 March 2026")

    # Its page proposes what the text states; the new ministry and signatory are started
    # from their proposals, the MOU from the proposed agreement.
    page.goto(f"/admin/initiatives/source/{source.pk}/change/")
    assert "What the text appears to state" in page.content()
    start_draft_from(page, source, POLISH_MINISTRY, "Start a draft ministry")
    start_draft_from(page, source, "Krzysztof Paszyk", "Start a draft person")
    start_draft_from(page, source, "Memorandum of Understanding", "Start a draft agreement")
    mou = models.Agreement.objects.get()
    assert page.url.endswith(f"/admin/initiatives/agreement/{mou.pk}/change/")
    assert page.input_value("#id_signed_on") == "2026-03-12"
    assert "Draft, not public" in page.content()

    # The editor names it, adds the signatories and the Polish party, and cites the
    # signatories' sentence picked from the text.
    page.fill("#id_name", "Korea–Poland MOU on SME cooperation")
    assert page.input_value("#id_parties-0-ministry") == str(
        models.Ministry.objects.get(name="Ministry of SMEs and Startups").pk
    )
    choose(page, "id_parties-0-signatory", "Oh Young-ju")
    page.fill("#id_parties-0-signatory_title", "Minister of SMEs and Startups")
    choose(page, "id_parties-1-ministry", POLISH_MINISTRY)
    choose(page, "id_parties-1-signatory", "Krzysztof Paszyk")
    page.fill("#id_parties-1-signatory_title", "Minister of Development and Technology")
    # The draft cites the sentences its values came from; the editor picks one more
    # from the text, for what the parties agreed.
    cited = {c.quote for c in mou.citations.all()}
    assert SIGNED_BY in cited and any(q.startswith("The Ministry of SMEs") for q in cited)
    row = f"citations-{len(cited)}"
    choose(page, f"id_{row}-source", "MSS press release on Poland")
    cite_from_text(page, row, "policy dialogue")
    page.fill(f"#id_{row}-supports", "commitments")
    page.click("input[name=_save]")
    page.wait_for_load_state()
    errors = page.locator(".errornote, .errorlist").all_inner_texts()
    assert not errors, errors
    page.wait_for_url("**/admin/initiatives/agreement/")
    mou.refresh_from_db()
    assert mou.is_published is False
    assert [(p.ministry.name, p.signatory.name) for p in mou.parties.all()] == [
        ("Ministry of SMEs and Startups", "Oh Young-ju"),
        (POLISH_MINISTRY, "Krzysztof Paszyk"),
    ]
    quotes = {c.quote: c.supports for c in mou.citations.all()}
    assert quotes[DIALOGUE] == "commitments"
    assert len(quotes) == len(cited) + 1
    assert all(c.is_verified for c in mou.citations.all())

    # Sent for review: the reviewer finds the new draft in the review queue, and
    # publishes it with its linked drafts (the ministry, the signatory, the source).
    page = log_in(browser, live_server.url, reviewer)
    page.goto("/admin/review/")
    queued = page.locator("li.item", has_text="Korea–Poland MOU on SME cooperation")
    assert "New draft" in queued.inner_text()
    queued.get_by_role("link", name="open").click()
    page.wait_for_url(f"**/admin/initiatives/agreement/{mou.pk}/change/")
    banner = page.locator(".publication-banner").inner_text()
    assert POLISH_MINISTRY in banner and "Krzysztof Paszyk" in banner
    page.goto("/admin/initiatives/agreement/")
    page.locator(f"input[name=_selected_action][value='{mou.pk}']").check()
    page.select_option("select[name=action]", "publish")
    page.click("button[name=index]")
    page.get_by_role("button", name="Publish with 3 linked drafts").click()
    page.wait_for_url("**/admin/initiatives/agreement/")
    assert "4 records published." in page.content()

    # An anonymous visitor sees the whole MOU, each fact cited from the release.
    anonymous = visitor(browser, live_server.url)
    assert anonymous.goto(mou.get_absolute_url()).status == 200
    content = anonymous.content()
    for shown in (
        "Korea–Poland MOU on SME cooperation",
        "Ministry of SMEs and Startups",
        POLISH_MINISTRY,
        "Oh Young-ju",
        "Krzysztof Paszyk",
        SIGNED_BY,
        DIALOGUE,
        "MSS press release on Poland, 12 March 2026",
    ):
        assert shown in content, shown
    assert "No published source yet" not in content
    polish = models.Ministry.objects.get(name=POLISH_MINISTRY)
    assert anonymous.goto(polish.get_absolute_url()).status == 200
