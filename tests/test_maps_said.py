"""The refusals of the maps and the QGIS project reach a planner in the command line's language:
Chinese by default, English with LANDKIT_LANG=en, each one line that names what there is."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from landkit import maps, qgis
from landkit.cli import main
from landkit.errors import DataError
from landkit.i18n import CATALOGUES

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
#: what the project holds, quoted into a message as it is: ids and names in brackets, a name in quotes
DATA = re.compile(r"\([^)]*\)|'[^']*'")


@pytest.fixture
def say(monkeypatch, tmp_path):
    """Run the CLI as a planner would, with LANDKIT_LANG as given (unset: the default), no Tianditu key."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TIANDITU_KEY", raising=False)

    def run(args, lang=None):
        monkeypatch.delenv("LANDKIT_LANG", raising=False)
        if lang:
            monkeypatch.setenv("LANDKIT_LANG", lang)
        return CliRunner().invoke(main, [str(a) for a in args], prog_name="landkit")

    return run


REFUSALS = {
    "unknown village": (
        ["map", "{p}", "--village", "不存在", "-o", "v.html"],
        "没有村庄“不存在”",
        "no village '不存在'",
    ),
    "unknown zone version": (
        ["map", "{p}", "--zone-version", "9", "-o", "z.html"],
        "没有第 9 版规划范围",
        "version 9;",
    ),
    "Tianditu without a key": (["map", "{p}", "--tiles", "tianditu", "-o", "t.html"], "密钥", "needs your key"),
    "QGIS project not .qgz": (
        ["qgis", "{p}", "-o", "p.qgs", "--no-findings"],
        "QGIS 项目要存为 .qgz",
        "written as .qgz",
    ),
}


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_a_refusal_is_one_chinese_line_by_default_and_english_on_request(say, sample_copy, name):
    args, chinese, english = REFUSALS[name]
    args = [sample_copy if a == "{p}" else a for a in args]
    zh = say(args)
    assert zh.exit_code == 2 and len(zh.output.strip().splitlines()) == 1, zh.output
    assert zh.output.startswith("landkit: 错误：") and chinese in zh.output, zh.output
    en = say(args, lang="en")
    assert en.exit_code == 2 and len(en.output.strip().splitlines()) == 1, en.output
    assert en.output.startswith("landkit: error: ") and english in en.output, en.output
    assert not CJK.search(DATA.sub("", en.output.replace(str(sample_copy), ""))), en.output  # Chinese only in data


def test_an_unknown_village_lists_ten_and_says_how_many(say, sample_copy, sample_layers):
    zh = say(["map", sample_copy, "--village", "不存在", "-o", "v.html"]).output
    shown = re.findall(r"\d{12} \(", zh)
    assert len(shown) == 10 < len(sample_layers["villages"]) and "共有 25 个村庄" in zh and "…" in zh, zh


def test_every_map_and_qgis_error_names_a_code_in_the_catalogue(sample_layers):
    """The library's refusals are coded: an error says itself in either language from its fields."""
    for call, code in (
        (lambda: maps.zone_map(sample_layers, version=9), "maps.no_zone_version"),
        (lambda: maps.zone_map(sample_layers, tiles="google"), "maps.unknown_tiles"),
        (lambda: maps.find_community(sample_layers["communities"], "火星"), "names.no_community"),
        (lambda: maps.find_village(None, "沈庄"), "names.no_villages"),
        (lambda: qgis.layer_qml("nope"), "qgis.no_style"),
    ):
        with pytest.raises(DataError) as caught:
            call()
        exc = caught.value
        assert exc.code == code and code in CATALOGUES["zh"], code
        assert CJK.search(exc.text("zh")) and str(exc) == exc.text("en") != exc.text("zh"), code


def test_the_maps_speak_only_through_the_catalogue():
    """No table of words by language and no language branch left in the map modules but a few."""
    from pathlib import Path

    root = Path(maps.__file__).parent
    sources = [root / f"{name}.py" for name in ("maps", "qgis", "palette", "names", "webpage")]
    branches = [
        (path.name, line)
        for path in sources
        for line in path.read_text(encoding="utf-8").splitlines()
        if re.search(r'lang ==|lang !=|if lang\b|\[lang\]|"zh": \{|"en": \{', line)
    ]
    assert len(branches) <= 3, branches
