"""Every fact the five source documents state, as data, checked against the loaded
fixtures: a later edit that loses or changes one fails here.

A fact is (record, field, expected value, quote). The record is a slug, or a natural
key for rows without one (a participant, a post, a party, a relation, an alias, a
supporting action). The quote is a word-for-word fragment of the document, and must
also be part of a citation of that document on the record (or on the record a row
hangs off), so the evidence cannot be lost either. Values are read plainly: a related
record as its slug (a country as its code), a to-many relation as a set of those, a
partial date as its ISO form with " (inferred)" when it is inferred. ``Has(...)``
checks that a text contains the words; the field ``cites`` checks only the quote,
for what a document records as said or done by a person (who said what)."""

# Quotes are kept whole, so each reads as the document words it.
# ruff: noqa: E501
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from initiatives.dates import PartialDate


@pytest.fixture
def portal_data(portal_data_for_module, db):
    """Loaded once for this module."""


class Has(str):
    """The field's text contains these words."""


@dataclass(frozen=True)
class Fact:
    model: str
    key: str | tuple
    field: str
    expected: object
    quote: str

    def __str__(self):
        key = self.key if isinstance(self.key, str) else "/".join(map(str, self.key))
        return f"{self.model}:{key}.{self.field}"


def facts(*rows):
    return [Fact(*row) for row in rows]


LAUNCH = "consultative-bodies-launch-report"
POLICY = "first-policy-council-meeting-release"
BELGIUM = "korea-belgium-mou-announcement"
CHINA = "korea-china-mou-report"
STRATEGY = "sme-globalization-strategy-meeting-report"

INAUGURAL = "consultative-bodies-inaugural-meeting-2024-04-17"
MISSION_BODIES = [
    ("los-angeles", "consulate-general-los-angeles", "us", "the Consulate General in Los Angeles"),
    (
        "san-francisco",
        "consulate-general-san-francisco",
        "us",
        "the Consulate General in San Francisco",
    ),
    ("singapore", "embassy-singapore", "sg", "the Embassy in Singapore"),
    ("vietnam", "embassy-vietnam", "vn", "the Embassy in Vietnam"),
]
FIRST_MEETINGS = "the Embassies in India and Ho Chi Minh City are poised to hold their first meetings in early May"

