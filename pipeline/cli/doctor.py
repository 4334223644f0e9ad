"""`python run.py check`: is this machine ready to run the monthly assessment?

Checks the Python version, every package of requirements.txt (importable, at least its lower
bound, and whether it is the version pinned in constraints.txt), LibreOffice for PDF output, CJK
fonts, and write access to the outputs folder; and says in Chinese what is missing and how to get
it. Standard library only, and no syntax newer than Python 3.8's, so that it still speaks on a
machine where nothing is installed yet, or whose Python is too old.

Essential items (Python, the runtime packages, the outputs folder) fail the check; LibreOffice,
CJK fonts, the development tools and a version other than the pinned one are warnings.
"""

from __future__ import annotations

import importlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from pipeline.core.dependencies import RUNTIME_PACKAGES

ROOT = Path(__file__).resolve().parents[2]
MIN_PYTHON = (3, 11)
ENVIRONMENT_EXIT = 9

PASS, WARN, FAIL = "通过", "提醒", "未通过"

RUNTIME = RUNTIME_PACKAGES  # what the monthly run cannot do without
_MODULES = {
    "python-calamine": "python_calamine",
    "great-expectations": "great_expectations",
    "fonttools": "fontTools",
    "chinese-calendar": "chinese_calendar",
    "pytest-xdist": "xdist",
}
_OPTIONAL_USE = {
    "fonttools": "PDF 仍用简体中文字形，但 Linux 上字体名会显示为日文版 NotoSerifCJKjp",
    "pytest": "只在运行测试时需要",
    "hypothesis": "只在运行测试时需要",
    "pytest-xdist": "只在运行测试时需要（两个进程同时跑测试）",
    "ruff": "只在开发时检查代码风格用",
}
# Font files of the Chinese fonts Windows ships (宋体, 黑体, 微软雅黑, 等线, 楷体, 仿宋).
# Family names of CJK faces drawn for Japanese, Korean or Traditional Chinese ("Noto Sans CJK JP",
# "Source Han Serif K", "IPAGothic", "NanumGothic", …).
OTHER_REGION = re.compile(r"\b(JP|KR|TC|HK|J|K|TW)\b|^(IPA|Takao|Nanum|UnDotum|UnBatang|Baekmuk|VL )")
WINDOWS_CJK_FONTS = ("simsun.ttc", "simhei.ttf", "msyh.ttc", "msyh.ttf", "deng.ttf", "simkai.ttf", "simfang.ttf")


@dataclass(frozen=True)
class Finding:
    """One line of the check: status (通过/提醒/未通过), the item, and what to do."""

    status: str
    item: str
    text: str
    package: bool = False

    def line(self) -> str:
        return f"  [{self.status}] {self.item}：{self.text}"


def check_python(version: tuple = tuple(sys.version_info[:3])) -> Finding:
    """The interpreter's version against MIN_PYTHON."""
    shown = ".".join(str(n) for n in version[:3])
    need = ".".join(str(n) for n in MIN_PYTHON)
    if tuple(version[:2]) >= MIN_PYTHON:
        return Finding(PASS, "Python", f"{shown}（需要 {need} 或更高）")
    return Finding(
        FAIL,
        "Python",
        f"版本 {shown} 太旧，需要 {need} 或更高。请安装 Python {need} 以上版本，"
        "再按 README“安装”一节新建 .venv 虚拟环境。",
    )


def read_pins(path: Path, operator: str) -> dict[str, str]:
    """`name<operator>version` lines of a requirements or constraints file, by normalised name."""
    pins = {}
    if not path.is_file():
        return pins
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].split(";", 1)[0].strip()
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)\s*" + re.escape(operator) + r"\s*([^\s,]+)", line)
        if match:
            pins[normalise(match.group(1))] = match.group(2)
    return pins


