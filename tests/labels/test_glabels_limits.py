"""gLabels files from anyone: limits on size, templates, labels and XML entities (issue 17.4).

The hostile files come from the probe: 3000 × 3000 tiny labels (42 s, 2.1 GB), 10⁸ × 10⁸
labels (past 60 s, 5.5 GB), a huge file, a gzip bomb and "billion laughs". Each is refused
with a message that names the limit, before any label is laid out or any large buffer is
filled, and nothing is saved; real templates, plain or gzip, still import.
"""

from __future__ import annotations

import gzip
import os
import tracemalloc
import zlib
from pathlib import Path

import pytest

from shopdesk.errors import ValidationError
from shopdesk.labels.glabels import (
    MAX_FILE_BYTES,
    MAX_TEMPLATES,
    parse_templates,
    read_template_file,
    template_to_paper,
)
from shopdesk.labels.papers import MAX_LABELS_PER_PAGE, Paper, paper_from_json

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "glabels"
# Far below what a hostile file asks for: the reader never holds more than its limit.
MEMORY_BOUND = 8 * MAX_FILE_BYTES


@pytest.fixture(autouse=True)
def english():
    from shopdesk import i18n

    i18n.set_language("en")
    yield
    i18n.set_language("id")


def _sheet(nx: int, ny: int, label: str, *, part: str = "H") -> str:
    return (
        f"<Template brand='Evil' part='{part}' size='A4'>"
        f"<Label-rectangle width='{label}' height='{label}'>"
        f"<Layout nx='{nx}' ny='{ny}' x0='0mm' y0='0mm' dx='{label}' dy='{label}'/>"
        "</Label-rectangle></Template>"
    )


def _file(*templates: str, padding: int = 0) -> str:
    return f"<Glabels-templates>{''.join(templates)}</Glabels-templates>" + " " * padding


