"""`python run.py check`: each item of the environment check, its Chinese words and the exit code."""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata
from pathlib import Path

from click.testing import CliRunner

import run
from pipeline.cli import doctor
from pipeline.cli.doctor import FAIL, PASS, WARN, Finding
from pipeline.reports import month_outputs

ROOT = Path(run.__file__).resolve().parent


def write_lists(tmp_path: Path) -> tuple[Path, Path]:
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("# comment\npandas>=2.2\nclick>=8.1  # inline\npytest>=8.0\n", encoding="utf-8")
    constraints = tmp_path / "constraints.txt"
    constraints.write_text("# pins\npandas==3.1.1\nclick==8.5.1\npytest==9.2.0\nnumpy==2.4.6\n", encoding="utf-8")
    return requirements, constraints


def versions(**installed: str):
    def version_of(name: str) -> str:
        if name not in installed:
            raise metadata.PackageNotFoundError(name)
        return installed[name]

    return version_of


def importable(name: str) -> object:
    return object()


def by_item(findings: list[Finding]) -> dict[str, tuple[str, str]]:
    return {f.item: (f.status, f.text) for f in findings}


def test_python_older_than_3_11_fails_and_says_what_to_install():
    assert doctor.check_python((3, 11, 7)) == Finding(PASS, "Python", "3.11.7（需要 3.11 或更高）")
    old = doctor.check_python((3, 8, 10))
    assert old.status == FAIL
    assert old.text.startswith("版本 3.8.10 太旧，需要 3.11 或更高。请安装 Python 3.11 以上版本")


def test_minimum_python_is_the_one_pyproject_declares():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'requires-python = ">=3.11"' in pyproject
    assert doctor.MIN_PYTHON == (3, 11)


def test_packages_pinned_and_installed_pass(tmp_path):
    requirements, constraints = write_lists(tmp_path)
    found = doctor.check_packages(
        requirements,
        constraints,
        version_of=versions(pandas="3.1.1", click="8.5.1", pytest="9.2.0"),
        importer=importable,
    )
    assert by_item(found) == {
        "pandas": (PASS, "3.1.1（与 constraints.txt 一致）"),
        "click": (PASS, "8.5.1（与 constraints.txt 一致）"),
        "pytest": (PASS, "9.2.0（与 constraints.txt 一致）"),
    }


def test_missing_runtime_package_fails_and_missing_test_tool_warns(tmp_path):
    requirements, constraints = write_lists(tmp_path)
    found = by_item(
        doctor.check_packages(requirements, constraints, version_of=versions(click="8.5.1"), importer=importable)
    )
    assert found["pandas"] == (FAIL, "未安装。")
    assert found["pytest"] == (WARN, "未安装（只在运行测试时需要）。")


def test_version_below_the_lower_bound_fails_and_an_untested_one_warns(tmp_path):
    requirements, constraints = write_lists(tmp_path)
    found = by_item(
        doctor.check_packages(
            requirements,
            constraints,
            version_of=versions(pandas="2.1.4", click="8.4.0", pytest="9.2.0"),
            importer=importable,
        )
    )
    assert found["pandas"] == (FAIL, "版本 2.1.4 太旧，需要 2.2 或更高。")
    assert found["click"] == (WARN, "已安装 8.4.0，测试过的版本是 8.5.1（constraints.txt）。")


def test_installed_but_unimportable_package_fails(tmp_path):
    requirements, constraints = write_lists(tmp_path)

    def broken(name: str) -> object:
        if name == "pandas":
            raise ImportError("DLL load failed")
        return object()

    found = by_item(
        doctor.check_packages(
            requirements,
            constraints,
            version_of=versions(pandas="3.1.1", click="8.5.1", pytest="9.2.0"),
            importer=broken,
        )
    )
    assert found["pandas"] == (FAIL, "已安装 3.1.1，但无法导入（ImportError）。")


def test_every_requirement_of_this_checkout_imports_under_its_module_name():
    found = doctor.check_packages(ROOT / "requirements.txt", ROOT / "constraints.txt")
    assert [f.text for f in found if "无法导入" in f.text] == []


def test_every_runtime_package_is_a_requirement_and_the_month_records_it():

    assert set(doctor.RUNTIME) == set(month_outputs.PACKAGES)
    assert set(doctor.RUNTIME) <= set(doctor.read_pins(ROOT / "requirements.txt", ">="))


def test_missing_libreoffice_is_only_a_warning():
    missing = doctor.check_office(which=lambda name: None, platform="linux")
    assert missing.status == WARN
    assert "sudo apt install libreoffice-writer libreoffice-calc" in missing.text
    assert doctor.passed([doctor.check_python((3, 11, 2)), missing])
    found = doctor.check_office(which=lambda name: "/usr/bin/soffice" if name == "soffice" else None)
    assert found == Finding(PASS, "LibreOffice", "已找到 /usr/bin/soffice，可以自动生成 PDF。")


def test_libreoffice_in_windows_program_files_is_found(tmp_path):
    soffice = tmp_path / "LibreOffice" / "program" / "soffice.exe"
    soffice.parent.mkdir(parents=True)
    soffice.write_bytes(b"")
    found = doctor.check_office(which=lambda name: None, platform="win32", environ={"ProgramFiles": str(tmp_path)})
    assert found.status == PASS and str(soffice) in found.text


