"""The command line speaks Chinese by default and English on request (LANDKIT_LANG=en, or --lang en
where a command has it): every help page and the usual usage errors, line by line, and the error
guard's lines; the catalogue has every code in both languages, with one meaning per Chinese label."""

from __future__ import annotations

import re
import string

import click
import pytest
from click.testing import CliRunner

from landkit import cli
from landkit.cli import main
from landkit.cli.lang import Argument, Option, columns, wrap
from landkit.i18n import CATALOGUES, language, t

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
#: what a help line holds that is not words: option names, metavars (PATH, INTEGER RANGE, [FEATURE_ID]),
#: choice lists ([text|json]), click's range ([x>=1]) and its "..."
NOT_WORDS = re.compile(r"(?<![\w-])--?[\w-]+|\b[A-Z][A-Z0-9_]*\b|\[[^\]]*\]|\.\.\.|x[<>]=?\d+")
#: English may hold Chinese only inside backticks: what a planner types as it is (a status such as
#: `已批复`, a name such as `露峰社区`, a date as `2026年11月27日`) and the name of the control lines (`三区三线`)
BACKTICKS = re.compile(r"`[^`]*`")
PAGES = [[], *([name] for name in sorted(main.commands))]
WITH_LANG = [[name] for name in sorted(main.commands) if any(p.name == "lang" for p in main.commands[name].params)]


@pytest.fixture
def say(monkeypatch):
    """Run the CLI as a planner would, with LANDKIT_LANG as given (unset: the default)."""

    def run(args, lang=None):
        monkeypatch.delenv("LANDKIT_LANG", raising=False)
        if lang:
            monkeypatch.setenv("LANDKIT_LANG", lang)
        return CliRunner().invoke(main, [str(a) for a in args], prog_name="landkit", terminal_width=80)

    return run


def wordy(line: str) -> bool:
    """A line that carries words, once option names, metavars and choice lists are set aside."""
    return re.search(r"[A-Za-z]{2,}", NOT_WORDS.sub(" ", line)) is not None


def check_chinese(page: str, what: str) -> None:
    for line in page.splitlines():
        assert not wordy(line) or CJK.search(line), f"{what}: a line without Chinese: {line!r}"
        assert columns(line) <= 80, f"{what}: wider than the terminal: {line!r}"


def check_english(page: str, what: str) -> None:
    for line in BACKTICKS.sub("``", page).splitlines():  # a quoted value may be wrapped over two lines
        assert not CJK.search(line), f"{what}: Chinese outside backticks: {line!r}"


def examples(page: str, prefix: str) -> list[str]:
    return [line.strip().removeprefix(prefix) for line in page.splitlines() if line.strip().startswith(prefix)]


@pytest.mark.parametrize("args", PAGES, ids=lambda a: " ".join(a) or "landkit")
def test_every_help_page_in_chinese_by_default_and_english_on_request(say, args):
    zh = say([*args, "--help"])
    assert zh.exit_code == 0, zh.output
    check_chinese(zh.output, f"landkit {' '.join(args)} --help")
    assert zh.output.startswith("用法：landkit") and "选项：" in zh.output and "显示本帮助并退出。" in zh.output
    en = say([*args, "--help"], lang="en")
    assert en.exit_code == 0, en.output
    check_english(en.output, f"LANDKIT_LANG=en landkit {' '.join(args)} --help")
    assert en.output.startswith("Usage: landkit") and "Options:" in en.output and "Show this message" in en.output
    # each page ends its text with examples a planner can run: the command and its own options
    command = main.commands[args[0]] if args else main
    for page, prefix in ((zh.output, "示例："), (en.output, "Example: ")):
        shown = examples(page, prefix)
        assert shown, f"{args}: no example line ({prefix})"
        for example in shown:
            words = example.split(" && ")[-1].split()
            assert words[:2] == ["landkit", *args[:1]] or not args, example
            known = {o for p in command.params for o in p.opts + p.secondary_opts}
            assert {w for w in words if w.startswith("-")} <= known, example
    if not args:  # the list of commands: every command with its short help
        assert all(re.search(rf"^  {name}\s+\S*[\u4e00-\u9fff]", zh.output, re.M) for name in main.commands)
        assert all(re.search(rf"^  {name}\s+[A-Z]", en.output, re.M) for name in main.commands)


