"""The stamp line every output carries (input, its sha256, landkit, the area method) is said in the
run's language: Chinese by default, English with --lang en or LANDKIT_LANG=en; its JSON keys do not change."""

import json
import re

import pytest
from click.testing import CliRunner

import landkit
from landkit import report
from landkit.cli import main

METHOD = "ellipsoidal (CGCS2000 ellipsoid; equal-area projection, or exact areal scale for parcels)"


def run(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env or {})


def _stamp_line(page: str) -> str:
    found = re.search(r'<p class="stamp">(.*?)</p>', page)
    assert found, page[-500:]
    return found.group(1)


def test_the_stamp_line_is_chinese_by_default_and_english_when_asked(monkeypatch):
    monkeypatch.delenv("LANDKIT_LANG", raising=False)
    stamp = report.Stamp("D:/工程/鲁山.gpkg", "ab" * 32, "9.9", METHOD)
    assert stamp.text() == (
        f"数据来源 D:/工程/鲁山.gpkg · 文件 sha256 {'ab' * 32} · landkit 9.9 · "
        "椭球面积（CGCS2000 椭球；等积投影，或地块按精确面积比例）"
    )
    assert stamp.text("en") == f"input D:/工程/鲁山.gpkg · file sha256 {'ab' * 32} · landkit 9.9 · {METHOD}"
    monkeypatch.setenv("LANDKIT_LANG", "en")
    assert stamp.text() == stamp.text("en")
    assert stamp.text("zh").startswith("数据来源 ")


def test_a_databases_stamp_names_its_content_hash_in_either_language(monkeypatch):
    monkeypatch.delenv("LANDKIT_LANG", raising=False)
    stamp = report.Stamp("postgresql://u:***@h/db", "cd" * 32, "9.9", "m", identity="content sha256")
    assert f"内容 sha256 {'cd' * 32}" in stamp.text() and "file" not in stamp.text() and "文件" not in stamp.text()
    assert f"content sha256 {'cd' * 32}" in stamp.text("en")


ZH = "数据来源 {path} · 文件 sha256 {sha} · landkit {version} · 椭球面积"
EN = "input {path} · file sha256 {sha} · landkit {version} · ellipsoidal"


@pytest.mark.parametrize(
    ("args", "env", "said"),
    [
        ((), {"LANDKIT_LANG": ""}, ZH),
        (("--lang", "en"), {"LANDKIT_LANG": ""}, EN),
        ((), {"LANDKIT_LANG": "en"}, EN),
        (("--lang", "zh"), {"LANDKIT_LANG": "en"}, ZH),
    ],
)
def test_the_audit_pages_stamp_speaks_the_runs_language(sample_copy, args, env, said):
    import hashlib

    result = run("audit", sample_copy, "--format", "html", "--quiet", *args, env=env)
    assert result.exit_code in (0, 1), result.output
    sha = hashlib.sha256(sample_copy.read_bytes()).hexdigest()
    line = _stamp_line(result.stdout)
    assert line.startswith(said.format(path=sample_copy, sha=sha, version=landkit.__version__)), line


def test_the_json_keeps_its_keys_whatever_the_language(sample_copy):
    out = {}
    for lang in ("zh", "en"):
        result = run("audit", sample_copy, "--format", "json", "--lang", lang)
        out[lang] = json.loads(result.stdout)
    assert out["zh"]["input"].keys() == out["en"]["input"].keys() == {"path", "sha256", "layers"}
    assert out["zh"]["area_method"] == out["en"]["area_method"] == METHOD  # the machine's words, in English
    info = json.loads(run("info", sample_copy, "--format", "json").stdout)
    assert "file_sha256" in info