def _gzip_bomb(unpacked_bytes: int) -> bytes:
    """A valid template followed by blanks (legal after the root): a few KB packed."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [packer.compress(_file(_sheet(3, 8, "20mm")).encode())]
    block = b" " * (1 << 20)
    parts += [packer.compress(block) for _ in range(unpacked_bytes >> 20)]
    return b"".join([*parts, packer.flush()])


def _peak_bytes(action) -> tuple[int, ValidationError]:
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError) as info:
            action()
        return tracemalloc.get_traced_memory()[1], info.value
    finally:
        tracemalloc.stop()


@pytest.fixture
def no_layout(monkeypatch):
    """Laying out the labels of a page is what took gigabytes: it must never start."""

    def refuse(_paper):
        raise AssertionError("the labels were laid out before the count was checked")

    monkeypatch.setattr(Paper, "label_rects", refuse)


# -- real files still import ---------------------------------------------------


@pytest.mark.parametrize("name", ["plain-templates.xml", "namespaced-templates.xml"])
def test_real_templates_import_plain_and_gzip(name, tmp_path):
    plain = read_template_file(FIXTURES / name)
    packed = tmp_path / f"{name}.glabels"
    packed.write_bytes(gzip.compress((FIXTURES / name).read_bytes()))
    assert read_template_file(packed) == plain and len(plain) >= 4
    assert [template_to_paper(t).labels_per_page for t in plain if t.part in ("L7159", "A4/24")]


# -- counts and sizes of labels ------------------------------------------------


@pytest.mark.parametrize(
    ("nx", "ny", "label"), [(3000, 3000, "0.07mm"), (10**8, 10**8, "0.000001mm"), (40, 40, "5mm")]
)
def test_too_many_labels_on_a_page_are_refused_before_any_layout(nx, ny, label, no_layout):
    (template,) = parse_templates(_file(_sheet(nx, ny, label)))
    with pytest.raises(ValidationError) as info:
        template_to_paper(template)
    assert f"{nx * ny} labels" in info.value.message
    assert f"more than the {MAX_LABELS_PER_PAGE}" in info.value.message


def test_a_label_smaller_than_real_paper_is_refused():
    (template,) = parse_templates(_file(_sheet(2, 2, "1.5mm")))
    with pytest.raises(ValidationError) as info:
        template_to_paper(template)
    assert "at least 2 mm" in info.value.message
    (fullest,) = parse_templates(_file(_sheet(10, 27, "7.7mm")))  # like Avery L4730
    assert template_to_paper(fullest).labels_per_page == 270 < MAX_LABELS_PER_PAGE


def test_lengths_beyond_any_number_are_refused():
    text = _file(_sheet(1, 1, "20mm")).replace("dy='20mm'", "dy='1e400mm'")
    (template,) = parse_templates(text)
    assert template.frames[0].layouts[0].dy_mm == float("inf")  # unused: one row only
    with pytest.raises(ValidationError) as info:
        template_to_paper(template)
    assert "finite number" in info.value.message
    data = template_to_paper(parse_templates(_file(_sheet(1, 1, "20mm")))[0]).to_json()
    with pytest.raises(ValidationError):  # a paper file may say NaN: it passes no comparison
        paper_from_json({**data, "page_width_mm": float("nan")})


def test_too_many_templates_in_one_file_are_refused():
    many = [_sheet(1, 1, "20mm", part=f"P{i}") for i in range(MAX_TEMPLATES + 1)]
    with pytest.raises(ValidationError) as info:
        parse_templates(_file(*many), source="many.xml")
    assert "many.xml" in info.value.message and f"more than {MAX_TEMPLATES}" in info.value.message
    assert len(parse_templates(_file(*many[:MAX_TEMPLATES]))) == MAX_TEMPLATES


# -- the file: size, gzip, entities ---------------------------------------------


def test_a_huge_file_is_refused_without_reading_it_whole(tmp_path):
    padded = tmp_path / "padded.xml"
    padded.write_text(_file(_sheet(3, 8, "20mm"), padding=MAX_FILE_BYTES), encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        read_template_file(padded)
    assert "padded.xml" in info.value.message and "1 MB" in info.value.message
    huge = tmp_path / "huge.xml"
    huge.write_text(_file(_sheet(3, 8, "20mm")), encoding="utf-8")
    os.truncate(huge, 1 << 30)  # 1 GiB, sparse: cheap to make, costly to read whole
    peak, error = _peak_bytes(lambda: read_template_file(huge))
    assert "1 MB" in error.message and peak < MEMORY_BOUND


def test_a_gzip_bomb_is_refused_within_the_size_limit():
    bomb = _gzip_bomb(256 << 20)  # 256 MiB of XML once unpacked
    assert len(bomb) < MAX_FILE_BYTES
    peak, error = _peak_bytes(lambda: parse_templates(bomb, source="bomb.glabels"))
    assert "bomb.glabels" in error.message and "1 MB" in error.message
    assert peak < MEMORY_BOUND


def test_a_damaged_gzip_file_gets_a_clear_message():
    packed = gzip.compress(_file(_sheet(3, 8, "20mm")).encode())
    with pytest.raises(ValidationError) as info:
        parse_templates(packed[: len(packed) // 2], source="cut.glabels")
    assert "cut.glabels" in info.value.message and "damaged compressed" in info.value.message


_LAUGHS = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))


@pytest.mark.parametrize(
    "text",
    [
        # billion laughs: 10⁹ "lol" from a few hundred bytes
        f'<!DOCTYPE Glabels-templates [<!ENTITY l0 "lol">{_LAUGHS}]>'
        f"<Glabels-templates><Template part='&l9;'/></Glabels-templates>",
        # quadratic blow-up: one big entity used many times
        f'<!DOCTYPE Glabels-templates [<!ENTITY big "{"x" * 5000}">]>'
        f"<Glabels-templates><Template part='{'&big;' * 100}'/></Glabels-templates>",
        # an external file, and an external DTD through a parameter entity
        '<!DOCTYPE Glabels-templates [<!ENTITY xxe SYSTEM "SENTINEL">]>'
        "<Glabels-templates><Template part='&xxe;'/></Glabels-templates>",
        '<!DOCTYPE Glabels-templates [<!ENTITY % dtd SYSTEM "SENTINEL"> %dtd;]>'
        "<Glabels-templates/>",
        '<!DOCTYPE Glabels-templates [<!ENTITY pic SYSTEM "SENTINEL" NDATA png>]>'
        "<Glabels-templates/>",
    ],
    ids=["billion-laughs", "quadratic", "external-file", "external-dtd", "unparsed"],
)
def test_xml_entities_are_refused(text, tmp_path):
    sentinel = tmp_path / "secret.txt"
    sentinel.write_text("the shop's secret", encoding="utf-8")
    hostile = tmp_path / "hostile.xml"
    hostile.write_text(
        '<?xml version="1.0"?>' + text.replace("SENTINEL", sentinel.as_uri()), encoding="utf-8"
    )
    with pytest.raises(ValidationError) as info:
        read_template_file(hostile)
    assert "hostile.xml declares XML entities" in info.value.message
    assert "secret" not in info.value.message


# -- the command: a clear refusal, nothing saved ---------------------------------


@pytest.mark.parametrize(
    ("name", "content", "limit"),
    [
        ("tiny.xml", _file(_sheet(3000, 3000, "0.07mm")).encode(), "1000 a sheet can hold"),
        ("huge.xml", _file(_sheet(10**8, 10**8, "0.01mm")).encode(), "1000 a sheet can hold"),
        ("bomb.glabels", _gzip_bomb(64 << 20), "larger than 1 MB"),
    ],
    ids=["3000x3000", "1e8x1e8", "gzip-bomb"],
)
def test_cli_import_refuses_hostile_files_and_saves_nothing(cli, tmp_path, name, content, limit):
    from shopdesk.labels.service import user_papers_dir

    hostile = tmp_path / name
    hostile.write_bytes(content)
    code, out, err = cli("--lang", "en", "labels", "import-glabels", hostile)
    assert code == 2 and limit in err and "Traceback" not in err + out
    assert not user_papers_dir().exists() or not list(user_papers_dir().iterdir())
