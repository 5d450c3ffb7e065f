"""Reading files into document texts: encodings, line breaks, HTML, metadata, folders."""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import random
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core import corpus
from annotator.core.corpus import (
    CorpusError,
    SkippedFile,
    SourceText,
    decode_bytes,
    iso_date,
    normalise_text,
    read_file,
    read_paths,
    text_sha256,
)
from annotator.core.formats import registry

RUSSIAN = """\
Министерство иностранных дел России заявило в четверг, что мирные переговоры между \
Арменией и Азербайджаном должны продолжиться в ближайшее время. По словам официального \
представителя ведомства, проект соглашения, парафированный в марте, остаётся основой для \
дальнейших обсуждений.

«Мы готовы предоставить площадку для встречи министров», — сказала она журналистам. \
Эксперты отмечают, что позиции сторон по вопросам границы и конституционных поправок \
по-прежнему расходятся; окончательное решение не принято.

Совместная комиссия соберётся снова после лета. Ожидается, что её члены представят \
график делимитации оставшихся участков границы."""

FRENCH = """\
Le ministre des Affaires étrangères a déclaré jeudi que les négociations de paix devaient \
reprendre « dès que possible ». Selon lui, le projet d'accord, paraphé en mars, reste la \
base de toute discussion sérieuse.

Les observateurs soulignent néanmoins que les deux capitales n'ont pas encore tranché la \
question des frontières, ni celle du désenclavement économique de la région. « Ça prendra \
du temps », a reconnu un diplomate à Genève, où l'on reste très prudent."""

GERMAN = """\
Der Außenminister erklärte am Donnerstag, die Friedensgespräche müssten so bald wie möglich \
fortgesetzt werden. Über den Entwurf des Abkommens, der im März paraphiert wurde, herrsche \
grundsätzlich Einigkeit.

Beobachter weisen jedoch darauf hin, dass die Grenzfragen noch ungelöst seien und die \
wirtschaftliche Öffnung der Region nur schrittweise gelingen könne. Größere Schritte seien \
erst nach den Wahlen zu erwarten, hieß es in Brüssel."""

ARMENIAN_AND_EMOJI = "Հայաստանի արտաքին գործերի նախարարություն 🇦🇲 — խաղաղություն 🕊️ and 😀 𝄞"

NEWS_PAGE = """\
<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Talks to resume in May, ministry says | The Caucasus Monitor</title>
<meta property="og:title" content="Talks to resume in May, ministry says">
<meta name="author" content="Anna Petrosyan">
<meta property="article:published_time" content="2025-05-20T09:30:00+04:00">
<meta property="og:url" content="https://monitor.example.org/2025/05/20/talks-resume">
<meta name="viewport" content="width=device-width, initial-scale=1">
</head>
<body>
<div class="cookie-banner" id="cookie-consent">
  <p>We use cookies to improve your experience. By continuing to browse you accept our
  cookie policy.</p><button>Accept all cookies</button>
</div>
<header class="site-header">
  <a class="logo" href="/">The Caucasus Monitor</a>
  <nav class="main-nav"><ul>
    <li><a href="/politics">Politics</a></li><li><a href="/economy">Economy</a></li>
    <li><a href="/culture">Culture and Society</a></li>
    <li><a href="/subscribe">Subscribe to our newsletter</a></li>
  </ul></nav>
</header>
<main>
<article>
  <h1>Talks to resume in May, ministry says</h1>
  <div class="share-buttons"><a href="#">Share on Facebook</a> <a href="#">Share on X</a>
  <a href="#">Email this article</a></div>
  <p>The Ministry of Foreign Affairs said on Thursday that the peace talks would resume in
  May, after a pause of almost two months caused by disagreements over the wording of the
  draft.</p>
  <p>According to the spokesperson, the draft agreement initialled in March remains the basis
  for any further discussion. "We are ready to host the ministers," she told reporters.</p>
  <p>Observers note that the two capitals have not yet settled the question of the border,
  nor that of the constitutional amendment demanded by one side. Trade routes through the
  region were discussed at length, but no decision was taken.</p>
  <p>A joint commission will meet again after the summer, and its members are expected to
  present a timetable for the demarcation of the remaining sections.</p>
</article>
<aside class="related"><h3>Related stories</h3><ul>
  <li><a href="/a">Border commission meets in Tbilisi</a></li>
  <li><a href="/b">Opinion: why the draft matters</a></li></ul></aside>
</main>
<footer><p>© 2025 The Caucasus Monitor. All rights reserved.</p>
<p><a href="/privacy">Privacy policy</a> | <a href="/terms">Terms of use</a></p></footer>
</body>
</html>
"""

