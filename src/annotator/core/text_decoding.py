"""Bytes of a text file to text: byte-order marks, strict UTF-8, then code-page detection.

charset-normalizer alone often picks the wrong code page for short texts (French read as
cp1250, Russian as Shift-JIS), so the analysts' usual code pages are always tried beside its
picks and the decoding with the fewest implausible signs wins.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter

BINARY = "looks like a binary file, not text"
_LINE_BREAKS = re.compile("\r\n?|[\u0085\u2028\u2029]")


def normalise_text(raw: str) -> str:
    """NFC, ``\\n`` line breaks, no leading BOM, no trailing whitespace; all else kept.

    NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR also become ``\\n``: Qt breaks lines at
    them too, and one kind of line break keeps offsets the same on both sides.
    """
    text = _LINE_BREAKS.sub("\n", raw.lstrip("\ufeff"))
    return unicodedata.normalize("NFC", text).rstrip()


class CorpusError(Exception):
    """One file cannot be read; str(e) is a one-line, user-facing reason naming the file."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason

    def __reduce__(self) -> tuple[type[CorpusError], tuple[str, str]]:
        return CorpusError, (self.name, self.reason)  # picklable, for worker processes


BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_SAMPLE_CHARS = 65536  # enough text to spot binary data
_SCORED_CHARS = 16384  # enough text to judge an encoding
_MAX_CONTROL_SHARE = 0.01
_CHAOS_TIE = 0.05  # charset-normalizer "mess" scores closer than this cannot be told apart
# Western European, Cyrillic and Central European code pages (latin-1 is cp1252 minus its
# C1 gap): what analysts' legacy files are in. Always tried; they win ties in this order.
_PREFERRED_LEGACY = ("cp1252", "latin_1", "cp1251", "koi8_r", "cp1250")
# Non-ASCII letters of the Latin-script languages that 8-bit files are likely to be in.
_LATIN_ALPHABETS = (
    "àâæçéèêëîïôœùûüÿ",  # French
    "äöüßé",  # German
    "áéíñóúü",  # Spanish
    "àáâãçéêíóôõú",  # Portuguese
    "àèéìíîòóùçïü·",  # Italian, Catalan
    "áäéëíïóöúüè",  # Dutch
    "åæøäöé",  # Danish, Norwegian, Swedish, Finnish
    "áðéíóúýþæö",  # Icelandic
    "áčďéěíňóřšťúůýžäĺľŕô",  # Czech, Slovak
    "ąćęłńóśźż",  # Polish
    "áéíóöőúüű",  # Hungarian
    "ăâîșțşţ",  # Romanian
    "čćđšž",  # Croatian, Slovene
    "çğıöşüâîû",  # Turkish
    "āčēģīķļņšūžąėįųäõöü",  # Baltic
)
# Scripts that share words: Japanese mixes kanji and kana, Korean hangul and hanja.
_SCRIPT_GROUPS = dict.fromkeys(
    ("HIRAGANA", "KATAKANA", "HANGUL", "IDEOGRAPHIC", "FULLWIDTH"), "CJK"
)


HIGH_BYTES = 4  # zero, and the blocks of a script or two (and emoji surrogates)


def decode_bytes(data: bytes, *, name: str) -> str:
    """Decode a file's bytes: BOM, then strict UTF-8, then detection. Raises CorpusError."""
    text = _decode_with_bom(data, name)
    if text is None:
        if b"\x00" in data:  # no 8-bit text has NULs: UTF-16 without a BOM, or binary
            text = _decode_bomless_utf16(data)
            if text is None:
                raise CorpusError(name, BINARY)
        else:
            text = _decode_utf8(data)
        if text is None:
            text = _decode_legacy(data, name)
    if not looks_like_text(text):
        raise CorpusError(name, BINARY)
    return text


def _decode_with_bom(data: bytes, name: str) -> str | None:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                raise CorpusError(name, f"not valid {encoding.upper()} despite its BOM") from None
    return None


