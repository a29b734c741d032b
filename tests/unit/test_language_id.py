"""Language identification of recognised text, restricted to the languages of its script."""

from __future__ import annotations

import pytest

from vidtrace.clues.reading.language_id import (
    SCRIPT_LANGUAGES,
    identify,
    identify_segments,
    language_name,
)

# The sentences of Tesseract's eurotext.tif, as its line breaks leave them.
EUROTEXT = """The (quick) [brown] {fox} jumps!
Over the $43,456.78 <lazy> #90 dog
& duck/goose, as 12.5% of E-mail
from aspammer@website.com is spam.
Der „schnelle” braune Fuchs springt
über den faulen Hund. Le renard brun
«rapide» saute par-dessus le chien
paresseux. La volpe marrone rapida
salta sopra il cane pigro. El zorro
marrón rápido salta sobre el perro
perezoso. A raposa marrom rápida
salta sobre o cão preguiçoso."""


@pytest.mark.parametrize(
    ("text", "script", "language"),
    [
        ("Време је лепо данас.", "Cyrillic", "sr"),
        ("Славянские языки — большая языковая семья.", "Cyrillic", "ru"),
        ("Български език е южнославянски език.", "Cyrillic", "bg"),
        ("Қазақ тілі түркі тілдерінің бірі.", "Cyrillic", "kk"),
        ("امروز هوا خوبه.", "Arabic", "fa"),
        ("العربية هي لغة رسمية في كثير من الدول.", "Arabic", "ar"),
        ("اردو پاکستان کی قومی زبان ہے۔", "Arabic", "ur"),
        ("आज मौसम अच्छा है।", "Devanagari", "hi"),
        ("माझे नाव राम आहे आणि मी पुण्यात राहतो.", "Devanagari", "mr"),
        ("இன்னைக்கு வானிலை ரொம்ப நல்லா இருக்கு.", "Tamil", "ta"),
        ("ఈరోజు వాతావరణం చాలా బాగుంది.", "Telugu", "te"),
        ("Ωραίος καιρός σήμερα.", "Greek", "el"),
        ("การแพทย์แผนจีนช่วยให้เด็กสมองพิการในคาซัคสถานกลับมาเดินได้", "Thai", "th"),
        ("עברית היא שפה שמית", "Hebrew", "he"),
        ("今日は天気がいいです", "Japanese", "ja"),
        ("今天天气很好", "HanS", "zh"),
        ("안녕하세요", "Hangul", "ko"),
        ("Die Apotheke ist heute geschlossen.", "Latin", "de"),
        ("Nederlands is een West-Germaanse taal.", "Latin", "nl"),
        ("Polski jest językiem zachodniosłowiańskim.", "Latin", "pl"),
        ("Türkçe bir Türk dilidir ve resmi dildir.", "Latin", "tr"),
    ],
)
def test_identifies_the_language_among_those_of_the_script(
    text: str, script: str, language: str
) -> None:
    guess = identify(text, script)
    assert guess is not None
    assert guess.language == language
    assert 0.6 <= guess.probability <= 1.0


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Ћерка иде у школу.", "sr"),  # ћ: only Serbian
        ("Добрий день, як справи? Їжа готова.", "uk"),  # ї
        ("Македонскиот јазик е јужнословенски, ќе видиме.", "mk"),  # ќ
        ("Беларуская мова ўваходзіць у групу.", "be"),  # ў
    ],
)
def test_letters_only_one_language_writes_decide(text: str, language: str) -> None:
    guess = identify(text, "Cyrillic")
    assert guess is not None
    assert (guess.language, guess.probability) == (language, pytest.approx(1.0))


def test_codes_are_cldrs() -> None:
    norwegian = identify("Norsk er et nordgermansk språk som snakkes i Norge.", "Latin")
    tagalog = identify("Ang wikang Tagalog ay isa sa mga pangunahing wika ng Pilipinas.", "Latin")
    assert norwegian is not None and norwegian.language == "nb"
    assert tagalog is not None and tagalog.language == "fil"


def test_a_script_of_one_language_settles_it() -> None:
    assert identify("ภาษาไทย", "Thai") == identify("การแพทย์", "Thai")
    guess = identify("καιρός", "Greek")
    assert guess is not None and (guess.language, guess.probability) == ("el", 1.0)


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("", "Latin"),
        ("12345 678, 90 %", "Latin"),  # no letters
        ("Hallo", "Latin"),  # too short to tell the Latin-script languages apart
        ("AIBUNNEUNUAUAIWMNaANAVIANISueIaAdNIUAaLNIAUIO", "Latin"),  # letter soup from OCR
        ("Hello, this is a sentence.", "Klingon"),  # a script with no known languages
        ("ก", "Thai"),
    ],
)
def test_nothing_when_unsure(text: str, script: str) -> None:
    assert identify(text, script) is None


def test_web_and_mail_addresses_and_numbers_say_nothing() -> None:
    assert identify("www.example.com info@example.com 0800 123 456", "Latin") is None


def test_every_tesseract_script_model_has_languages() -> None:
    for model in ("Latin", "Cyrillic", "Devanagari", "Tamil", "Telugu", "Arabic", "Greek"):
        assert SCRIPT_LANGUAGES[model]
    for model in ("Thai", "Hebrew", "HanS", "Japanese", "Hangul", "Bengali"):
        assert SCRIPT_LANGUAGES[model]


def test_a_mixed_page_gives_each_sentences_language_in_order() -> None:
    segments = identify_segments(EUROTEXT, "Latin")
    assert [s.language for s in segments] == ["en", "de", "fr", "it", "es", "pt"]
    assert all(s.probability > 0.9 for s in segments)
    assert segments[1].text == "Der „schnelle” braune Fuchs springt über den faulen Hund."
    for segment in segments:  # offsets point into the text given
        assert " ".join(EUROTEXT[segment.start : segment.end].split()) == segment.text


def test_sentences_in_one_language_join_and_short_ones_join_their_neighbours() -> None:
    text = "Die Apotheke ist geöffnet. Tel. 12 34. Bitte klingeln Sie an der Tür."
    (segment,) = identify_segments(text, "Latin")
    assert (segment.language, segment.start, segment.end) == ("de", 0, len(text))
    label = "Öffnungszeiten.\n\nDie Apotheke ist heute bis acht Uhr geöffnet."
    assert [s.language for s in identify_segments(label, "Latin")] == ["de"]


def test_lines_too_short_alone_are_identified_together() -> None:
    # Neither line names Serbian alone ("отворена сутра" reads as Bulgarian); together, ћ does.
    (segment,) = identify_segments("Апотека ће бити\n\nотворена сутра", "Cyrillic")
    assert (segment.language, segment.text) == ("sr", "Апотека ће бити отворена сутра")


def test_unsure_text_is_one_segment_without_language() -> None:
    (segment,) = identify_segments("12:45\n\nAB-204", "Latin")
    assert (segment.language, segment.probability, segment.text) == (None, 0.0, "12:45 AB-204")
    assert identify_segments("", "Latin") == []
    assert identify_segments("  \n ", "Latin") == []


def test_paragraphs_are_identified_apart() -> None:
    text = "Die Apotheke ist heute geschlossen\n\nThe pharmacy is closed today"
    assert [s.language for s in identify_segments(text, "Latin")] == ["de", "en"]


def test_language_names_in_english() -> None:
    assert [language_name(c) for c in ("sr", "fa", "fil", "zz")] == [
        "Serbian",
        "Persian",
        "Filipino",
        "zz",
    ]