ARTICLE_SENTENCES = [
    "The Ministry of Foreign Affairs said on Thursday that the peace talks would resume",
    "the draft agreement initialled in March remains the basis",
    "Trade routes through the region were discussed at length",
    "present a timetable for the demarcation of the remaining sections.",
]
BOILERPLATE = [
    "cookie",
    "Subscribe",
    "Politics",
    "Culture and Society",
    "Share on Facebook",
    "Email this article",
    "Related stories",
    "Border commission meets",
    "All rights reserved",
    "Privacy policy",
]


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def html_page(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body><article>{body}</article></body></html>"


# --- normalisation ----------------------------------------------------------------------


def test_line_breaks_become_newlines() -> None:
    assert normalise_text("one\r\ntwo\rthree\nfour") == "one\ntwo\nthree\nfour"
    assert normalise_text("a\r\n\r\nb") == "a\n\nb"
    assert normalise_text("a\u2028b\u2029c\x85d") == "a\nb\nc\nd"


def test_trailing_whitespace_goes_everything_else_stays() -> None:
    raw = "\ufeff  indented\tand  spaced\n\n\tline \n \n\t "
    assert normalise_text(raw) == "  indented\tand  spaced\n\n\tline"


def test_nfc_composes_decomposed_letters() -> None:
    decomposed = "Cafe\u0301 de\u0301ja\u0300"
    text = normalise_text(decomposed)
    assert text == "Café déjà"
    assert len(text) == 9
    assert text_sha256(text) == hashlib.sha256("Café déjà".encode()).hexdigest()


@given(st.text())
def test_normalising_twice_changes_nothing(raw: str) -> None:
    once = normalise_text(raw)
    assert normalise_text(once) == once
    assert "\r" not in once
    assert unicodedata.is_normalized("NFC", once)


# --- encodings ----------------------------------------------------------------------------

ENCODED = [
    pytest.param(RUSSIAN.encode("utf-8"), RUSSIAN, id="utf-8"),
    pytest.param(codecs.BOM_UTF8 + FRENCH.encode("utf-8"), FRENCH, id="utf-8-bom"),
    pytest.param(codecs.BOM_UTF16_LE + RUSSIAN.encode("utf-16-le"), RUSSIAN, id="utf-16-le"),
    pytest.param(codecs.BOM_UTF16_BE + GERMAN.encode("utf-16-be"), GERMAN, id="utf-16-be"),
    pytest.param(FRENCH.encode("utf-16-le"), FRENCH, id="utf-16-le-no-bom"),
    pytest.param(RUSSIAN.encode("utf-16-be"), RUSSIAN, id="utf-16-be-no-bom-cyrillic"),
    pytest.param(
        codecs.BOM_UTF16_LE + ARMENIAN_AND_EMOJI.encode("utf-16-le"),
        ARMENIAN_AND_EMOJI,
        id="utf-16-astral",
    ),
    pytest.param(ARMENIAN_AND_EMOJI.encode("utf-8"), ARMENIAN_AND_EMOJI, id="armenian-emoji"),
    pytest.param(RUSSIAN.encode("cp1251"), RUSSIAN, id="cp1251-paragraphs"),
    pytest.param(FRENCH.encode("latin-1"), FRENCH, id="latin-1-french"),
    pytest.param(GERMAN.encode("latin-1"), GERMAN, id="latin-1-german"),
    pytest.param(
        "Il a dit “bonjour” – ça coûte 5 €… C’est tout.".encode("cp1252"),
        "Il a dit “bonjour” – ça coûte 5 €… C’est tout.",
        id="cp1252-quotes-euro",
    ),
]


@pytest.mark.parametrize(("data", "expected"), ENCODED)
def test_each_encoding_decodes_to_the_original(tmp_path: Path, data: bytes, expected: str) -> None:
    assert decode_bytes(data, name="doc.txt") == expected
    document = read_file(write(tmp_path, "doc.txt", data))
    assert document.text == expected
    assert document.sha256 == hashlib.sha256(expected.encode("utf-8")).hexdigest()


# Short texts: charset-normalizer alone rates several code pages equally here and picks
# cp1250 for French and Portuguese, Shift-JIS for capitals in Russian, Big5 for "Москва".
SHORT_LEGACY = [
    ("Déjà vu à Paris", "latin-1"),
    ("L'été dernier, le gouvernement a présenté un projet de loi très controversé.", "latin-1"),
    ("O ministro das Relações Exteriores afirmou que as negociações não param.", "latin-1"),
    (
        "Die Crème brûlée war ausgezeichnet, sagte der Koch. Über Preise sprach man nicht.",
        "latin-1",
    ),
    ("Il ministro ha dichiarato giovedì che la città è divisa.", "latin-1"),
    ("Straße", "latin-1"),
    ("ЗАЯВЛЕНИЕ МИД РОССИИ О ПЕРЕГОВОРАХ", "cp1251"),
    ("Москва", "cp1251"),
    ("Да, конечно", "cp1251"),
    ("Привет, как дела? Всё хорошо.", "cp1251"),
    ("Міністерство закордонних справ України заявило, що переговори тривають.", "cp1251"),
]
# Other code pages are not promised, but preferring Western and Cyrillic ones must not
# break what the detector gets right.
OTHER_LEGACY = [
    ("Minister spraw zagranicznych oświadczył w czwartek, że rozmowy będą wznowione.", "cp1250"),
    ("Ministr zahraničí ve čtvrtek prohlásil, že mírové rozhovory by měly být obnoveny.", "cp1250"),
    (
        "A külügyminiszter csütörtökön kijelentette, hogy a tárgyalásokat mielőbb folytatni kell.",
        "cp1250",
    ),
    ("Ο υπουργός Εξωτερικών δήλωσε ότι οι συνομιλίες πρέπει να συνεχιστούν.", "cp1253"),
    ("Dışişleri Bakanı barış görüşmelerinin bir an önce başlaması gerektiğini söyledi.", "cp1254"),
]


@pytest.mark.parametrize(("text", "encoding"), SHORT_LEGACY + OTHER_LEGACY)
def test_short_legacy_texts(text: str, encoding: str) -> None:
    assert decode_bytes(text.encode(encoding), name="short.txt") == text


def test_invalid_utf8_after_a_bom_is_an_error() -> None:
    with pytest.raises(CorpusError, match=r"^bad\.txt: not valid UTF-8"):
        decode_bytes(codecs.BOM_UTF8 + b"ok \xff\xfe broken", name="bad.txt")


def test_binary_data_is_refused() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4
    noise = random.Random(1).randbytes(4000).replace(b"\x00", b"\x01")
    nul_separated = b"hello\x00world " * 300  # zeros in one lane, like UTF-16, but not text
    for data in (png, noise, nul_separated,
                 b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nstream\x00\x00\x9c"):  # fmt: skip
        with pytest.raises(CorpusError, match="looks like a binary file, not text"):
            decode_bytes(data, name="scan.txt")


# --- files --------------------------------------------------------------------------------


def test_text_file_title_comes_from_the_file_name(tmp_path: Path) -> None:
    document = read_file(write(tmp_path, "ratelle_interview-2025.txt", "Hello.\r\n"))
    assert document == SourceText(
        path=tmp_path / "ratelle_interview-2025.txt",
        title="ratelle interview 2025",
        text="Hello.",
        sha256=text_sha256("Hello."),
    )


def test_explicit_metadata_wins(tmp_path: Path) -> None:
    path = write(tmp_path, "a.md", "---\ntitle: Own title\nauthor: Own author\n---\nText.")
    document = read_file(path, {"title": "Manifest title", "date": "20.05.2025", "url": "x:y"})
    assert (document.title, document.author, document.date, document.source) == (
        "Manifest title",
        "Own author",
        "2025-05-20",
        "x:y",
    )


def test_error_messages_name_the_file(tmp_path: Path) -> None:
    cases = {
        "report.odt": (
            b"PK\x03\x04",
            "report.odt: not a supported document type (.txt, .md, .html, .docx, .pdf)",
        ),
        "empty.txt": (b"", "empty.txt: the file is empty"),
        "blank.txt": (b" \r\n\t\n", "blank.txt: the file is empty"),
        "scan.txt": (b"\x00\x01\x02\x03" * 50, "scan.txt: looks like a binary file, not text"),
    }
    for name, (content, message) in cases.items():
        with pytest.raises(CorpusError) as caught:
            read_file(write(tmp_path, name, content))
        assert str(caught.value) == message
        assert "\n" not in str(caught.value)


def test_corpus_error_survives_pickling() -> None:
    import pickle

    error = pickle.loads(pickle.dumps(CorpusError("a.txt", "the file is empty")))
    assert (str(error), error.name, error.reason) == (
        "a.txt: the file is empty",
        "a.txt",
        "the file is empty",
    )


def test_size_is_checked_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "huge.txt", "x" * 5000)
    monkeypatch.setattr(corpus, "MAX_FILE_BYTES", 1024)

    def refuse(self: Path) -> bytes:
        raise AssertionError("read before checking the size")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(CorpusError, match=r"^huge\.txt: the file is too large \(0 MB; the limit"):
        read_file(path)


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "secret.txt", "text")

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(CorpusError, match=r"^secret\.txt: cannot be read \(permission denied\)$"):
        read_file(path)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads all")