def _decode_utf8(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _decode_bomless_utf16(data: bytes) -> str | None:
    """UTF-16 text has zeros in one byte of each pair (ASCII, spaces); binary has both. And
    that byte (a character's high byte) takes few values: a script or two, and zero."""
    if len(data) % 2:
        return None
    lanes = data[0::2], data[1::2]
    even_zeros, odd_zeros = lanes[0].count(0), lanes[1].count(0)
    pairs = len(data) // 2
    for zeros, others, high, encoding in (
        (odd_zeros, even_zeros, lanes[1], "utf-16-le"),
        (even_zeros, odd_zeros, lanes[0], "utf-16-be"),
    ):
        few = sum(n for _, n in Counter(high).most_common(HIGH_BYTES)) >= 0.85 * pairs
        if zeros >= pairs // 20 and others * 20 <= zeros and few:
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def _decode_legacy(data: bytes, name: str) -> str:
    """An 8-bit (or East Asian) encoding: charset-normalizer's picks, checked for sense.

    charset-normalizer often rates several encodings equally (short texts, or letters that
    many code pages share), and its first pick can then be wrong: cp1250 for French ("trčs"
    for "très"), Shift-JIS for upper-case Russian, Big5 for "Москва". So its tied picks and
    the preferred code pages are decoded, and the one with the fewest implausible words
    wins; ties go to the preferred code pages, in order.
    """
    sample = data[: _SCORED_CHARS * 4]
    errors = "strict" if len(sample) == len(data) else "ignore"  # a cut may split a char
    ranked: list[tuple[int, int, str]] = []

    def score(rank: int, encoding: str) -> int | None:
        try:
            text = sample.decode(encoding, errors)
        except UnicodeDecodeError:
            return None
        ranked.append((_implausibility(text), rank, encoding))
        return ranked[-1][0]

    # Nothing scores below 0 and ties go to the preferred pages in order, so the first of
    # them to score 0 wins anyway: detection (the slow part) is needed only when none does.
    for rank, encoding in enumerate(_PREFERRED_LEGACY):
        if score(rank, encoding) == 0:
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                pass
    detected = [e for e in dict.fromkeys(_detected_encodings(data)) if e not in _PREFERRED_LEGACY]
    for rank, encoding in enumerate(detected, start=len(_PREFERRED_LEGACY)):
        score(rank, encoding)
    for *_, encoding in sorted(ranked):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CorpusError(name, "cannot tell how the text is encoded (not UTF-8 or UTF-16)")


def _detected_encodings(data: bytes) -> list[str]:
    """charset-normalizer's picks that it cannot tell apart from its best one."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    best_chaos = min((match.chaos for match in matches), default=0.0)
    return [match.encoding for match in matches if match.chaos <= best_chaos + _CHAOS_TIE]


def looks_like_text(text: str) -> bool:
    sample = text[:_SAMPLE_CHARS]
    return len(_CONTROL_CHARS.findall(sample)) <= _MAX_CONTROL_SHARE * len(sample)


_WORD = re.compile(r"\w+")
# Decoded into these, 8-bit text is almost surely mojibake: combining accents (cp1258 turns
# "ì" into "i" + U+0301), box drawing and maths (DOS code pages, Shift-JIS read as KOI8-R).
_ODD_CHARS = re.compile("[\u0300-\u036f\u2200-\u22ff\u2500-\u259f]")


def _implausibility(text: str) -> int:
    """How unlike real writing a decoding looks: mojibake gives itself away in its words,
    and in Latin letters that no one language uses together ("trčs": cp1250 for French)."""
    sample = text[:_SCORED_CHARS]
    penalty = 10 * len(_CONTROL_CHARS.findall(sample)) + len(_ODD_CHARS.findall(sample))
    latin_letters: set[str] = set()
    for word in _WORD.findall(sample):
        if not word.isascii():
            penalty += _word_implausibility(word, latin_letters)
    return penalty + min(len(latin_letters - set(alphabet)) for alphabet in _LATIN_ALPHABETS)


def _word_implausibility(word: str, latin_letters: set[str]) -> int:
    scripts: set[str] = set()
    penalty = non_ascii_letters = 0
    previous_lower = False
    for char in word:
        if not char.isalpha():
            penalty += 0 if char.isascii() else 2  # "czy³": a superscript inside a word
            previous_lower = False
            continue
        script = unicodedata.name(char, "UNKNOWN").split(" ", 1)[0]
        scripts.add(_SCRIPT_GROUPS.get(script, script))
        if not char.isascii():
            non_ascii_letters += 1
            if script == "LATIN":
                latin_letters.add(char.lower())
            elif script == "HALFWIDTH":
                penalty += 1
        if char.isupper() and previous_lower:
            penalty += 1  # "оТВЕТ": KOI8-R read as cp1251 and the like
        previous_lower = char.islower()
    if len(scripts - {"UNKNOWN"}) > 1:
        penalty += len(word)  # "Franзais": Latin and Cyrillic in one word
    if scripts == {"LATIN"} and non_ascii_letters >= 3 and 2 * non_ascii_letters > len(word):
        penalty += non_ascii_letters  # "ÇÀßÂËÅÍÈÅ": Cyrillic or Greek read as cp1252
    return penalty