@pytest.mark.parametrize("args", WITH_LANG, ids=lambda a: a[0])
def test_lang_en_on_the_command_line_turns_the_help_english(say, args):
    for words in ([*args, "--lang", "en", "--help"], [*args, "--help", "--lang=en"]):
        result = say(words)
        assert result.exit_code == 0 and result.output.startswith("Usage: landkit"), result.output
        check_english(result.output, " ".join(words))
    assert say([*args, "--lang", "zh", "--help"], lang="en").output.startswith("用法：")  # typed beats LANDKIT_LANG


USAGE_ERRORS = {
    "unknown command": ["frobnicate"],
    "unknown option of landkit": ["--bogus"],
    "unknown option": ["audit", "x.gpkg", "--bogus"],
    "missing argument": ["audit"],
    "missing option": ["import", "a.shp", "p.gpkg"],
    "bad --format choice": ["audit", "x.gpkg", "--format", "pdf"],
    "bad --lang choice": ["map", "x.gpkg", "--lang", "fr"],
    "out of range": ["relocate", "x.gpkg", "--min-part", "0"],
    "not a number": ["map", "x.gpkg", "--zone-version", "three"],
    "option without its value": ["audit", "x.gpkg", "--format"],
    "flag given a value": ["sync", "x.gpkg", "--apply=yes"],
    "extra argument": ["info", "a.gpkg", "b.gpkg"],
    "rules file that does not exist": ["audit", "x.gpkg", "--rules", "nope.toml"],
}