FACTS = {
    LAUNCH: facts(
        (
            "meeting",
            INAUGURAL,
            "held",
            "2024-04-17 (inferred)",
            "convened the inaugural meeting on April 17",
        ),
        (
            "meeting",
            INAUGURAL,
            "council",
            "support-council-of-diplomatic-missions",
            "to establish a support consultative body at four diplomatic missions",
        ),
        ("meeting", INAUGURAL, "status", "held", "convened the inaugural meeting on April 17"),
        (
            "meeting",
            INAUGURAL,
            "summary",
            Has("operational plans"),
            "operational plans for providing substantive support",
        ),
        (
            "meetingparticipant",
            (INAUGURAL, "ministry", "mss"),
            "role",
            "Convened the meeting",
            "The South Korean Ministry of SMEs and Startups (MSS), in partnership with the Ministry of Foreign Affairs (MoFA), convened",
        ),
        (
            "meetingparticipant",
            (INAUGURAL, "ministry", "mofa"),
            "role",
            "Partner in convening the meeting",
            "in partnership with the Ministry of Foreign Affairs (MoFA)",
        ),
        *[
            row
            for body, mission, country, words in MISSION_BODIES
            for row in (
                ("council", f"consultative-body-{body}", "mission", mission, words),
                ("council", f"consultative-body-{body}", "country", country, words),
                (
                    "council",
                    f"consultative-body-{body}",
                    "status",
                    "active",
                    "to establish a support consultative body at four diplomatic missions",
                ),
                (
                    "council",
                    f"consultative-body-{body}",
                    "established",
                    "2024-04-17 (inferred)",
                    "convened the inaugural meeting on April 17",
                ),
                (
                    "council",
                    f"consultative-body-{body}",
                    "parent",
                    "support-council-of-diplomatic-missions",
                    "to establish a support consultative body at four diplomatic missions",
                ),
            )
        ],
        (
            "council",
            "consultative-body-san-francisco",
            "members",
            {"82startup"},
            "the San Francisco team includes representatives from 82Startup",
        ),
        (
            "organization",
            "82startup",
            "country",
            "us",
            "a prominent K-Startup group in Silicon Valley",
        ),
        (
            "council",
            "consultative-body-los-angeles",
            "members",
            {"jeonbuk-state"},
            "in Los Angeles, five local governments, including JEONBUK STATE, have joined",
        ),
        (
            "organization",
            "jeonbuk-state",
            "kind",
            "local-government",
            "five local governments, including JEONBUK STATE",
        ),
        (
            "alias",
            ("organization", "jeonbuk-state", "JEONBUK STATE", "en"),
            "kind",
            "spelling",
            "JEONBUK STATE",
        ),
        ("metric", "los-angeles-local-governments", "value", 5, "five local governments"),
        (
            "metric",
            "los-angeles-local-governments",
            "council",
            "consultative-body-los-angeles",
            "in Los Angeles, five local governments",
        ),
        (
            "agreement",
            "mss-mofa-global-expansion-mou-2024",
            "ministries",
            {"mss", "mofa"},
            "a memorandum of understanding between the two ministries",
        ),
        (
            "agreement",
            "mss-mofa-global-expansion-mou-2024",
            "summary",
            Has("enhancing their global reach and competitiveness"),
            "aimed at enhancing the global reach and competitiveness of SMEs and startups",
        ),
        (
            "council",
            "support-council-of-diplomatic-missions",
            "summary",
            Has("export challenges and market entry issues"),
            "to address the export challenges and market entry issues faced by SMEs and startups",
        ),
        (
            "council",
            "support-council-of-diplomatic-missions",
            "summary",
            Has(
                "local diplomatic missions, public agencies, both large and small enterprises, lawyers and private experts"
            ),
            "The body includes representatives from local diplomatic missions, public agencies, both large and small enterprises, lawyers, and private experts.",
        ),
        (
            "council",
            "support-council-of-diplomatic-missions",
            "summary",
            Has("review collaborative strategies among local agencies"),
            "Future meetings will regularly address the ongoing challenges",
        ),
        (
            "council",
            "support-council-of-diplomatic-missions",
            "kind",
            "consultative-body",
            "The consultative body, anchored by overseas missions",
        ),
        ("council", "consultative-body-india", "status", "forming", FIRST_MEETINGS),
        ("council", "consultative-body-india", "status_reported", "2024-04-21", FIRST_MEETINGS),
        (
            "council",
            "consultative-body-india",
            "status_expected",
            "2024-05 (inferred)",
            "in early May",
        ),
        ("council", "consultative-body-india", "mission", "embassy-india", FIRST_MEETINGS),
        ("council", "consultative-body-ho-chi-minh-city", "status", "forming", FIRST_MEETINGS),
        (
            "council",
            "consultative-body-ho-chi-minh-city",
            "status_expected",
            "2024-05 (inferred)",
            "in early May",
        ),
        ("council", "consultative-body-ho-chi-minh-city", "country", "vn", FIRST_MEETINGS),
        (
            "council",
            "consultative-body-frankfurt",
            "status",
            "forming",
            "nine other missions, including Frankfurt, are making rapid progress in forming similar consultative bodies",
        ),
        (
            "council",
            "consultative-body-frankfurt",
            "status_reported",
            "2024-04-21",
            "are making rapid progress in forming",
        ),
        (
            "council",
            "consultative-body-frankfurt",
            "status_expected",
            "2024-05 (inferred)",
            "By May, approximately 25 overseas missions are expected to have such bodies in place.",
        ),
        ("organization", "mission-frankfurt", "city", "Frankfurt", "including Frankfurt"),
        ("organization", "mission-ho-chi-minh-city", "city", "Ho Chi Minh City", FIRST_MEETINGS),
        (
            "alias",
            ("organization", "mission-ho-chi-minh-city", "Embassy in Ho Chi Minh City", "en"),
            "kind",
            "description",
            FIRST_MEETINGS,
        ),
        (
            "meeting",
            "consultative-body-india-first-meeting-2024-05",
            "status",
            "planned",
            FIRST_MEETINGS,
        ),
        (
            "meeting",
            "consultative-body-india-first-meeting-2024-05",
            "held",
            "2024-05 (inferred)",
            "in early May",
        ),
        (
            "meeting",
            "consultative-body-india-first-meeting-2024-05",
            "status_expected",
            "2024-05 (inferred)",
            "in early May",
        ),
        (
            "meeting",
            "consultative-body-india-first-meeting-2024-05",
            "country",
            "in",
            FIRST_MEETINGS,
        ),
        (
            "meeting",
            "consultative-body-india-first-meeting-2024-05",
            "place_inferred",
            True,
            FIRST_MEETINGS,
        ),
        (
            "meeting",
            "consultative-body-ho-chi-minh-city-first-meeting-2024-05",
            "status",
            "planned",
            FIRST_MEETINGS,
        ),
        (
            "meeting",
            "consultative-body-ho-chi-minh-city-first-meeting-2024-05",
            "country",
            "vn",
            FIRST_MEETINGS,
        ),
        (
            "meeting",
            "consultative-body-ho-chi-minh-city-first-meeting-2024-05",
            "city",
            "Ho Chi Minh City",
            FIRST_MEETINGS,
        ),
        ("metric", "missions-forming-consultative-bodies", "value", 9, "nine other missions"),
        (
            "metric",
            "missions-expected-with-consultative-bodies",
            "value",
            25,
            "approximately 25 overseas missions",
        ),
        (
            "metric",
            "missions-expected-with-consultative-bodies",
            "qualifier",
            "approximately",
            "approximately 25 overseas missions",
        ),
        (
            "metric",
            "missions-expected-with-consultative-bodies",
            "measured",
            "2024-05 (inferred)",
            "By May",
        ),
        (
            "council",
            "domestic-globalization-support-consultative-body",
            "status",
            "forming",
            "MSS is also establishing a domestic",
        ),
        (
            "council",
            "domestic-globalization-support-consultative-body",
            "host_ministries",
            {"mss"},
            "MSS is also establishing a domestic",
        ),
        (
            "council",
            "domestic-globalization-support-consultative-body",
            "summary",
            Has("relays local insights from the overseas bodies"),
            "This domestic body will relay local insights from the overseas bodies back to Korea",
        ),
        (
            "post",
            ("cho-tae-yul", "Foreign Minister"),
            "ministry",
            "mofa",
            "Foreign Minister Cho Tae-yul remarked",
        ),
        (
            "person",
            "cho-tae-yul",
            "cites",
            True,
            "We are committed to enhancing our collaboration with MSS to deliver proactive, people-focused economic diplomacy.",
        ),
        (
            "post",
            ("oh-young-ju", "Minister of SMEs and Startups"),
            "ministry",
            "mss",
            "Minister of SMEs and Startups Oh Young-ju",
        ),
        (
            "person",
            "oh-young-ju",
            "cites",
            True,
            "We will expediently complete the formation of the domestic consultative body",
        ),
        ("alias", ("ministry", "mofa", "MoFA", "en"), "kind", "acronym", "MSS and MoFA of Korea"),
    ),
    POLICY: facts(
        (
            "meeting",
            "policy-council-first-meeting-2024-12-17",
            "held",
            "2024-12-17",
            "on December 17, 2024",
        ),
        (
            "meeting",
            "policy-council-first-meeting-2024-12-17",
            "venue",
            "MOFA building",
            "at the MOFA building in Seoul",
        ),
        (
            "meeting",
            "policy-council-first-meeting-2024-12-17",
            "city",
            "Seoul",
            "at the MOFA building in Seoul",
        ),
        (
            "meeting",
            "policy-council-first-meeting-2024-12-17",
            "country",
            "kr",
            "at the MOFA building in Seoul",
        ),
        (
            "meeting",
            "policy-council-first-meeting-2024-12-17",
            "council",
            "mofa-mss-policy-council",
            "held the inaugural “Policy Council Meeting",
        ),
        (
            "meeting",
            "policy-council-first-meeting-2024-12-17",
            "related_agreements",
            {"mss-mofa-global-expansion-mou-2024"},
            "The meeting followed the signing of a Memorandum of Understanding (MOU) in April 2024",
        ),
        (
            "meeting",
            "policy-council-first-meeting-2024-12-17",
            "summary",
            Has("strategic plans for 2025"),
            "They also discussed strategic plans for 2025",
        ),
        (
            "meeting",
            "policy-council-first-meeting-2024-12-17",
            "summary",
            Has("exchanged tailored support cases"),
            "Participants exchanged tailored support cases",
        ),
        (
            "meeting",
            "policy-council-first-meeting-2024-12-17",
            "summary",
            Has("protecting SME exports from external challenges"),
            "protecting SME exports from external challenges",
        ),
        (
            "meetingparticipant",
            ("policy-council-first-meeting-2024-12-17", "person", "lee-dae-hee"),
            "role",
            Has("Deputy Minister"),
            "Attendees included deputy ministers from both ministries",
        ),
        (
            "meetingparticipant",
            ("policy-council-first-meeting-2024-12-17", "person", "kim-hee-sang"),
            "role",
            Has("Deputy Minister"),
            "Attendees included deputy ministers from both ministries",
        ),
        (
            "meetingparticipant",
            ("policy-council-first-meeting-2024-12-17", "organization", "koica"),
            "role",
            "Representatives",
            "key representatives from the Korea International Cooperation Agency (KOICA)",
        ),
        (
            "meetingparticipant",
            ("policy-council-first-meeting-2024-12-17", "organization", "kosme"),
            "role",
            "Representatives",
            "the Korea SMEs and Startups Agency (KOSME)",
        ),
        (
            "meetingparticipant",
            ("policy-council-first-meeting-2024-12-17", "organization", "kised"),
            "role",
            "Representatives",
            "the Korea Institute of Startup & Entrepreneurship Development (KISED)",
        ),
        (
            "organization",
            "koica",
            "acronym",
            "KOICA",
            "Korea International Cooperation Agency (KOICA)",
        ),
        ("organization", "kosme", "acronym", "KOSME", "Korea SMEs and Startups Agency (KOSME)"),
        (
            "organization",
            "kised",
            "acronym",
            "KISED",
            "Korea Institute of Startup & Entrepreneurship Development (KISED)",
        ),
        (
            "post",
            ("lee-dae-hee", "Deputy Minister for the Office of Planning and Coordination"),
            "ministry",
            "mss",
            "Deputy Minister for the Office of Planning and Coordination at MSS",
        ),
        (
            "post",
            ("kim-hee-sang", "Deputy Minister for Political Affairs"),
            "ministry",
            "mofa",
            "Deputy Minister for Political Affairs at MOFA",
        ),
        (
            "alias",
            ("person", "lee-dae-hee", "LEE Dae-hee", "en"),
            "kind",
            "spelling",
            "LEE Dae-hee",
        ),
        (
            "person",
            "lee-dae-hee",
            "cites",
            True,
            "The global expansion of SMEs and startups will serve as a new growth engine for the Korean economy.",
        ),
        (
            "person",
            "kim-hee-sang",
            "cites",
            True,
            "The Council serves as a central hub for harnessing the capabilities of various public institutions operating locally.",
        ),
        (
            "agreement",
            "mss-mofa-global-expansion-mou-2024",
            "signed",
            "2024-04",
            "the signing of a Memorandum of Understanding (MOU) in April 2024",
        ),
        (
            "agreement",
            "mss-mofa-global-expansion-mou-2024",
            "kind",
            "mou",
            "Memorandum of Understanding (MOU)",
        ),
        (
            "agreement",
            "mss-mofa-global-expansion-mou-2024",
            "summary",
            Has("supporting the global expansion of SMEs and startups"),
            "aimed at supporting the global expansion of SMEs and startups",
        ),
        (
            "council",
            "mofa-mss-policy-council",
            "host_ministries",
            {"mofa", "mss"},
            "The Ministry of SMEs and Startups (MSS) and the Ministry of Foreign Affairs (MOFA) held the inaugural",
        ),
        (
            "council",
            "mofa-mss-policy-council",
            "status",
            "active",
            "held the inaugural “Policy Council Meeting",
        ),
        (
            "council",
            "mofa-mss-policy-council",
            "status_reported",
            "2024-12-17",
            "on December 17, 2024",
        ),
        (
            "council",
            "mofa-mss-policy-council",
            "summary",
            Has("plan to institutionalize"),
            "by institutionalizing the Policy Council",
        ),
        (
            "council",
            "support-council-of-diplomatic-missions",
            "established_under",
            "mss-mofa-global-expansion-mou-2024",
            "established under the MOU",
        ),
        (
            "council",
            "support-council-of-diplomatic-missions",
            "host_ministries",
            {"mofa", "mss"},
            "MOFA shared the outcomes of its Support Council",
        ),
        (
            "council",
            "support-council-of-diplomatic-missions",
            "status",
            "active",
            "Over the past year, the Council held 46 meetings",
        ),
        ("metric", "support-council-meetings-held", "value", 46, "held 46 meetings"),
        (
            "metric",
            "support-council-meetings-held",
            "period",
            "past-year",
            "Over the past year",
        ),
        ("metric", "support-council-countries", "value", 17, "across 17 countries"),
        ("metric", "mofa-on-site-support-cases", "value", 241, "241 on-site support cases"),
        (
            "metric",
            "mofa-on-site-support-cases",
            "ministry",
            "mofa",
            "MOFA had facilitated 241 on-site support cases",
        ),
        ("metric", "mofa-on-site-support-cases", "measured", "2024-11-30", "By November 30, 2024"),
        (
            "metric",
            "mofa-local-market-information",
            "value",
            401,
            "401 instances of local market information",
        ),
        ("organization", "poen", "kind", "company", "POEN, a battery remanufacturing company"),
        (
            "organization",
            "poen",
            "sector",
            "Battery remanufacturing",
            "a battery remanufacturing company",
        ),
        (
            "supportcase",
            "poen-factory-site-and-permits-germany",
            "company",
            "poen",
            "MOFA highlighted the case of POEN",
        ),
        (
            "supportcase",
            "poen-factory-site-and-permits-germany",
            "country",
            "de",
            "its factory in Germany",
        ),
        (
            "supportcase",
            "poen-factory-site-and-permits-germany",
            "region",
            "Baden-Württemberg",
            "the Baden-Württemberg state and local governments",
        ),
        (
            "supportcase",
            "poen-factory-site-and-permits-germany",
            "challenge",
            Has("Securing a site and obtaining permits"),
            "securing a site and obtaining permits for its factory",
        ),
        (
            "supportcase",
            "poen-factory-site-and-permits-germany",
            "outcome",
            Has("obtained the necessary permits"),
            "helping POEN obtain the necessary permits",
        ),
        (
            "supportcase",
            "poen-factory-site-and-permits-germany",
            "status",
            "in-progress",
            "POEN is set to begin operations at its factory in the first half of 2025",
        ),
        (
            "supportcase",
            "poen-factory-site-and-permits-germany",
            "status_reported",
            "2024-12-17",
            "MOFA highlighted the case of POEN",
        ),
        (
            "supportcase",
            "poen-factory-site-and-permits-germany",
            "status_expected",
            "2025-06 (inferred)",
            "in the first half of 2025",
        ),
        (
            "supportcase",
            "poen-factory-site-and-permits-germany",
            "council",
            "support-council-of-diplomatic-missions",
            "MOFA highlighted the case of POEN",
        ),
        (
            "supportcase",
            "poen-factory-site-and-permits-germany",
            "reported_at",
            "policy-council-first-meeting-2024-12-17",
            "MOFA highlighted the case of POEN",
        ),
        (
            "supportaction",
            ("poen-factory-site-and-permits-germany", 1),
            "actor",
            "The Consulate General",
            "the Consulate General sought cooperation",
        ),
        (
            "supportaction",
            ("poen-factory-site-and-permits-germany", 2),
            "organization",
            "baden-wurttemberg-state-government",
            "sought cooperation from the Baden-Württemberg state and local governments",
        ),
        (
            "supportaction",
            ("poen-factory-site-and-permits-germany", 3),
            "organization",
            "kosme",
            "KOSME provided administrative assistance with visa issuance and corporate",
        ),
        (
            "supportaction",
            ("poen-factory-site-and-permits-germany", 3),
            "action",
            Has("visa issuance and corporate establishment"),
            "administrative assistance with visa issuance",
        ),
        (
            "supportaction",
            ("poen-factory-site-and-permits-germany", 4),
            "organization",
            "frankfurt-trade-office",
            "the Frankfurt Trade Office arranged consultations with local companies",
        ),
        (
            "supportaction",
            ("poen-factory-site-and-permits-germany", 4),
            "action",
            Has("site leasing"),
            "to facilitate site leasing",
        ),
        (
            "organization",
            "frankfurt-trade-office",
            "kind",
            "trade-office",
            "the Frankfurt Trade Office",
        ),
        (
            "organization",
            "baden-wurttemberg-state-government",
            "kind",
            "local-government",
            "the Baden-Württemberg state and local governments",
        ),
        (
            "program",
            "global-expansion-project-diplomatic-missions",
            "owner_ministries",
            {"mss"},
            "MSS unveiled the “Global Expansion Project Based on Proposals from Diplomatic Missions,”",
        ),
        (
            "program",
            "global-expansion-project-diplomatic-missions",
            "starts",
            "2025",
            "set to launch in 2025",
        ),
        (
            "program",
            "global-expansion-project-diplomatic-missions",
            "summary",
            Has("strategic export support hubs"),
            "utilize diplomatic missions as strategic export support hubs",
        ),
        (
            "program",
            "global-expansion-project-diplomatic-missions",
            "summary",
            Has("propose tailored support models"),
            "diplomatic missions will propose tailored support models",
        ),
        (
            "program",
            "global-expansion-project-diplomatic-missions",
            "summary",
            Has("strengthen the Support Council’s role"),
            "MSS called for active collaboration from these missions to strengthen the Council’s role",
        ),
        (
            "program",
            "koica-kised-global-expansion-support-project",
            "owner_organizations",
            {"koica", "kised"},
            "KOICA and KISED also introduced their Global Expansion Support Project",
        ),
        (
            "program",
            "koica-kised-global-expansion-support-project",
            "ends",
            "2027",
            "extend this support through 2027",
        ),
        (
            "program",
            "koica-kised-global-expansion-support-project",
            "summary",
            Has("ODA projects"),
            "to engage in ODA projects",
        ),
        (
            "program",
            "koica-kised-global-expansion-support-project",
            "summary",
            Has("challenges in international development cooperation"),
            "seeks to address challenges in international development cooperation",
        ),
        (
            "program",
            "koica-kised-global-expansion-support-project",
            "summary",
            Has("customized support aligned with KOICA’s international development programs"),
            "customized support aligned with KOICA’s international development programs",
        ),
        (
            "metric",
            "koica-kised-first-phase-startups",
            "value",
            3,
            "three innovative startups were selected for the first phase",
        ),
        ("metric", "koica-kised-first-phase-startups", "measured", "2024-10", "In October 2024"),
        ("program", "cts", "kind", "", "linked with CTS and TIPS"),
        ("program", "tips", "kind", "", "linked with CTS and TIPS"),
    ),
    BELGIUM: facts(
        (
            "agreement",
            "korea-belgium-sme-startup-mou-2026",
            "kind",
            "mou",
            "a Memorandum of Understanding on SME and Startup Cooperation",
        ),
        (
            "agreement",
            "korea-belgium-sme-startup-mou-2026",
            "signed",
            "2026 (inferred)",
            "COMEUP 2026",
        ),
        (
            "agreement",
            "korea-belgium-sme-startup-mou-2026",
            "city",
            "Brussels",
            "signed today in Brussels",
        ),
        (
            "agreement",
            "korea-belgium-sme-startup-mou-2026",
            "country",
            "be",
            "signed today in Brussels",
        ),
        (
            "agreement",
            "korea-belgium-sme-startup-mou-2026",
            "ministries",
            {"mss", "belgium-ministry-middle-classes-self-employed-smes"},
            "by Vice Minister Roh Yong-Seok of the Ministry of SMEs and Startups (MSS) and Minister Eleonore Simonet",
        ),
        (
            "agreementparty",
            ("korea-belgium-sme-startup-mou-2026", "mss"),
            "signatory",
            "roh-yong-seok",
            "by Vice Minister Roh Yong-Seok of the Ministry of SMEs and Startups (MSS)",
        ),
        (
            "agreementparty",
            ("korea-belgium-sme-startup-mou-2026", "mss"),
            "signatory_title",
            "Vice Minister",
            "Vice Minister Roh Yong-Seok",
        ),
        (
            "agreementparty",
            (
                "korea-belgium-sme-startup-mou-2026",
                "belgium-ministry-middle-classes-self-employed-smes",
            ),
            "signatory",
            "eleonore-simonet",
            "Minister Eleonore Simonet of Belgium’s Ministry",
        ),
        (
            "agreementparty",
            (
                "korea-belgium-sme-startup-mou-2026",
                "belgium-ministry-middle-classes-self-employed-smes",
            ),
            "signatory_title",
            "Minister",
            "Minister Eleonore Simonet",
        ),
        (
            "agreement",
            "korea-belgium-sme-startup-mou-2026",
            "cooperation_areas",
            {
                "bilateral-policy-dialogue",
                "specialist-personnel-exchange",
                "technology-cooperation",
                "business-matching",
            },
            "through bilateral policy dialogue, facilitating exchanges of specialist personnel, advancing technology cooperation, and pursuing business matching initiatives",
        ),
        (
            "agreement",
            "korea-belgium-sme-startup-mou-2026",
            "summary",
            Has("first bilateral agreement at the federal government level"),
            "the first bilateral agreement at the federal government level between the two countries in the SME sector",
        ),
        (
            "agreement",
            "korea-belgium-sme-startup-mou-2026",
            "summary",
            Has("125th anniversary of their diplomatic relations"),
            "anniversary of diplomatic relations between Korea and Belgium",
        ),
        (
            "agreement",
            "korea-belgium-sme-startup-mou-2026",
            "summary",
            Has("entering the European market"),
            "looking to establish a foothold in the European market",
        ),
        (
            "agreement",
            "korea-belgium-sme-startup-mou-2026",
            "summary",
            Has("institutional foundation"),
            "It provides the institutional foundation for a practical and dynamic cooperation framework",
        ),
        (
            "ministry",
            "belgium-ministry-middle-classes-self-employed-smes",
            "country",
            "be",
            "Belgium’s Ministry of the Middle Classes, the Self-Employed and the SMEs",
        ),
        (
            "post",
            ("roh-yong-seok", "Vice Minister"),
            "ministry",
            "mss",
            "Vice Minister Roh Yong-Seok of the Ministry of SMEs and Startups (MSS)",
        ),
        (
            "post",
            ("eleonore-simonet", "Minister"),
            "ministry",
            "belgium-ministry-middle-classes-self-employed-smes",
            "Minister Eleonore Simonet of Belgium’s Ministry",
        ),
        (
            "person",
            "roh-yong-seok",
            "cites",
            True,
            "we will build a practical and dynamic cooperation framework that opens real doors for Korean SMEs and venture companies entering Europe.",
        ),
        ("meeting", "korea-belgium-mou-signing", "city", "Brussels", "signed today in Brussels"),
        (
            "meeting",
            "korea-belgium-mou-signing",
            "place_inferred",
            False,
            "signed today in Brussels",
        ),
        (
            "meeting",
            "korea-belgium-bilateral-meeting",
            "country",
            "be",
            "The MOU was signed today in Brussels",
        ),
        (
            "meeting",
            "korea-belgium-bilateral-meeting",
            "city",
            "Brussels",
            "The MOU was signed today in Brussels",
        ),
        (
            "meeting",
            "korea-belgium-bilateral-meeting",
            "place_inferred",
            True,
            "Following the signing, Vice Minister Roh and Minister Simonet held a bilateral meeting",
        ),
        (
            "meeting",
            "korea-belgium-bilateral-meeting",
            "kind",
            "bilateral-meeting",
            "held a bilateral meeting",
        ),
        (
            "meeting",
            "korea-belgium-bilateral-meeting",
            "summary",
            Has("combining Belgium’s business resources with Korea’s technological capabilities"),
            "combining Belgium’s business resources with Korea’s technological capabilities",
        ),
        (
            "meeting",
            "korea-belgium-bilateral-meeting",
            "summary",
            Has("COMEUP 2026"),
            "Following the signing, Vice Minister Roh and Minister Simonet held a bilateral meeting",
        ),
        (
            "meetingparticipant",
            ("korea-belgium-bilateral-meeting", "person", "eleonore-simonet"),
            "role",
            "Minister",
            "Vice Minister Roh and Minister Simonet held a bilateral meeting",
        ),
        (
            "meeting",
            "roundtable-korean-companies-in-belgium",
            "country",
            "be",
            "a roundtable with Korean companies operating in Belgium",
        ),
        (
            "meeting",
            "roundtable-korean-companies-in-belgium",
            "city",
            "",
            "Earlier the same morning",
        ),
        (
            "meeting",
            "roundtable-korean-companies-in-belgium",
            "place_inferred",
            True,
            "Earlier the same morning",
        ),
        (
            "meeting",
            "roundtable-korean-companies-in-belgium",
            "summary",
            Has("EU trade regulatory developments"),
            "to review the latest EU trade regulatory developments",
        ),
        (
            "meeting",
            "roundtable-korean-companies-in-belgium",
            "summary",
            Has("Middle East"),
            "arising from the ongoing Middle East situation",
        ),
        (
            "meeting",
            "roundtable-korean-companies-in-belgium",
            "summary",
            Has("competitive footing in the European market"),
            "maintain their competitive footing in the European market",
        ),
        (
            "meetingparticipant",
            ("roundtable-korean-companies-in-belgium", "person", "roh-yong-seok"),
            "role",
            "Convened the roundtable",
            "Vice Minister Roh convened a roundtable",
        ),
        (
            "metric",
            "belgium-startup-ecosystem-rank",
            "value",
            23,
            "ranks 23<sup>rd</sup> globally in startup ecosystem strength",
        ),
        (
            "metric",
            "belgium-startup-ecosystem-rank",
            "country",
            "be",
            "the country ranks 23<sup>rd</sup>",
        ),
        (
            "metric",
            "belgium-startup-support-infrastructure-rank",
            "value",
            12,
            "12<sup>th</sup> in startup support infrastructure",
        ),
        (
            "metric",
            "belgium-startup-ecosystem-rank",
            "measured",
            "2026",
            "according to StartupBlink’s 2026 rankings",
        ),
        ("organization", "startupblink", "kind", "", "according to StartupBlink’s 2026 rankings"),
        (
            "program",
            "startup-for-all",
            "owner_ministries",
            {"mss"},
            'MSS\'s "Startup for All" initiative',
        ),
        ("program", "startup-for-all", "kind", "initiative", '"Startup for All" initiative'),
        (
            "program",
            "startup-for-all",
            "summary",
            Has("country-wide entrepreneurship culture"),
            "Korea's national project to build a country-wide entrepreneurship culture",
        ),
        (
            "program",
            "startup-venture-campus-seoul",
            "kind",
            "facility",
            "a global startup collaboration hub that opened in May",
        ),
        (
            "program",
            "startup-venture-campus-seoul",
            "starts",
            None,
            "a global startup collaboration hub that opened in May",
        ),
        (
            "alias",
            ("program", "startup-venture-campus-seoul", "SVC Seoul", "en"),
            "kind",
            "acronym",
            "the Startup Venture Campus (SVC) Seoul",
        ),
        ("program", "comeup-2026", "kind", "event", "Korea’s flagship global startup event"),
        ("program", "comeup-2026", "city", "Seoul", "held in Seoul this December"),
        ("program", "comeup-2026", "starts", "2026-12 (inferred)", "held in Seoul this December"),
        (
            "program",
            "comeup-2026",
            "aliases",
            set(),
            "COMEUP 2026 – Korea’s flagship global startup event",
        ),
    ),
    CHINA: facts(
        (
            "agreement",
            "korea-china-sme-innovation-mou-2026",
            "signed",
            "2026-01-05 (inferred)",
            "signed an MOU on Cooperation in SMEs and Innovation at the Great Hall of the People in Beijing on January 5",
        ),
        (
            "agreement",
            "korea-china-sme-innovation-mou-2026",
            "venue",
            "Great Hall of the People",
            "at the Great Hall of the People in Beijing",
        ),
        (
            "agreement",
            "korea-china-sme-innovation-mou-2026",
            "city",
            "Beijing",
            "in Beijing on January 5",
        ),
        (
            "agreement",
            "korea-china-sme-innovation-mou-2026",
            "country",
            "cn",
            "in Beijing on January 5",
        ),
        (
            "agreement",
            "korea-china-sme-innovation-mou-2026",
            "ministries",
            {"mss", "miit"},
            "the Ministry of SMEs and Startups (MSS) of Korea and the Ministry of Industry and Information Technology (MIIT) of China signed",
        ),
        (
            "agreement",
            "korea-china-sme-innovation-mou-2026",
            "cooperation_areas",
            {
                "startup-development",
                "deeptech-cooperation",
                "new-technology-sme-support",
                "information-sharing",
                "expert-exchange",
                "capacity-building",
            },
            "covering information sharing, expert exchange, and capacity-building programs",
        ),
        (
            "agreement",
            "korea-china-sme-innovation-mou-2026",
            "summary",
            Has("AI, robotics, quantum computing and other advanced technology sectors"),
            "startups operating in AI, robotics, quantum computing, and other advanced technology sectors",
        ),
        (
            "agreement",
            "korea-china-sme-innovation-mou-2026",
            "cites",
            True,
            "the ministry expects the agreement to serve as the policy foundation for sustainable cooperation in startup incubation, investor engagement, and technology transfer",
        ),
        (
            "agreement",
            "korea-china-sme-innovation-mou-2026",
            "cites",
            True,
            "Chinese MIIT officials echoed similar views, emphasizing that bilateral cooperation will focus on “mutual technology development and inclusive innovation,”",
        ),
        (
            "agreement",
            "korea-china-sme-innovation-mou-2026",
            "relations_from",
            {
                (
                    "korea-china-sme-innovation-mou-2026",
                    "renews",
                    "korea-china-previous-sme-agreement",
                ),
                ("korea-china-sme-innovation-mou-2026", "builds-on", "jeju-initiative"),
            },
            "The renewed MOU replaces the previous agreement",
        ),
        (
            "agreementrelation",
            ("korea-china-sme-innovation-mou-2026", "builds-on", "jeju-initiative"),
            "kind",
            "builds-on",
            "This MOU builds on the Jeju Initiative",
        ),
        (
            "agreement",
            "korea-china-previous-sme-agreement",
            "expires",
            "2024-06",
            "which expired in June 2024",
        ),
        (
            "agreement",
            "korea-china-previous-sme-agreement",
            "status",
            "expired",
            "which expired in June 2024",
        ),
        (
            "agreement",
            "korea-china-previous-sme-agreement",
            "party_countries",
            {"kr", "cn"},
            "The renewed MOU replaces the previous agreement",
        ),
        (
            "agreement",
            "korea-china-previous-sme-agreement",
            "party_countries_inferred",
            True,
            "The renewed MOU replaces the previous agreement",
        ),
        (
            "agreement",
            "korea-china-previous-sme-agreement",
            "ministries",
            set(),
            "The renewed MOU replaces the previous agreement",
        ),
        (
            "agreement",
            "jeju-initiative",
            "kind",
            "declaration",
            "the Jeju Initiative adopted at the 2025 APEC SME Ministers’ Meeting",
        ),
        (
            "agreement",
            "jeju-initiative",
            "signed",
            "2025",
            "adopted at the 2025 APEC SME Ministers’ Meeting",
        ),
        ("agreement", "jeju-initiative", "city", "Jeju", "held in Jeju"),
        (
            "meeting",
            "apec-sme-ministers-meeting-2025",
            "held",
            "2025",
            "the 2025 APEC SME Ministers’ Meeting held in Jeju",
        ),
        ("meeting", "apec-sme-ministers-meeting-2025", "city", "Jeju", "held in Jeju"),
        (
            "meeting",
            "apec-sme-ministers-meeting-2025",
            "related_agreements",
            {"jeju-initiative"},
            "the Jeju Initiative adopted at the 2025 APEC SME Ministers’ Meeting",
        ),
        (
            "meetingparticipant",
            ("apec-sme-ministers-meeting-2025", "organization", "apec"),
            "role",
            "Forum of the meeting",
            "2025 APEC SME Ministers’ Meeting",
        ),
        (
            "council",
            "apec-startup-alliance",
            "established_under",
            "jeju-initiative",
            "which first outlined the creation of the APEC Startup Alliance",
        ),
        (
            "council",
            "apec-startup-alliance",
            "status",
            "forming",
            "As Korea and China prepare for follow-up working programs under the APEC Startup Alliance",
        ),
        (
            "council",
            "apec-startup-alliance",
            "summary",
            Has("government–private platform linking regional startup ecosystems"),
            "a government–private platform linking regional startup ecosystems",
        ),
        (
            "council",
            "apec-startup-alliance",
            "summary",
            Has("cross-border venture investment, market entry pathways and policy alignment"),
            "The alliance aims to facilitate cross-border venture investment, market entry pathways, and policy alignment",
        ),
        (
            "meeting",
            "korea-china-mou-signing",
            "held",
            "2026-01-05 (inferred)",
            "in Beijing on January 5",
        ),
        (
            "meeting",
            "korea-china-mou-signing",
            "venue",
            "Great Hall of the People",
            "at the Great Hall of the People in Beijing",
        ),
        (
            "meeting",
            "korea-china-mou-signing",
            "summary",
            Has("first high-level Korea–China SME dialogue in seven years"),
            "the first high-level Korea–China SME dialogue in seven years",
        ),
        (
            "meeting",
            "korea-china-mou-signing",
            "summary",
            Has("state visit to China"),
            "During President Lee Jae-myung’s state visit to China",
        ),
        (
            "meetingparticipant",
            ("korea-china-mou-signing", "person", "lee-jae-myung"),
            "role",
            "Present at the signing",
            "in the presence of President Lee and President Xi Jinping",
        ),
        (
            "meetingparticipant",
            ("korea-china-mou-signing", "person", "xi-jinping"),
            "role",
            "Present at the signing",
            "in the presence of President Lee and President Xi Jinping",
        ),
        (
            "ministry",
            "miit",
            "acronym",
            "MIIT",
            "the Ministry of Industry and Information Technology (MIIT) of China",
        ),
        ("ministry", "miit", "country", "cn", "(MIIT) of China"),
        (
            "post",
            ("han-seong-sook", "Minister of SMEs and Startups"),
            "ministry",
            "mss",
            "Minister Han Seong-sook of the MSS",
        ),
        (
            "person",
            "han-seong-sook",
            "cites",
            True,
            "This MOU is an important turning point that elevates Korea–China cooperation in SMEs and startups to a higher level through top-level diplomacy.",
        ),
        (
            "post",
            ("lee-jae-myung", "President"),
            "person",
            "lee-jae-myung",
            "President Lee Jae-myung’s state visit",
        ),
        ("post", ("xi-jinping", "President"), "person", "xi-jinping", "President Xi Jinping"),
        (
            "program",
            "startup-centered-economy-strategy",
            "kind",
            "policy",
            "its broader “startup-centered economy” strategy",
        ),
        (
            "alias",
            (
                "agreement",
                "korea-china-sme-innovation-mou-2026",
                "MOU on Cooperation in SMEs and Innovation",
                "en",
            ),
            "kind",
            "description",
            "an MOU on Cooperation in SMEs and Innovation",
        ),
        (
            "organization",
            "apec",
            "kind",
            "international-forum",
            "the 2025 APEC SME Ministers’ Meeting",
        ),
    ),
    STRATEGY: facts(
        ("meeting", "sme-globalization-strategy-meeting", "held", "2024 (inferred)", "On the 20th"),
        (
            "meeting",
            "sme-globalization-strategy-meeting",
            "venue",
            Has("Dongdaemun Design Plaza (DDP) Design Lab"),
            "at the Dongdaemun Design Plaza (DDP) Design Lab in Seoul",
        ),
        (
            "meeting",
            "sme-globalization-strategy-meeting",
            "venue",
            Has("Jung-gu"),
            "at DDP Design Lab in Jung-gu, Seoul",
        ),
        ("meeting", "sme-globalization-strategy-meeting", "city", "Seoul", "Design Lab in Seoul"),
        (
            "meeting",
            "sme-globalization-strategy-meeting",
            "format",
            "hybrid",
            "held this meeting both online and offline",
        ),
        (
            "meeting",
            "sme-globalization-strategy-meeting",
            "presided_by",
            "oh-young-ju",
            "Minister Oh Young-joo of the Ministry of SMEs and Startups is presiding",
        ),
        (
            "meeting",
            "sme-globalization-strategy-meeting",
            "kind",
            "strategy-meeting",
            "the 'SME Globalization Strategy Meeting'",
        ),
        (
            "meeting",
            "sme-globalization-strategy-meeting",
            "summary",
            Has("free discussion"),
            "followed by a free discussion among attendees",
        ),
        (
            "meeting",
            "sme-globalization-strategy-meeting",
            "summary",
            Has("systematic environment for exports"),
            "have established a systematic environment for SMEs’ exports",
        ),
        (
            "meeting",
            "sme-globalization-strategy-meeting",
            "summary",
            Has("private associations voiced concern"),
            "Private associations expressed concerns",
        ),
        (
            "meeting",
            "sme-globalization-strategy-meeting",
            "summary",
            Has(
                "converting domestic companies into export companies, fostering K-export strategic items and expanding export policy infrastructure"
            ),
            "converting domestic companies into export companies, fostering K-export strategic items, and expanding export policy infrastructure",
        ),
        (
            "meeting",
            "sme-globalization-strategy-meeting",
            "cites",
            True,
            "following the inauguration of the second term of the Trump administration",
        ),
        (
            "meetingparticipant",
            ("sme-globalization-strategy-meeting", "ministry", "mss"),
            "role",
            "Held the meeting",
            "the Ministry of SMEs and Startups held the 'SME Globalization Strategy Meeting'",
        ),
        (
            "meetingparticipant",
            ("sme-globalization-strategy-meeting", "person", "oh-young-ju"),
            "role",
            Has("presented"),
            "The meeting began with a presentation by Minister Oh Young-joo",
        ),
        (
            "meetingparticipant",
            ("sme-globalization-strategy-meeting", "person", "hong-jin-wook"),
            "role",
            Has("representing the overseas one-team consultative body"),
            "representing the overseas SME and startup support one-team consultative body",
        ),
        (
            "meetingparticipant",
            ("sme-globalization-strategy-meeting", "person", "hong-jin-wook"),
            "attendance",
            "online",
            "Online, more than 30 participants joined, including Hong Jin-wook",
        ),
        (
            "meetingparticipant",
            ("sme-globalization-strategy-meeting", "organization", "korea-economic-association"),
            "attendance",
            "in-person",
            "On-site, organizations participating in the SME and startup globalization one-team consultative body were present, including SME and startup-related associations and organizations, the Korea Economic Association",
        ),
        (
            "meetingparticipant",
            ("sme-globalization-strategy-meeting", "organization", "kim-chang"),
            "attendance",
            "in-person",
            "Kim & Chang Law Office",
        ),
        (
            "meetingparticipant",
            ("sme-globalization-strategy-meeting", "organization", "law-firm-gwangjang"),
            "attendance",
            "in-person",
            "Law Firm Gwangjang",
        ),
        (
            "meetingparticipant",
            ("sme-globalization-strategy-meeting", "organization", "samil-pwc"),
            "attendance",
            "in-person",
            "and Samil PwC",
        ),
        ("organization", "kim-chang", "kind", "law-firm", "Kim & Chang Law Office"),
        ("organization", "law-firm-gwangjang", "kind", "law-firm", "Law Firm Gwangjang"),
        ("organization", "samil-pwc", "kind", "professional-firm", "Samil PwC"),
        (
            "organization",
            "korea-economic-association",
            "kind",
            "association",
            "the Korea Economic Association",
        ),
        (
            "council",
            "domestic-globalization-support-consultative-body",
            "members",
            {"korea-economic-association", "kim-chang", "law-firm-gwangjang", "samil-pwc"},
            "organizations participating in the SME and startup globalization one-team consultative body",
        ),
        (
            "alias",
            (
                "council",
                "domestic-globalization-support-consultative-body",
                "SME and startup globalization one-team consultative body",
                "en",
            ),
            "kind",
            "description",
            "the SME and startup globalization one-team consultative body",
        ),
        (
            "alias",
            (
                "council",
                "support-council-of-diplomatic-missions",
                "overseas SME and startup support one-team consultative body",
                "en",
            ),
            "kind",
            "description",
            "the overseas SME and startup support one-team consultative body",
        ),
        (
            "metric",
            "strategy-meeting-online-participants",
            "value",
            30,
            "more than 30 participants",
        ),
        (
            "metric",
            "strategy-meeting-online-participants",
            "qualifier",
            "more-than",
            "more than 30 participants",
        ),
        (
            "post",
            ("hong-jin-wook", "Ambassador to Singapore"),
            "organization",
            "embassy-singapore",
            "Hong Jin-wook, Ambassador to Singapore",
        ),
        (
            "alias",
            ("person", "oh-young-ju", "Oh Young-joo", "en"),
            "kind",
            "spelling",
            "Minister Oh Young-joo",
        ),
        (
            "person",
            "oh-young-ju",
            "cites",
            True,
            "This year marks the first year of establishing a systematic infrastructure",
        ),
        (
            "person",
            "oh-young-ju",
            "cites",
            True,
            "we will announce the 2025 SME support projects, including export support projects worth approximately 620 billion KRW",
        ),
        (
            "program",
            "sme-export-support-projects-2025",
            "budget_amount",
            620000000000,
            "export support projects worth approximately 620 billion KRW",
        ),
        (
            "program",
            "sme-export-support-projects-2025",
            "budget_currency",
            "KRW",
            "620 billion KRW",
        ),
        (
            "program",
            "sme-export-support-projects-2025",
            "budget_is_approximate",
            True,
            "approximately 620 billion KRW",
        ),
        (
            "program",
            "sme-export-support-projects-2025",
            "starts",
            "2025",
            "the 2025 SME support projects",
        ),
        (
            "program",
            "sme-export-support-projects-2025",
            "summary",
            Has("high exchange rates"),
            "To respond swiftly to the recent difficulties caused by high exchange rates",
        ),
        (
            "program",
            "sme-globalization-support-measures",
            "starts",
            "2024-05 (inferred)",
            "the announcement of the globalization support measures in May this year",
        ),
    ),
}

