"""What the record-keeping commands print, and the ledger's refusals, in Chinese by default and in
English on request: every line with words has Chinese (zh), none outside a quoted value (en)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from landkit import ledger
from landkit.cli import main
from landkit.errors import LedgerError
from landkit.ledger import RESERVE
from tests.test_i18n import CJK, check_english, wordy

LUSHAN = Path(__file__).parents[1] / "data" / "parcels" / "lushan.gpkg"


@pytest.fixture
def project(tmp_path):
    copy = tmp_path / "lushan.gpkg"
    shutil.copyfile(LUSHAN, copy)
    return copy


def run(args, lang=None):
    env = {"LANDKIT_LANG": lang or ""}
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="landkit", env=env)


def check_chinese_lines(output: str, what: str) -> None:
    assert output.strip(), f"{what}: nothing said"
    for line in filter(wordy, output.splitlines()):
        assert CJK.search(line), f"{what}: a line without Chinese: {line!r}"


def both(args, code=0):
    """Run ``args`` in Chinese (the default) and in English; each exits with ``code``."""
    zh, en = run(args), run(args, "en")
    assert zh.exit_code == code, zh.output
    assert en.exit_code == code, en.output
    check_chinese_lines(zh.output, " ".join(map(str, args)))
    check_english(en.output, f"LANDKIT_LANG=en {' '.join(map(str, args))}")
    return zh.output, en.output


def test_info_sample_progress_and_areas_say_themselves_in_both_languages(project, tmp_path):
    zh, en = both(["info", project])
    assert "检查：通过" in zh and "储备地块" in zh and "validation: ok" in en
    zh, en = both(["sample", "-o", tmp_path / "s.gpkg", "--overwrite"])
    assert zh.startswith("已写入示例工程文件") and en.startswith("wrote ")
    zh, en = both(["progress", project])
    assert "闲置土地：" in zh and "idle land: " in en
    zh, en = both(["areas", project])
    assert zh.splitlines()[0].split(",")[1:3] == ["面积(m²)", "面积(亩)"] and "\n合计," in zh
    assert en.splitlines()[0].startswith("parcel_id,area_m2,area_mu") and "\nTOTAL," in en


def test_sync_and_relocate_say_themselves_in_both_languages(project):
    zh, en = both(["sync", project])
    assert "无需改动" in zh
    zh, en = run(["relocate", project]), run(["relocate", project], "en")
    assert zh.exit_code == en.exit_code == 0, zh.output + en.output
    check_chinese_lines(zh.output, "relocate")
    said = [line for line in en.output.splitlines() if line[:1].isalpha()]  # the tables' rows name villages
    check_english("\n".join(said), "LANDKIT_LANG=en relocate")
    assert "合计：" in zh.output and "totals: " in en.output


def test_record_says_what_it_recorded_in_the_language_asked(project, tmp_path):
    zh = run(["record", project, "CB00003", "征收中", "--date", "2026-11-20"])
    assert zh.exit_code == 0, zh.output
    assert zh.output.strip().endswith("CB00003 → 征收中，日期 2026-11-20"), zh.output
    en = run(["record", project, "CB00003", "已征收", "--date", "2026-11-21"], "en")
    assert en.exit_code == 0, en.output
    assert en.output.strip().endswith("CB00003 -> acquired on 2026-11-21"), en.output  # the status's code


REFUSED = {
    "unknown parcel": (["XX999", "approved", "--date", "2026-01-01"], "'XX999'", "不在本工程文件的地块图层中"),
    "forbidden transition": (["CB00711", "planned", "--date", "2026-11-20"], "已入库 → 规划储备 不允许", "不允许"),
    "date before the last event": (
        ["CB00003", "acquiring", "--date", "2000-01-01"],
        "早于该地块的最后一条事件",
        "早于",
    ),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_refused_event_is_said_in_chinese_by_default_and_in_english_on_request(project, name):
    args, said, _ = REFUSED[name]
    before = project.read_bytes()
    zh, en = both(["record", project, *args], code=2)
    assert zh.startswith("landkit: 错误：") and said in zh and "没有录入任何事件" in zh, zh
    assert en.startswith("landkit: error: ") and "nothing was recorded" in en, en
    assert project.read_bytes() == before


def test_a_refusal_is_a_code_with_fields_said_in_either_language(project):
    with pytest.raises(LedgerError) as refused:
        ledger.record_event(project, "XX999", "approved", "2026-01-01")
    reason = refused.value.fields["reason"]
    assert refused.value.code == "ledger.nothing_recorded" and reason.code == "ledger.unknown_parcel"
    assert reason.fields == {"key": "XX999"}
    assert refused.value.text("zh").endswith("；没有录入任何事件") and "nothing was recorded" in str(refused.value)
    events = [
        (1, "P", "2026-01-02", "transition", "planned", None),
        (2, "P", "2026-01-03", "transition", "approved", None),
    ]
    _, [(key, event_id, why)] = ledger.replay(RESERVE, events)
    assert (key, event_id, why.code) == ("P", 2, "ledger.refusal.transition")
    assert why.text("zh") == "规划储备 → 已批复 不允许；下一步只能是：征收中"
    assert str(why) == "planned -> approved is not allowed; next can be: acquiring"
    history = [("2026-01-02", "transition", "planned")]
    event = {"date": "2026-01-01", "event_type": "transition", "status": "acquiring"}
    why = ledger._refusal(RESERVE, history, event)
    assert why.code == "ledger.refusal.before_last" and why.fields["last"] == "2026-01-02"
    assert "早于该地块的最后一条事件（2026-01-02）" in why.text("zh")


def test_many_refused_rows_are_listed_in_the_language_asked(project):
    rows = [{"parcel_id": f"NOPE{k}", "date": "2026-11-20", "status": "acquiring"} for k in range(2)]
    rows.append({"parcel_id": "CB00003", "date": "2026-13-01", "status": "acquiring"})
    with pytest.raises(LedgerError) as refused:
        ledger.record_events(project, rows)
    zh = refused.value.text("zh").splitlines()
    assert zh[0].endswith("3 条事件中有 3 条被拒绝；没有录入任何事件：") and len(zh) == 4
    assert zh[1].startswith("  - 第 4 行：'2026-13-01' 不是日历上有的日期") and all(CJK.search(line) for line in zh)
    check_english(str(refused.value), "the refusal in English")


def test_the_audit_says_a_ledger_refusal_in_chinese(project):
    from landkit import audit, read_project

    layers = read_project(project)
    events = layers["events"]
    late = events.index[events["parcel_id"] == "CB00711"][-1]
    events.loc[late, "status"] = "planned"  # a step the lifecycle refuses
    found = audit._ledger(layers["parcels"], events, RESERVE)
    refused = found[found["message"].str.contains("refused by the lifecycle")]
    assert len(refused) and refused["message_zh"].str.contains("不允许；下一步只能是").all()
    assert not refused["message"].str.contains(CJK.pattern).any()