def test_unreadable_file_for_real(tmp_path: Path) -> None:
    path = write(tmp_path, "secret.txt", "text")
    path.chmod(0)
    try:
        assert list(read_paths([tmp_path])) == [
            SkippedFile(path, "cannot be read (permission denied)")
        ]
    finally:
        path.chmod(0o600)


# --- Markdown -----------------------------------------------------------------------------


def test_markdown_front_matter_is_metadata_and_leaves_the_text(tmp_path: Path) -> None:
    source = (
        "---\n"
        'title: "Ceasefire: a timeline"\n'
        "author: Jane Roe\n"
        "date: May 20, 2025\n"
        "source: https://example.org/timeline\n"
        "language: en\n"
        "tags: ignored\n"
        "---\n\n"
        "# Heading that is not the title\n\n"
        "Some *emphasis* and a [link](https://example.org).\n"
    )
    document = read_file(write(tmp_path, "timeline.md", source))
    assert document.text == (
        "# Heading that is not the title\n\nSome *emphasis* and a [link](https://example.org)."
    )
    assert document.title == "Ceasefire: a timeline"
    assert document.author == "Jane Roe"
    assert document.date == "2025-05-20"
    assert document.source == "https://example.org/timeline"
    assert document.language == "en"


def test_markdown_title_from_first_level_one_heading(tmp_path: Path) -> None:
    source = "Intro line.\n\n## Not this\n\n# The Title #\n\nBody.\n"
    document = read_file(write(tmp_path, "notes.markdown", source))
    assert document.title == "The Title"
    assert document.text == source.rstrip()


