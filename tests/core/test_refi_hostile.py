"""Hostile and broken REFI-QDA files: each is refused with one line naming the file and the
problem, nothing is written anywhere (the archive is never extracted), the project is unchanged."""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.core.formats import FormatError
from annotator.core.formats.refi_codebook import read_qdc
from annotator.core.formats.refi_common import RATIO_FLOOR, safe_member_name
from annotator.core.formats.refi_import import read_qdpx
from annotator.core.importing import import_paths

from .sample import Sample, snapshot
from .test_refi_support import PROJECT_NS

GUID = "0a1b2c3d-0000-4000-8000-000000000001"
USER = "0a1b2c3d-0000-4000-8000-000000000002"


def qde(path: str = f"internal://{GUID}.txt", body: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="{PROJECT_NS}" name="x">'
        f'<Users><User guid="{USER}" name="Ani"/></Users><Sources>'
        f'<TextSource guid="{GUID}" name="A text" plainTextPath="{path}"/></Sources>{body}'
        "</Project>"
    )


def archive(folder: Path, members: dict[str, bytes | str], name: str = "bad.qdpx") -> Path:
    path = folder / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for member, data in members.items():
            out.writestr(zipfile.ZipInfo(member), data, compress_type=zipfile.ZIP_DEFLATED)
    return path


def good_members(**changes: bytes | str) -> dict[str, bytes | str]:
    return {"project.qde": qde(), f"sources/{GUID}.txt": "Some text.", **changes}


def patch_directory(
    path: Path,
    member: str,
    *,
    size: int | None = None,
    flags: int | None = None,
    compressed: int | None = None,
) -> None:
    """Rewrite a member's entry in the central directory (what readers trust for sizes)."""
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_length].decode() == member:
            if size is not None:
                struct.pack_into("<I", data, at + 24, size)
            if compressed is not None:
                struct.pack_into("<I", data, at + 20, compressed)
            if flags is not None:
                struct.pack_into("<H", data, at + 8, flags)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY l0 "ha">'
    + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    + f']><Project xmlns="{PROJECT_NS}" name="&l9;"/>'
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    f'<Project xmlns="{PROJECT_NS}" name="&secret;"/>'
)
PLAIN_DTD = (
    '<?xml version="1.0"?><!DOCTYPE Project SYSTEM "http://example.org/p.dtd">'
    f'<Project xmlns="{PROJECT_NS}" name="x"/>'
)
DEEP = (
    f'<Project xmlns="{PROJECT_NS}" name="x">'
    + "<Description>" * 3000
    + "</Description>" * 3000
    + "</Project>"
)

Maker = Callable[[Path], Path]


def _with_member(name: str, data: bytes | str = "x") -> Maker:
    """A good archive with the member ``name`` added, or replaced, holding ``data``."""
    return lambda d: archive(d, good_members(**{name: data}))


def _with_text_path(path: str) -> Maker:
    """A good archive whose text source points at ``path``."""
    return _with_member("project.qde", qde(path))