def normalise(name: str) -> str:
    """A distribution name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def release(version: str) -> tuple[int, ...]:
    """The leading numeric part of a version ("2.2.3rc1" -> (2, 2, 3)) for comparing bounds."""
    match = re.match(r"\d+(\.\d+)*", version)
    return tuple(int(n) for n in match.group(0).split(".")) if match else ()


def check_packages(
    requirements: Path,
    constraints: Path,
    *,
    version_of: Callable[[str], str] = metadata.version,
    importer: Callable[[str], object] = importlib.import_module,
) -> list[Finding]:
    """Each package of requirements.txt: installed, importable, at least its lower bound; a
    version other than the one pinned in constraints.txt is a warning (it was not tested)."""
    lower = read_pins(requirements, ">=")
    pinned = read_pins(constraints, "==")
    findings = []
    for name, bound in lower.items():
        essential = name in RUNTIME
        findings.append(_check_package(name, bound, pinned.get(name), essential, version_of, importer))
    return findings


def _check_package(
    name: str,
    bound: str,
    pin: str | None,
    essential: bool,
    version_of: Callable[[str], str],
    importer: Callable[[str], object],
) -> Finding:
    missing_status = FAIL if essential else WARN
    use = "" if essential else f"（{_OPTIONAL_USE.get(name, '不影响月报处理')}）"
    try:
        installed = version_of(name)
    except metadata.PackageNotFoundError:
        return Finding(missing_status, name, f"未安装{use}。", package=True)
    try:
        importer(_MODULES.get(name, name))
    except Exception as exc:  # any failure to import means the package cannot be used
        return Finding(
            missing_status, name, f"已安装 {installed}，但无法导入（{type(exc).__name__}）{use}。", package=True
        )
    if release(installed) < release(bound):
        return Finding(missing_status, name, f"版本 {installed} 太旧，需要 {bound} 或更高{use}。", package=True)
    if pin is not None and installed != pin:
        return Finding(
            WARN,
            name,
            f"已安装 {installed}，测试过的版本是 {pin}（constraints.txt）。",
            package=True,
        )
    return Finding(PASS, name, installed + ("（与 constraints.txt 一致）" if pin else ""))


def install_command() -> str:
    """The pip command that installs the tested versions into the running interpreter."""
    return f'"{sys.executable}" -m pip install -r requirements.txt -c constraints.txt'


def install_hint() -> str:
    """How to install the packages, from inside or outside a virtual environment."""
    if sys.prefix == sys.base_prefix:
        return "当前用的不是程序自己的 .venv 虚拟环境：请按 README“安装”一节新建 .venv 并安装依赖包，再用 .venv 里的 Python 运行。"
    return f"请在程序文件夹里运行 {install_command()}，安装测试过的版本。"


def check_office(
    *,
    which: Callable[[str], str | None] = shutil.which,
    platform: str = sys.platform,
    environ: dict | None = None,
) -> Finding:
    """LibreOffice's soffice, on PATH or (Windows) in Program Files. Missing is a warning."""
    found = which("soffice") or which("libreoffice")
    if not found and platform == "win32":
        env = os.environ if environ is None else environ
        for base in (env.get("ProgramFiles"), env.get("ProgramFiles(x86)")):
            candidate = Path(base or "") / "LibreOffice" / "program" / "soffice.exe"
            if base and candidate.is_file():
                found = str(candidate)
                break
    if found:
        return Finding(PASS, "LibreOffice", f"已找到 {found}，可以自动生成 PDF。")
    how = (
        "从 LibreOffice 官网下载安装"
        if platform == "win32"
        else "运行 sudo apt install libreoffice-writer libreoffice-calc 安装"
    )
    return Finding(
        WARN,
        "LibreOffice",
        f"未找到 soffice，不能自动生成 PDF（Excel 结果不受影响，可用 WPS 或 Excel 手工另存为 PDF）。需要时请{how}。",
    )