def test_markdown_with_only_front_matter_has_no_text(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match=r"^meta\.md: no text besides its front matter$"):
        read_file(write(tmp_path, "meta.md", "---\ntitle: Only this\n---\n\n"))


def test_markdown_without_closing_front_matter_keeps_everything(tmp_path: Path) -> None:
    source = "---\ntitle: never closed\n\nBody."
    document = read_file(write(tmp_path, "open.md", source))
    assert document.text == source
    assert document.title == "open"


# --- HTML ---------------------------------------------------------------------------------


def test_html_keeps_the_article_and_drops_the_page_around_it(tmp_path: Path) -> None:
    document = read_file(write(tmp_path, "talks.html", NEWS_PAGE))
    for sentence in ARTICLE_SENTENCES:
        assert sentence in " ".join(document.text.split())
    for noise in BOILERPLATE:
        assert noise not in document.text
    assert document.title == "Talks to resume in May, ministry says"
    assert document.author == "Anna Petrosyan"
    assert document.date == "2025-05-20"
    assert document.source == "https://monitor.example.org/2025/05/20/talks-resume"
    assert document.language == "en-GB"
    assert document.text == normalise_text(document.text)


@pytest.mark.parametrize(
    ("declared", "encoding", "text"),
    [
        ("windows-1251", "cp1251", RUSSIAN),
        ("iso-8859-1", "latin-1", FRENCH),
        ("utf-8", "cp1251", RUSSIAN),  # a wrong label: the bytes are not UTF-8
    ],
)
def test_html_respects_the_declared_charset(
    tmp_path: Path, declared: str, encoding: str, text: str
) -> None:
    paragraphs = "".join(f"<p>{paragraph}</p>" for paragraph in text.split("\n\n"))
    head = f'<meta http-equiv="Content-Type" content="text/html; charset={declared}">'
    page = html_page(paragraphs, head).encode(encoding)
    document = read_file(write(tmp_path, "page.htm", page))
    assert " ".join(document.text.split()) == " ".join(text.split())


