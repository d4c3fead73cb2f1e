"""Main-story detection on the seeds and on pages written for these tests."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from graph.ingest import IngestOptions, read_bytes
from graph.ingest.boilerplate import _CMS_TOKEN, split_page
from graph.model import Document

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

PAGE = """We use cookies to improve your experience on our website and to show you relevant advertising.
Home | World | Business | Tech | Sign in
Flood warnings issued across northern Vietnam as rivers rise
By Jane Doe
Updated 5 hours ago

HANOI - Authorities in northern Vietnam ordered the evacuation of 12,000 residents on Tuesday as heavy rain pushed the Red River close to record levels.
The national weather agency said more rain was expected in the provinces of Lao Cai and Yen Bai over the next three days.
Advertisement
Officials said soldiers had been sent to reinforce dykes around Hanoi, where the river rose by two metres overnight.
Rescue teams and boats
Vietnam's disaster agency said 14 people had died in landslides since the weekend.
Victims were told to download the app of the weather agency and sign up for text alerts.
Read more: Typhoon season arrives early in the region
The government has set aside emergency funds for the worst-hit districts, the agency said.
Share this article on Facebook
Source: Reuters
#Vietnam #floods #weather

Read more

Chile elects new central bank governor
2 hours ago
Chile's senate on Monday confirmed economist Rosa Alvarado as governor of the central bank, the first woman in the post. She promised to keep inflation under control and to defend the independence of the bank from political pressure in a difficult year.

Ghana cocoa farmers protest over prices
Ghana's cocoa farmers marched through Accra on Saturday to demand higher prices from the state buyer. Farmers' unions said smuggling to neighbouring countries would grow unless prices rose, while the regulator said it had no money for an increase this season.