def test_cjk_fonts_from_fontconfig_or_the_windows_fonts_folder(tmp_path):
    def listing(text: str):
        return lambda *args, **kwargs: subprocess.CompletedProcess(args, 0, stdout=text)

    assert doctor.check_fonts(platform="linux", run=listing("")).status == WARN
    found = doctor.check_fonts(
        platform="linux", run=listing("Noto Sans CJK SC,Noto Sans CJK SC Regular\nAR PL UMing\n")
    )
    assert found == Finding(PASS, "中文字体", "已安装 AR PL UMing、Noto Sans CJK SC。")

    def no_fc_list(*args, **kwargs):
        raise FileNotFoundError("fc-list")

    assert doctor.check_fonts(platform="linux", run=no_fc_list).text.startswith("找不到 fc-list")
    assert doctor.check_fonts(platform="win32", fonts_dir=tmp_path).status == WARN
    (tmp_path / "SimSun.ttc").write_bytes(b"")
    assert doctor.check_fonts(platform="win32", fonts_dir=tmp_path) == Finding(
        PASS, "中文字体", f"{tmp_path} 中有 simsun.ttc。"
    )


def test_only_japanese_or_korean_cjk_faces_are_a_warning_naming_the_package_for_simplified_chinese():
    def listing(text: str):
        return lambda *args, **kwargs: subprocess.CompletedProcess(args, 0, stdout=text)

    only_others = listing("Noto Serif CJK JP,Noto Serif CJK JP Regular\nNoto Sans CJK KR\nNoto Sans Mono CJK TC\n")
    found = doctor.check_fonts(platform="linux", run=only_others)
    assert found.status == WARN
    assert found.text.startswith(
        "只找到日文、韩文或繁体字形的字体（Noto Sans CJK KR、Noto Sans Mono CJK TC、Noto Serif CJK JP）"
    )
    assert "sudo apt install fonts-noto-cjk" in found.text and "Noto Serif CJK SC" in found.text
    with_simplified = listing("Noto Serif CJK JP\nNoto Serif CJK SC\nWenQuanYi Zen Hei\n")
    assert doctor.check_fonts(platform="linux", run=with_simplified) == Finding(
        PASS, "中文字体", "已安装 Noto Serif CJK SC、WenQuanYi Zen Hei。"
    )


def test_outputs_folder_writable_missing_or_blocked(tmp_path):
    assert doctor.check_outputs(tmp_path) == Finding(PASS, "输出目录", f"{tmp_path} 可以写入。")
    assert not list(tmp_path.iterdir())
    later = tmp_path / "new" / "out"
    assert doctor.check_outputs(later).text == f"{later} 可以写入（尚不存在，运行时会在 {tmp_path} 下创建）。"
    (tmp_path / "afile").write_text("x")
    blocked = doctor.check_outputs(tmp_path / "afile" / "out")
    assert blocked.status == FAIL
    assert blocked.text.startswith(
        f"{tmp_path / 'afile' / 'out'} 无法创建：{tmp_path / 'afile'} 是一个文件而不是文件夹。"
    )


def test_report_ends_with_the_verdict_and_one_install_hint():
    findings = [
        Finding(PASS, "Python", "3.11.7（需要 3.11 或更高）"),
        Finding(FAIL, "pandas", "未安装。", package=True),
        Finding(WARN, "LibreOffice", "未找到 soffice。"),
    ]
    lines = doctor.report(findings).splitlines()
    assert lines[:4] == [
        "运行环境检查：",
        "  [通过] Python：3.11.7（需要 3.11 或更高）",
        "  [未通过] pandas：未安装。",
        "  [提醒] LibreOffice：未找到 soffice。",
    ]
    assert lines[4].startswith("依赖包：")
    assert lines[5] == "结论：有 1 项必需项未通过，请先解决再处理月报（安装方法见 README“安装”一节）。"
    assert (
        doctor.report(findings[:1] + findings[2:]).splitlines()[-1]
        == "结论：必需项全部通过，可以处理月报（另有 1 项提醒，见上）。"
    )


def test_check_command_exits_0_on_warnings_and_9_on_a_failure(monkeypatch, tmp_path):
    monkeypatch.setattr(doctor, "run_checks", lambda outputs: [Finding(WARN, "LibreOffice", "未找到 soffice。")])
    result = CliRunner().invoke(run.cli, ["--inputs", str(tmp_path), "check"])  # no plan: no heads to check
    assert result.exit_code == 0
    assert result.output.endswith("结论：必需项全部通过，可以处理月报（另有 1 项提醒，见上）。\n")
    monkeypatch.setattr(doctor, "run_checks", lambda outputs: [Finding(FAIL, "输出目录", f"{outputs} 无法写入。")])
    result = CliRunner().invoke(run.cli, ["--outputs", str(tmp_path / "o"), "check"])
    assert result.exit_code == doctor.ENVIRONMENT_EXIT == 9
    assert f"  [未通过] 输出目录：{tmp_path / 'o'} 无法写入。" in result.output


def test_check_of_this_environment_passes(tmp_path):
    result = CliRunner().invoke(run.cli, ["--outputs", str(tmp_path), "check"])
    assert result.exit_code == 0, result.output
    for item in ("Python", "pandas", "great-expectations", "click", "LibreOffice", "中文字体", "输出目录"):
        assert f"] {item}：" in result.output
    assert "结论：必需项全部通过，可以处理月报" in result.output


def test_check_speaks_even_when_click_is_not_installed(tmp_path):
    code = (
        "import runpy, sys; sys.modules['click'] = None; "
        f"sys.argv = ['run.py', '--outputs', {str(tmp_path)!r}, 'check']; "
        "runpy.run_path('run.py', run_name='__main__')"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 9, done.stderr
    assert "Traceback" not in done.stderr
    assert "  [未通过] click：" in done.stdout
    assert done.stdout.splitlines()[-1].startswith("结论：有 1 项必需项未通过")