def test_xhtml_declares_its_encoding_in_the_xml_prolog(tmp_path: Path) -> None:
    page = (
        '<?xml version="1.0" encoding="windows-1251"?>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" lang="ru"><head><title>Тест</title></head>'
        f"<body><article><p>{RUSSIAN.split(chr(10) * 2)[0]}</p></article></body></html>"
    )
    document = read_file(write(tmp_path, "page.html", page.encode("cp1251")))
    assert document.text == " ".join(RUSSIAN.split("\n\n")[0].split())
    assert (document.title, document.language) == ("Тест", "ru")


def test_html_meta_tags_fill_in_what_trafilatura_misses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import trafilatura

    class Bare:
        text = "The article."
        title = author = date = url = None

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *args, **kwargs: Bare())
    head = (
        "<title>Page title</title>"
        '<meta name="author" content="A. Writer">'
        '<meta name="date" content="2025-05-20T10:00:00Z">'
        '<link rel="canonical" href="https://example.org/a">'
        '<meta property="og:locale" content="fr_FR">'
    )
    document = read_file(write(tmp_path, "page.html", html_page("<p>x</p>", head)))
    assert (document.title, document.author, document.date) == (
        "Page title",
        "A. Writer",
        "2025-05-20",
    )
    assert (document.source, document.language, document.text) == (
        "https://example.org/a",
        "fr-FR",
        "The article.",
    )


def test_html_without_article_text_is_an_error(tmp_path: Path) -> None:
    page = "<html><head><title>Empty</title></head><body><script>x()</script></body></html>"
    with pytest.raises(CorpusError, match=r"^empty\.html: no article text found in the page$"):
        read_file(write(tmp_path, "empty.html", page))