CASES: dict[str, tuple[Maker, str]] = {
    "not a zip": (
        lambda d: _write(d / "bad.qdpx", b"just some text, not an archive"),
        "not a zip archive",
    ),
    "empty file": (lambda d: _write(d / "bad.qdpx", b""), "not a zip archive"),
    "member ../": (_with_member("../evil.txt"), "unsafe file name"),
    "member absolute": (_with_member("/tmp/evil.txt"), "unsafe file name"),
    "member drive": (_with_member("C:/evil.txt"), "unsafe file name"),
    "member backslash": (_with_member("sources\\..\\..\\evil.txt"), "unsafe file name"),
    "path ../": (_with_text_path("internal://../project.qde"), "unsafe text path"),
    "path drive": (_with_text_path("internal://C:/Windows/win.ini"), "unsafe text path"),
    "missing source": (lambda d: archive(d, {"project.qde": qde()}), "missing from the archive"),
    "no project.qde": (lambda d: archive(d, {f"sources/{GUID}.txt": "x"}), "no project.qde"),
    "bomb by ratio": (_with_member(f"sources/{GUID}.txt", " " * (2 * RATIO_FLOOR)), "zip bomb"),
    "bomb project.qde": (
        lambda d: archive(
            d, {"project.qde": qde().replace("</Project>", " " * (2 * RATIO_FLOOR) + "</Project>")}
        ),
        "zip bomb",
    ),
    "declared size": (lambda d: _patched(d, size=0xFFFFFFF0), "beyond the limit"),
    "text over 64 MB": (lambda d: _patched(d, size=65 * 2**20), "beyond the limit"),
    "project.qde over 256 MB": (
        lambda d: _patched(d, member="project.qde", size=257 * 2**20),
        "beyond the limit",
    ),
    "ratio 60 to 1": (lambda d: _patched(d, ratio=60), "zip bomb"),
    "size that lies": (lambda d: _patched(d, size=4), "cannot be read"),
    "encrypted": (lambda d: _patched(d, flags=0x1), "encrypted"),
    "external entity": (lambda d: archive(d, {"project.qde": EXTERNAL_ENTITY}), "DTD or entities"),
    "billion laughs": (lambda d: archive(d, {"project.qde": BILLION_LAUGHS}), "DTD or entities"),
    "any DTD": (lambda d: archive(d, {"project.qde": PLAIN_DTD}), "DTD or entities"),
    "malformed": (lambda d: archive(d, {"project.qde": qde()[:-5]}), "not well-formed XML"),
    "too deep": (lambda d: archive(d, {"project.qde": DEEP}), "not well-formed XML"),
    "not a project": (
        lambda d: archive(d, {"project.qde": "<html><body/></html>"}),
        "not a REFI-QDA project",
    ),
    "source not UTF-8": (_with_member(f"sources/{GUID}.txt", "Мир".encode("cp1251")), "not UTF-8"),
}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _patched(
    folder: Path, member: str = f"sources/{GUID}.txt", ratio: int = 0, **patch: int
) -> Path:
    """A good archive whose ``member`` declares another size (``ratio``: that many times its
    compressed size, past the floor where ratios are checked) or flags."""
    path = archive(
        folder, good_members(**{f"sources/{GUID}.txt": "Some text that is long enough."})
    )
    if ratio:
        with zipfile.ZipFile(path) as done:
            compressed = done.getinfo(member).compress_size
        patch["size"] = max(ratio * compressed, RATIO_FLOOR + 1)
        patch_directory(path, member, size=patch["size"], compressed=patch["size"] // ratio)
        return path
    patch_directory(path, member, **patch)
    return path


def tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_archives_are_refused_in_one_line_and_change_nothing(
    case: str, sample: Sample, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make, expected = CASES[case]
    files = tmp_path / "files"
    files.mkdir()
    path = make(files)
    with pytest.raises(FormatError) as caught:
        read_qdpx(path)
    message = str(caught.value)
    assert message.startswith("bad.qdpx") and expected in message and "\n" not in message

    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)  # an extraction of "../evil.txt" would land beside it
    before, project_before = tree(tmp_path), snapshot(sample.project)
    outcome = import_paths(sample.project, [path], by="Ani")
    assert [s.reason for s in outcome.skipped] == [message] and outcome.sets == []
    assert tree(tmp_path) == before and snapshot(sample.project) == project_before
    assert not Path("/tmp/evil.txt").exists()


def test_a_codebook_with_entities_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.qdc"
    path.write_text(EXTERNAL_ENTITY.replace("Project", "CodeBook"), encoding="utf-8")
    with pytest.raises(FormatError, match=r"^bad\.qdc: declares a DTD or entities"):
        read_qdc(path)
    path.write_text("<CodeBook><Codes>", encoding="utf-8")
    with pytest.raises(FormatError, match=r"^bad\.qdc: not well-formed XML"):
        read_qdc(path)
    path.write_text(f'<Project xmlns="{PROJECT_NS}" name="x"/>', encoding="utf-8")
    with pytest.raises(FormatError, match=r"^bad\.qdc: not a REFI-QDA codebook"):
        read_qdc(path)


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("project.qde", True),
        ("sources/a.txt", True),
        ("sources/", True),
        ("a/../b", False),
        ("..", False),
        ("/etc/passwd", False),
        ("C:/x", False),
        ("c:x", False),
        ("a\\b", False),
        ("a\x00b", False),
        ("", False),
    ],
)
def test_member_names(name: str, safe: bool) -> None:
    assert safe_member_name(name) is safe


OTHER = "0a1b2c3d-0000-4000-8000-000000000003"
CODE = "0a1b2c3d-0000-4000-8000-000000000004"


@pytest.mark.parametrize(
    "path", ["relative://texts/other.txt", "absolute://C:\\evil.txt", "/etc/passwd", "file:///x"]
)
def test_a_source_kept_outside_the_archive_is_skipped_and_listed(
    path: str, sample: Sample, tmp_path: Path
) -> None:
    """Its text is never read; the rest of the project imports."""
    coded = (
        f'<PlainTextSelection guid="{OTHER[:-1]}5" startPosition="0" endPosition="4">'
        f'<Coding guid="{OTHER[:-1]}6"><CodeRef targetGUID="{CODE}"/></Coding>'
        "</PlainTextSelection>"
    )
    other = (
        f'<TextSource guid="{OTHER}" name="Elsewhere" plainTextPath="{path}">{coded}</TextSource>'
    )
    codebook = (
        f'<CodeBook><Codes><Code guid="{CODE}" name="A code" isCodable="true"/></Codes></CodeBook>'
    )
    xml = qde().replace("<Users>", codebook + "<Users>").replace("</Sources>", other + "</Sources>")
    qdpx = archive(tmp_path, good_members(**{"project.qde": xml}), "some.qdpx")
    parsed = read_qdpx(qdpx)
    assert [title for _, d in parsed.lines["document"] for title in [d["title"]]] == ["A text"]
    assert parsed.lines["span"] == []
    assert parsed.unmapped[0] == (
        f"source 'Elsewhere' and its codings: its text is outside the archive ({path}) "
        "and is not read"
    )
    outcome = import_paths(sample.project, [qdpx], by="Ani")
    assert outcome.skipped == [] and outcome.sets[0][1].added["document"] == 1