def check_fonts(
    *,
    platform: str = sys.platform,
    run: Callable[..., subprocess.CompletedProcess] = subprocess.run,
    fonts_dir: Path | None = None,
) -> Finding:
    """Chinese (CJK) fonts for PDFs and charts: the Windows Fonts folder, else fontconfig's list.
    Missing is a warning (WPS and Excel bring their own)."""
    if platform == "win32":
        folder = fonts_dir or Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
        present = {p.name.lower() for p in folder.iterdir()} if folder.is_dir() else set()
        found = [name for name in WINDOWS_CJK_FONTS if name in present]
        if found:
            return Finding(PASS, "中文字体", f"{folder} 中有 {'、'.join(found)}。")
        return Finding(WARN, "中文字体", f"{folder} 中没有找到宋体、黑体或微软雅黑，生成的 PDF 中文可能显示为方框。")
    try:
        listed = run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return Finding(
            WARN, "中文字体", "找不到 fc-list，无法检查中文字体。生成 PDF 需要中文字体（如 fonts-noto-cjk）。"
        )
    families = sorted({line.split(",")[0].strip() for line in listed.splitlines() if line.strip()})
    # fontconfig lists Japanese, Korean and Traditional faces as covering Chinese too; with only
    # those, LibreOffice prints Simplified Chinese text in their glyph shapes.
    chinese = [name for name in families if not OTHER_REGION.search(name)]
    if chinese:
        shown = "、".join(chinese[:3]) + (f" 等 {len(chinese)} 种" if len(chinese) > 3 else "")
        return Finding(PASS, "中文字体", f"已安装 {shown}。")
    if families:
        shown = "、".join(families[:3]) + (f" 等 {len(families)} 种" if len(families) > 3 else "")
        return Finding(
            WARN,
            "中文字体",
            f"只找到日文、韩文或繁体字形的字体（{shown}），生成的 PDF 中简体字会显示为日文或韩文字形。"
            "请运行 sudo apt install fonts-noto-cjk 安装简体中文字体（Noto Serif CJK SC、Noto Sans CJK SC）。",
        )
    return Finding(
        WARN,
        "中文字体",
        "没有找到中文字体，生成的 PDF 和图表中文会显示为方框。请运行 sudo apt install fonts-noto-cjk 安装。",
    )


def check_outputs(outputs: Path) -> Finding:
    """Write access to the outputs folder, or to the nearest existing folder above it (the run
    creates the rest)."""
    target = Path(outputs)
    folder = target
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent
    if not folder.is_dir():
        return Finding(
            FAIL, "输出目录", f"{target} 无法创建：{folder} 是一个文件而不是文件夹。请用 --outputs 指定其他目录。"
        )
    try:
        handle, probe = tempfile.mkstemp(dir=folder, prefix=".check-")
        os.close(handle)
        os.unlink(probe)
    except OSError as exc:
        return Finding(
            FAIL,
            "输出目录",
            f"{folder} 无法写入（{exc.strerror or type(exc).__name__}）。请检查文件夹权限，或用 --outputs 指定其他目录。",
        )
    note = "" if folder == target else f"（尚不存在，运行时会在 {folder} 下创建）"
    return Finding(PASS, "输出目录", f"{target} 可以写入{note}。")


def run_checks(outputs: Path, *, root: Path = ROOT) -> list[Finding]:
    """Every check, in the order the report shows them."""
    return [
        check_python(),
        *check_packages(root / "requirements.txt", root / "constraints.txt"),
        check_office(),
        check_fonts(),
        check_outputs(outputs),
    ]


def passed(findings: list[Finding]) -> bool:
    """True when no essential item failed (warnings do not count)."""
    return all(f.status != FAIL for f in findings)


def report(findings: list[Finding]) -> str:
    """The Chinese report: one line per item, then the verdict."""
    lines = ["运行环境检查："] + [f.line() for f in findings]
    failed = sum(f.status == FAIL for f in findings)
    warned = sum(f.status == WARN for f in findings)
    if any(f.package and f.status != PASS for f in findings):
        lines.append(f"依赖包：{install_hint()}")
    if failed:
        lines.append(f"结论：有 {failed} 项必需项未通过，请先解决再处理月报（安装方法见 README“安装”一节）。")
    else:
        lines.append("结论：必需项全部通过，可以处理月报" + (f"（另有 {warned} 项提醒，见上）。" if warned else "。"))
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Entry point when click itself is missing: `check` reports; any other command is told to
    install first (after the same report)."""
    outputs = ROOT / "outputs"
    if "--outputs" in argv[:-1]:
        outputs = Path(argv[argv.index("--outputs") + 1])
    findings = run_checks(outputs)
    asked = "check" in argv
    if not asked:
        print("程序还没有装好（缺少 click 等依赖包），不能运行该命令。", file=sys.stderr)
    print(report(findings))
    return 0 if asked and passed(findings) else ENVIRONMENT_EXIT