# --- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2025-05-20", "2025-05-20"),
        ("2025-05-20T09:30:00+04:00", "2025-05-20"),
        ("2025/5/2", "2025-05-02"),
        ("20.05.2025", "2025-05-20"),
        ("20/05/2025", "2025-05-20"),
        ("05/20/2025", "2025-05-20"),
        ("05/06/2025", "05/06/2025"),
        ("20 May 2025", "2025-05-20"),
        ("3rd Sept. 2024", "2024-09-03"),
        ("May 20, 2025", "2025-05-20"),
        ("spring 2025", "spring 2025"),
        ("2025-02-30", "2025-02-30"),
    ],
)
def test_iso_date(given: str, expected: str) -> None:
    assert iso_date(given) == expected


# --- folders ------------------------------------------------------------------------------


def test_folder_import_skips_bad_files_and_keeps_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(corpus, "MAX_FILE_BYTES", 10_000)
    write(tmp_path, "b_russian.txt", RUSSIAN.encode("cp1251"))
    write(tmp_path, "a_french.txt", FRENCH.replace("\n", "\r\n").encode("latin-1"))
    write(tmp_path, "binary.txt", b"\x00\xff" * 100 + b"\x00")
    write(tmp_path, "empty.txt", b"")
    write(tmp_path, "huge.md", "word " * 5000)
    write(tmp_path, "report.odt", b"PK\x03\x04")
    write(tmp_path, "data.json", "{}")
    write(tmp_path, "rows.jsonl", "{}\n")
    write(tmp_path, ".hidden.txt", "hidden")
    write(tmp_path, ".git/config.txt", "hidden folder")
    write(tmp_path, "sub/deeper/c_german.txt", GERMAN.encode("latin-1"))
    write(tmp_path, "sub/page.html", NEWS_PAGE)

    results = list(read_paths([tmp_path]))
    documents = [r for r in results if isinstance(r, SourceText)]
    skipped = {r.path.name: r.reason for r in results if isinstance(r, SkippedFile)}
    assert [d.path.relative_to(tmp_path).as_posix() for d in documents] == [
        "a_french.txt",
        "b_russian.txt",
        "sub/deeper/c_german.txt",
        "sub/page.html",
    ]
    assert [d.text for d in documents[:3]] == [FRENCH, RUSSIAN, GERMAN]
    unsupported = "not a supported document type (.txt, .md, .html, .docx, .pdf)"
    assert skipped == {
        "binary.txt": "looks like a binary file, not text",
        "empty.txt": "the file is empty",
        "huge.md": "the file is too large (0 MB; the limit is 0 MB)",
        "report.odt": unsupported,  # other files are named, not silently left out
        "data.json": unsupported,
        "rows.jsonl": unsupported,
    }
    # What an annotation format reads from the folder is no document left out.
    again = read_paths([tmp_path], others=registry.in_folder)
    skipped = {r.path.name: r.reason for r in again if isinstance(r, SkippedFile)}
    assert "rows.jsonl" not in skipped
    assert (
        skipped["data.json"] == "read as annotations only when named on its own, not from a folder"
    )


def test_a_folder_linking_to_itself_is_walked_once(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "First.")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    assert [r.path.name for r in read_paths([tmp_path, tmp_path])] == ["a.txt"]


def test_named_files_are_reported_even_when_unsupported(tmp_path: Path) -> None:
    odt = write(tmp_path, "report.odt", b"PK\x03\x04")
    hidden = write(tmp_path, ".notes.txt", "Named, so read.")
    missing = tmp_path / "missing.txt"
    results = list(read_paths([odt, hidden, missing, hidden]))
    unsupported = "not a supported document type (.txt, .md, .html, .docx, .pdf)"
    assert results[0] == SkippedFile(odt, unsupported)
    assert results[0].message == f"report.odt: {unsupported}"
    assert isinstance(results[1], SourceText) and results[1].text == "Named, so read."
    assert results[2] == SkippedFile(missing, "no such file or folder")
    assert len(results) == 3  # a file named twice is read once