ALL_FACTS = [(document, fact) for document, rows in FACTS.items() for fact in rows]
SOURCE_TEXTS = Path(settings.SOURCE_TEXTS_DIR)


def collapse_whitespace(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def find(fact: Fact):
    model = apps.get_model("initiatives", fact.model)
    if isinstance(fact.key, tuple):
        return model.objects.get_by_natural_key(*fact.key)
    return model.objects.get(slug=fact.key)


def key_of(record):
    if hasattr(record, "slug"):
        return record.slug
    if hasattr(record, "code"):
        return record.code
    return record.natural_key()


def plain(value):
    if isinstance(value, PartialDate):
        return value.iso + (" (inferred)" if value.inferred else "")
    if isinstance(value, models.Manager):
        return {key_of(record) for record in value.all()}
    if isinstance(value, models.Model):
        return key_of(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else value
    return value


# Rows that hang off a record, and the field that names it.
HELD_BY = {
    "meetingparticipant": "meeting",
    "post": "person",
    "agreementparty": "agreement",
    "agreementrelation": "from_agreement",
    "supportaction": "case",
    "alias": "arc_target",
}


def holder(record):
    """The record whose citations carry the evidence for a fact about ``record``."""
    name = HELD_BY.get(record._meta.model_name)
    return getattr(record, name) if name else record


@pytest.mark.parametrize(("document", "fact"), ALL_FACTS, ids=lambda v: str(v))
def test_the_document_states_the_fact_and_the_database_records_it(portal_data, document, fact):
    text = collapse_whitespace((SOURCE_TEXTS / f"{document}.txt").read_text("utf-8"))
    assert collapse_whitespace(fact.quote) in text, "the quote is not word for word"
    record = find(fact)
    cited = holder(record).citations.filter(source__slug=document).values_list("quote", flat=True)
    assert any(collapse_whitespace(fact.quote) in collapse_whitespace(q) for q in cited), (
        f"no citation of {document} on {holder(record)} holds the quote"
    )
    if fact.field == "cites":
        return
    value = plain(getattr(record, fact.field))
    if isinstance(fact.expected, Has):
        assert fact.expected in value
    else:
        assert value == fact.expected


def test_every_document_has_its_facts_listed():
    documents = {path.stem for path in SOURCE_TEXTS.glob("*.txt")}
    assert set(FACTS) == documents
    assert all(len(rows) >= 30 for rows in FACTS.values()), {d: len(r) for d, r in FACTS.items()}