@pytest.mark.parametrize("name", sorted(USAGE_ERRORS))
def test_usage_errors_in_the_language_of_the_command_line(say, name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    args = USAGE_ERRORS[name]
    zh = say(args)
    assert zh.exit_code == 2 and len(zh.output.strip().splitlines()) == 1, zh.output
    message = re.fullmatch(r"landkit: 错误：(.+)（见 `landkit (?:\w+ )?--help`）", zh.output.strip())
    assert message and CJK.search(message.group(1)), zh.output  # Chinese in the message, not only around it
    for en in (say(args, lang="en"), say([*args, "--lang", "en"]) if args[0] == "map" and "fr" not in args else None):
        if en is not None:
            assert en.exit_code == 2 and len(en.output.strip().splitlines()) == 1, en.output
            assert re.fullmatch(r"landkit: error: .+ \(see `landkit (\w+ )?--help`\)", en.output.strip()), en.output
            assert not CJK.search(en.output), en.output


def test_click_words_said_as_click_says_them_in_english(say):
    result = say(["audit", "x.gpkg", "--format", "pdf"], lang="en")
    assert "Invalid value for '--format': 'pdf' is not one of 'text', 'json', 'csv', 'xlsx', 'html'." in result.output
    assert "No such command 'frobnicate'." in say(["frobnicate"], lang="en").output
    assert "Missing argument 'PATH'." in say(["audit"], lang="en").output


def test_the_guard_speaks_both_languages(say, monkeypatch, tmp_path):
    from landkit.cli import setup

    missing = tmp_path / "nope.gpkg"
    assert say(["info", missing]).output.startswith("landkit: 错误：")
    assert say(["info", missing], lang="en").output.startswith("landkit: error: ")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(setup, "read_project", interrupted)
    monkeypatch.setattr(setup, "describe_project", interrupted)  # what `info` reads the file with
    zh = say(["info", missing])
    assert zh.exit_code == 130 and zh.output.strip() == t("guard.interrupted", "zh") and "已中断" in zh.output
    assert "interrupted" in say(["info", missing], lang="en").output

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a landkit bug")

    monkeypatch.setattr(setup, "read_project", broken)
    monkeypatch.setattr(setup, "describe_project", broken)
    monkeypatch.setattr(cli, "_crash_file", lambda exc, words: None)  # no crash file from this test
    zh = say(["info", missing])
    assert zh.exit_code == 3 and "运行 `landkit info" in zh.output and "内部错误" in zh.output, zh.output
    en = say(["info", missing], lang="en")
    assert "internal error while running `landkit info" in en.output and "This is a landkit bug" in en.output


def test_a_warning_line_in_both_languages(monkeypatch, capsys):
    monkeypatch.delenv("LANDKIT_LANG", raising=False)
    cli._warn("x")
    monkeypatch.setenv("LANDKIT_LANG", "en")
    cli._warn("y")
    assert capsys.readouterr().err.splitlines() == ["landkit: 警告：x", "landkit: warning: y"]


def _fields(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def test_every_code_in_both_languages_with_the_same_fields():
    zh, en = CATALOGUES["zh"], CATALOGUES["en"]
    assert set(zh) - set(en) == set() and set(en) - set(zh) == set()
    assert [code for code in zh if _fields(zh[code]) != _fields(en[code])] == []
    assert [code for code, text in zh.items() if not CJK.search(text)] == []  # Chinese first: every label
    assert [code for code, text in en.items() if CJK.search(BACKTICKS.sub("", text))] == []


#: an English text that is a column's code (``households``, ``community_id``, ``TOTAL``): what
#: scripts read in English tables, not a word with a meaning of its own
IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*|[A-Z][A-Z0-9_]*")


def test_one_chinese_label_one_meaning():
    meanings: dict[str, set[str]] = {}
    for code, text in CATALOGUES["zh"].items():
        english = CATALOGUES["en"][code]
        if not IDENTIFIER.fullmatch(english):
            meanings.setdefault(text, set()).add(english)
    assert {text: en for text, en in meanings.items() if len(en) > 1} == {}
    assert IDENTIFIER.fullmatch("community_id") and not IDENTIFIER.fullmatch("Households")


def _commands() -> list[click.Command]:
    return [main, *main.commands.values()]


def test_every_parameter_and_command_has_its_words_in_the_catalogue():
    """Every option and argument (but click's --help) is landkit's, its help a code of the catalogue;
    every command names its code; no code for commands, options or arguments goes unused."""
    used = set()
    for command in _commands():
        assert f"{command.code}.short" in CATALOGUES["zh"] and f"{command.code}.help" in CATALOGUES["zh"]
        used |= {f"{command.code}.short", f"{command.code}.help"}
        for param in command.params:
            assert isinstance(param, Option | Argument), (command.name, param.name)
            assert param.help in CATALOGUES["zh"], (command.name, param.name, param.help)
            used.add(param.help)
    kept = {code for code in CATALOGUES["zh"] if code.startswith(("cmd.", "opt.", "arg."))}
    assert kept - used == set(), "codes no command uses"


def test_language_is_typed_then_the_environment_then_chinese(monkeypatch):
    monkeypatch.delenv("LANDKIT_LANG", raising=False)
    assert language() == "zh" and language("en") == "en"
    for value, expected in (("en", "en"), ("en_US.UTF-8", "en"), ("zh-CN", "zh"), ("fr", "zh"), ("", "zh")):
        monkeypatch.setenv("LANDKIT_LANG", value)
        assert language() == expected, value
    assert language("zh") == "zh"  # typed beats the environment
    with pytest.raises(ValueError):
        language("fr")
    with pytest.raises(KeyError):
        t("no.such.code")


def test_wrapping_counts_a_chinese_character_as_two_columns():
    text = "把 CSV 或 XLSX 文件的每一行在一个事务中录入（可用中文表头），再写入地块图层的状态。"
    lines = wrap(text, 30)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(columns(line) <= 30 for line in lines) and not any(line[0] in "，。）" for line in lines)
    assert wrap("Show this message and exit.", 12) == ["Show this", "message and", "exit."]


def test_a_code_lives_in_one_part_of_each_catalogue():
    from landkit.i18n import PARTS

    for lang, parts in PARTS.items():
        codes = [code for part in parts for code in part]
        assert len(codes) == len(set(codes)), (lang, sorted({c for c in codes if codes.count(c) > 1}))


def test_a_coded_error_says_itself_in_english_to_scripts_and_in_the_language_asked(monkeypatch):
    from landkit.errors import DataError, SchemaError

    monkeypatch.setitem(CATALOGUES["zh"], "test.bad_file", "{path}：文件已损坏")
    monkeypatch.setitem(CATALOGUES["en"], "test.bad_file", "{path}: the file is damaged")
    exc = DataError(code="test.bad_file", path="a.gpkg")
    assert str(exc) == "a.gpkg: the file is damaged" and exc.code == "test.bad_file"
    assert exc.text("zh") == "a.gpkg：文件已损坏" and exc.text("en") == str(exc)
    assert exc.fields == {"path": "a.gpkg"} and isinstance(exc, ValueError)
    plain = DataError("said in English only")
    assert plain.text("zh") == "said in English only" and plain.code is None
    schema = SchemaError(code="test.bad_file", path="b.gpkg", problems=["p"])
    assert schema.problems == ["p"] and schema.text("zh") == "b.gpkg：文件已损坏"


# -- the normal output of relocate, info, areas, sync (and progress), on the sample -----------------
#: what a line of a command's output may hold that is not words: what a planner types (`landkit
#: audit`, --apply), codes (parcel_id, CB00001, 410423101001, LF), numbers, units (m², km), EPSG
#: codes and sha256, and (taken out before) the
#: file's name, the project's layer names and its CRS names
CODES = re.compile(
    r"\blandkit\b|`[^`]*`|(?<![\w-])--?[a-z][\w-]*|[A-Za-z0-9]*[_\d][A-Za-z0-9_]*|\b[A-Z]{1,4}\b|\b(?:m²|km²|km|m)\b|sha256|EPSG"
)


@pytest.fixture(scope="module")
def disagreeing(tmp_path_factory):
    """A copy of the sample where two features' statuses disagree with their ledgers (as after an edit
    in QGIS), so that sync has lines to say, with a village left without geometry for areas."""
    import shutil

    import landkit

    path = tmp_path_factory.mktemp("said") / "lushan.gpkg"
    shutil.copyfile(landkit.SAMPLE_PATH, path)
    from landkit.store.gpkg import transaction

    with transaction(path) as db:  # the GeoPackage's triggers need its ST_ functions
        db.execute("UPDATE parcels SET status = 'approved' WHERE parcel_id = 'CB00001'")
        db.execute("UPDATE villages SET relocation_status = 'moved' WHERE village_code = '410423101025'")
        db.execute("UPDATE parcels SET geom = NULL WHERE parcel_id = 'CB00002'")  # left out of areas, with why
    layers = landkit.read_project(path)
    crs_names = {df.crs.name for df in layers.values() if getattr(df, "crs", None) is not None}
    data = set(layers["villages"]["name"]) | set(layers["communities"]["name"])
    return path, set(layers), crs_names, data


SAID = {
    "relocate": ["relocate", "{path}"],
    "info": ["info", "{path}"],
    "areas": ["areas", "{path}"],
    "areas of villages": ["areas", "{path}", "--layer", "villages", "--unit", "ha"],
    "sync": ["sync", "{path}"],
    "progress": ["progress", "{path}"],
}


def _english_left(line: str, path, layers: set, crs_names: set) -> str:
    for name in sorted(crs_names, key=len, reverse=True):
        line = line.replace(name, " ")
    line = line.replace(str(path), " ").replace(path.name, " ")
    names = "|".join(sorted(layers, key=len, reverse=True))
    line = re.sub(rf"\b(?:{names})\b", " ", line)
    return CODES.sub(" ", line)


@pytest.mark.parametrize("name", sorted(SAID))
def test_normal_output_is_chinese_by_default_and_english_on_request(say, disagreeing, name):
    """Every line of the output on the sample: no English word in the Chinese default (codes, numbers,
    file names and CRS names aside); no Chinese in English, but for the data's own names."""
    path, layers, crs_names, data = disagreeing
    args = [a.format(path=path) for a in SAID[name]]
    zh = say(args)
    assert zh.exit_code in (0, 1), zh.output
    assert CJK.search(zh.output), zh.output
    if name == "areas":
        assert "CB00002" in zh.output and "没有几何图形：不计入合计" in zh.output
    for line in zh.output.splitlines():
        left = _english_left(line, path, layers, crs_names)
        assert not re.search(r"[A-Za-z]{2,}", left), f"landkit {name}: English in the Chinese default: {line!r}"
    for en in (say(args, lang="en"), say([*args, "--lang", "en"])):
        assert en.exit_code == zh.exit_code, en.output
        for line in en.output.splitlines():
            for value in sorted(data, key=len, reverse=True):
                line = line.replace(value, " ")
            check_english(line, f"landkit {name} in English")