def test_manifest_and_sidecar_metadata(tmp_path: Path) -> None:
    write(tmp_path, "ratelle.txt", "Interview text.")
    write(tmp_path, "sub/other.txt", "Other text.")
    write(tmp_path, "sub/inner.txt", "Inner text.")
    write(tmp_path, "plain.txt", "No metadata.")
    manifest = {
        "documents": {
            "ratelle.txt": {
                "title": "Interview with Ratelle",
                "author": "R. Ratelle",
                "date": "2025-05-20",
                "source": "https://example.org/ratelle",
                "language": "en",
            },
            "sub/other.txt": {"title": "Outer title", "author": "Outer author"},
            "sub/inner.txt": {"title": "Outer title for inner"},
        }
    }
    write(tmp_path, "manifest.json", json.dumps(manifest))
    write(
        tmp_path, "sub/manifest.json", json.dumps({"documents": {"inner.txt": {"title": "Near"}}})
    )
    write(tmp_path, "sub/other.txt.meta.json", json.dumps({"author": "Sidecar", "lang": "hy"}))

    documents = {d.path.name: d for d in read_paths([tmp_path])}
    assert set(documents) == {"ratelle.txt", "other.txt", "inner.txt", "plain.txt"}
    ratelle = documents["ratelle.txt"]
    assert (ratelle.title, ratelle.author, ratelle.date, ratelle.source, ratelle.language) == (
        "Interview with Ratelle",
        "R. Ratelle",
        "2025-05-20",
        "https://example.org/ratelle",
        "en",
    )
    other = documents["other.txt"]
    assert (other.title, other.author, other.language) == ("Outer title", "Sidecar", "hy")
    assert documents["inner.txt"].title == "Near"
    assert documents["plain.txt"].title == "plain"


def test_manifest_saved_by_windows_tools(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "First.")
    manifest = json.dumps({"documents": {"a.txt": {"title": "Заголовок"}}}, ensure_ascii=False)
    write(tmp_path, "manifest.json", codecs.BOM_UTF16_LE + manifest.encode("utf-16-le"))
    assert [d.title for d in read_paths([tmp_path])] == ["Заголовок"]


def test_manifest_applies_to_files_named_one_by_one(tmp_path: Path) -> None:
    path = write(tmp_path, "ratelle.txt", "Interview text.")
    write(tmp_path, "manifest.json", json.dumps({"documents": {"ratelle.txt": {"title": "T"}}}))
    assert [d.title for d in read_paths([path])] == ["T"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ('{"documents": {"a.txt": {"title": "unclosed"}', "not valid JSON"),
        ('["a.txt"]', 'expected {"documents": {"file name": {...}}}'),
        ('{"documents": {"a.txt": "just a title"}}', "the metadata for a.txt is not an object"),
        ('{"documents": {"a.txt": {"title": {"nested": 1}}}}', "the metadata for a.txt"),
    ],
)
def test_a_broken_manifest_is_reported_and_the_files_still_import(
    tmp_path: Path, content: str, reason: str
) -> None:
    write(tmp_path, "a.txt", "First.")
    write(tmp_path, "b.txt", "Second.")
    manifest = write(tmp_path, "manifest.json", content)
    results = list(read_paths([tmp_path]))
    assert isinstance(results[0], SkippedFile)
    assert results[0].path == manifest
    assert reason in results[0].reason
    assert "\n" not in results[0].reason
    assert [(r.path.name, r.title) for r in results[1:]] == [("a.txt", "a"), ("b.txt", "b")]


def test_a_broken_sidecar_is_reported_and_the_file_still_imports(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "First.")
    sidecar = write(tmp_path, "a.txt.meta.json", "{not json")
    results = list(read_paths([tmp_path]))
    assert [type(r) for r in results] == [SkippedFile, SourceText]
    assert results[0].path == sidecar
    assert results[0].reason.startswith("not valid JSON")
    assert results[1].title == "a"