© 2025 Example Media. All rights reserved.
Follow us on Facebook and Instagram
"""


def test_main_story_of_a_written_page() -> None:
    page = split_page(PAGE)
    main = page.main.text
    assert main.startswith("HANOI - Authorities")
    for kept in ("reinforce dykes around Hanoi", "14 people had died", "download the app of the weather agency",
                 "emergency funds for the worst-hit districts"):
        assert kept in main, kept
    for gone in ("Advertisement", "Read more", "Share this", "Source: Reuters", "#Vietnam", "Jane Doe",
                 "Rosa Alvarado", "Accra", "All rights reserved", "Sign in", "hours ago", "Rescue teams and boats", "cookies"):
        assert gone not in main, gone
    assert page.main.title == "Flood warnings issued across northern Vietnam as rivers rise"
    assert [s.title for s in page.related] == [
        "Chile elects new central bank governor",
        "Ghana cocoa farmers protest over prices",
    ]
    assert "Rosa Alvarado" in page.related[0].text and "Accra" not in page.related[0].text
    assert "Accra" in page.related[1].text
    for dropped in ("By Jane Doe", "Advertisement", "Source: Reuters", "Follow us on Facebook and Instagram"):
        assert dropped in page.dropped


def test_main_story_is_before_the_marker_even_when_shorter() -> None:
    main = ("The city council of Lyon approved a new tram line on Monday after two years of debate among residents. "
            "Construction will start in the spring and the line should open in 2028, the mayor said.")
    other = " ".join(["Farmers in Kenya reported a strong harvest of tea and coffee this season, the ministry said."] * 6)
    page = split_page(f"{main}\n\nMore stories\n\nKenya harvest is strong\n{other}\n")
    assert page.main.text == main
    assert len(page.related) == 1 and page.related[0].title == "Kenya harvest is strong"


def test_without_markers_the_longest_block_wins() -> None:
    teaser = "A short teaser about a football match in Madrid that ended in a draw on Sunday night."
    story = "\n".join(
        f"Paragraph {i} of the main story says the port of Durban reopened after a strike by dock workers."
        for i in range(5)
    )
    furniture = "Sport\nMost viewed\nWeather\nNewsletters"
    page = split_page(f"{teaser}\n{furniture}\n{story}\nTerms of use\nPrivacy\nContact us\n")
    assert page.main.text == story
    assert page.related == []  # the teaser is too short to be a story of its own
    assert teaser in page.dropped


def test_menu_marker_above_the_story_is_not_a_section() -> None:
    story = "Officials in Lagos said the new bridge would open in March after years of delays and cost overruns."
    page = split_page(f"Trending\nMost read\nNigeria's new bridge opens\n{story}\n")
    assert page.main.text == story and page.main.title == "Nigeria's new bridge opens"


def test_text_without_prose_is_kept_as_it_is() -> None:
    notes = "Suspects\nJohn Smith\nAcme Trading Ltd\nPhnom Penh"
    assert split_page(notes).main.text == notes
    assert split_page(notes).dropped == []


def test_short_plain_sentences_are_kept() -> None:
    text = "Amnesty accused Cambodia of complicity.\nThailand closed its border."
    assert split_page(text).main.text == text


def test_trailing_call_to_action_in_the_last_line_is_cut() -> None:
    line = ("Officials in Dhaka said the ferry sank in the Meghna river with about 80 passengers on board on Sunday. "
            "REUTERS Join our WhatsApp channel and get the latest news delivered to you.")
    page = split_page(line)
    assert page.main.text.endswith("on board on Sunday.")
    assert any("WhatsApp" in d for d in page.dropped)


def _seed(name: str, keep_related: bool = False) -> list[Document]:
    path = next(SEEDS.glob(name + "*"))
    items = read_bytes(path.read_bytes(), path.name, str(path), IngestOptions(keep_related=keep_related), ".txt")
    return [d for d in items if isinstance(d, Document)]


def test_seed_004_main_story_only_by_default() -> None:
    (doc,) = _seed("004")
    assert doc.text.startswith("BANGKOK")
    assert doc.text.endswith("escaped after hiding in a hospital.")
    for gone in ("Serbia", "Japan's justice", "Congo", "[[nid:", "AsiaOne", "Comments", "DOWNLOAD", "Daily8"):
        assert gone not in doc.text, gone
    assert doc.title == "Amnesty says Cambodia is enabling brutal scam industry, Asia News"
    assert any("Serbia" in d for d in doc.dropped) and "[[nid:719444]]" in doc.dropped


def test_seed_004_related_stories_are_own_documents() -> None:
    main, *related = _seed("004", keep_related=True)
    assert [d.key for d in related] == [f"{main.key}#related-{n}" for n in (1, 2, 3)]
    assert all(d.parent == main.id and d.source == main.source for d in related)
    assert "Vucic" in related[0].text and "Hakamada" in related[1].text and "Kagame" in related[2].text
    assert not any("Join ST's Telegram" in d.text for d in related)
    assert "Serbia" not in main.text and not any("Vucic" in d for d in main.dropped)


def test_seed_000_source_line_and_hashtags_dropped() -> None:
    (doc,) = _seed("000")
    assert doc.text.startswith("Cambodia’s online scamming industry")
    assert doc.text.endswith("enslavement and torture and other ill-treatment.")
    assert "rfa.org" not in doc.text and "#Amnesty" not in doc.text and "Edited by" not in doc.text
    assert "Almost all the scam center workers" in doc.text  # the paragraph after a sub-heading
    assert set(doc.dropped) >= {"Human trafficking", "State complicity", "rfa.org (Article Sourced Website)"}


def test_keep_boilerplate_option_keeps_every_line() -> None:
    path = next(SEEDS.glob("004*"))
    (doc,) = read_bytes(path.read_bytes(), "k", "p", IngestOptions(boilerplate=False), ".txt")
    assert "Serbia" in doc.text and "[[nid:719444]]" in doc.text


def test_runs_of_short_sentences_stay_in_the_story() -> None:
    text = (
        "Prosecutors in Madrid charged the former minister Luis Ortega with fraud on Wednesday, the court said.\n"
        '"I am innocent," he said.\nHe denied everything.\nHis lawyer agreed.\nThe case goes on.\n'
        "The court will hear the first witnesses in Madrid next month, according to the prosecutors' office.\n"
        "Reporting by Ana Ruiz; Editing by Tom Hale\n"
    )
    page = split_page(text)
    assert "He denied everything.\nHis lawyer agreed." in page.main.text
    assert page.main.text.endswith("according to the prosecutors' office.")
    assert "Reporting by Ana Ruiz; Editing by Tom Hale" in page.dropped


_LINES = [
    "Related Articles", "Read more", "3 days ago", "[[nid:123]]", "Comments", "#a #b #c", "By Jo Bloggs",
    "Short heading line here", "He denied it.", "",
    "Officials in Lima said the new highway to the coast would open next year after long delays.",
    "The ministry said the contract was worth 300 million dollars and had been signed in March this year.",
    "Farmers in the valley of the river said that the drought had destroyed most of their crops this year.",
]


@settings(max_examples=200, deadline=None)
@example([_LINES[10], _LINES[10], "Related Articles", _LINES[10], _LINES[10]])  # a page repeating its story
@given(st.lists(st.sampled_from(_LINES) | st.text(max_size=80).map(lambda t: t.replace("\n", " ")), max_size=30))
def test_split_page_invariants(lines: list[str]) -> None:
    text = "\n".join(lines)
    page = split_page(text)
    stories = [page.main, *page.related]
    source_lines = {line.strip() for line in lines}
    for story in stories:
        for line in story.text.split("\n"):
            if line.strip() and not _CMS_TOKEN.search(text):
                assert line.strip() in source_lines or line.strip() in text
    # no line is copied into two stories: each appears at most as often as in the page
    # (a related story may repeat the main one's text only where the page itself does)
    source_counts = Counter(line.strip() for line in text.split("\n"))
    story_counts = Counter(line.strip() for story in stories for line in story.text.split("\n") if line.strip())
    for line, count in story_counts.items():
        if not _CMS_TOKEN.search(text):
            assert count <= source_counts[line], line
    assert split_page(text) == page  # deterministic


def test_news_about_privacy_is_not_furniture() -> None:
    text = ("Regulators in Dublin fined the company 50 million euros after it changed its privacy policy "
            "without telling users, the data protection commission said.\nPrivacy Policy\nTerms of Use\n")
    page = split_page(text)
    assert "changed its privacy policy" in page.main.text
    assert page.dropped == ["Privacy Policy", "Terms of Use"]


_BEFORE_BOX = (
    "PHNOM PENH - Cambodian police raided a scam compound in Sihanoukville on Tuesday and detained 300 foreign "
    "workers, officials said.\nThe raid followed complaints from Indonesian and Thai embassies about citizens "
    "held against their will in Sihanoukville."
)
_BOX = "Related Articles\nThailand cuts power to border towns\nMyanmar junta vows crackdown on scam hubs"
_AFTER_BOX = (
    "Police spokesman Chhay Kim Khoeun said the workers from Indonesia and Thailand would be handed to their "
    "embassies in Phnom Penh.\nThe Cambodian government has faced pressure from Thailand and China to shut "
    "down the Sihanoukville compounds, which the United Nations says hold tens of thousands of people."
)


def test_a_box_in_the_middle_of_the_story_does_not_cut_it() -> None:
    page = split_page(f"{_BEFORE_BOX}\n\n{_BOX}\n\n{_AFTER_BOX}\n")
    assert page.main.text.startswith("PHNOM PENH") and page.main.text.endswith("tens of thousands of people.")
    assert "Related Articles" in page.dropped and "Thailand cuts power to border towns" in page.dropped
    assert "Related Articles" not in page.main.text and page.related == []


def test_other_stories_after_a_marker_stay_apart() -> None:
    # two paragraphs, but about other people and places: another story
    other = (
        "Kenyan farmers in Nakuru said heavy rains had ruined much of the maize harvest this season, the ministry said.\n"
        "The Agriculture Ministry in Nairobi promised seed and fertiliser to farmers in Nakuru and Eldoret next month."
    )
    page = split_page(f"{_BEFORE_BOX}\n\n{_BOX}\n\n{other}\n")
    assert page.main.text == _BEFORE_BOX
    assert [s.text for s in page.related] == [other]
    # one teaser paragraph on the same topic: still another story
    teaser = _AFTER_BOX.split("\n")[1]
    page = split_page(f"{_BEFORE_BOX}\n\n{_BOX}\n\n{teaser}\n")
    assert page.main.text == _BEFORE_BOX
