import shutil
import textwrap
from pathlib import Path

import pytest

import localserver
from browsing import AXE, CHROMIUM, HTML, require

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"

# one valid fact (2017 §4.4), the starting point of the tests that break the data on purpose
GOOD_FACT = """\
- id: 2017-tax-rd-deduction-firms
  heading: 普惠性财税政策红利持续释放
  indicator: rd_super_deduction_firms
  value: 8926
  unit: count
  qualifier: exact
  period: "2016"
  quote: 享受研发费加计扣除政策企业8926家
"""


@pytest.fixture(scope="session")
def ds():
    from stbook.dataset import load
    return load()


@pytest.fixture
def mini(tmp_path):
    """A small dataset (real sources and catalogue, one facts file) to break on purpose."""
    root = tmp_path / "data"
    shutil.copytree(DATA / "sources", root / "sources")
    shutil.copytree(DATA / "indicators", root / "indicators")
    (root / "facts" / "2017").mkdir(parents=True)

    def write(facts_yaml: str, name: str = "4.4.yaml") -> Path:
        head = ("report: 2017\nsection: \"4.4\"\ntitle_zh: 优化创新创业服务\n"
                "title_en: Better services\nfacts:\n")
        path = root / "facts" / "2017" / name
        path.write_text(head + textwrap.indent(textwrap.dedent(facts_yaml), "  "),
                        encoding="utf-8")
        return root
    return write


@pytest.fixture(scope="session")
def book(request):
    """The built book: with --build-book, once the background build (../conftest.py) is done."""
    if request.config.getoption("--build-book"):
        import backgroundbuild
        failed = backgroundbuild.wait()
        if failed:
            pytest.fail(failed)
    require((HTML / "index.html").exists(), "the book is not built: run `make book`")
    return HTML


@pytest.fixture(scope="session")
def server(book, tmp_path_factory):
    """The built book, served from this machine (tests/support/localserver.py)."""
    log = tmp_path_factory.mktemp("book-server") / "server.log"
    try:
        with localserver.serve_directory(HTML, log) as url:
            yield url
    except localserver.ServerDidNotStart as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, headless, with every host but this machine unresolvable."""
    require(Path(CHROMIUM).exists(), f"Debian chromium is not installed ({CHROMIUM} not found): run "
            "`make setup-system` (sudo apt-get install chromium fonts-noto-cjk npm)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            # every host but this machine resolves to nothing: the book must not need one
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"])
        yield b
        b.close()


@pytest.fixture(scope="session")
def axe_source():
    """axe-core, pinned in package.json and installed by `npm ci` (make test does)."""
    require(AXE.exists(), "axe-core is not installed: run `npm ci` (make test does)")
    return AXE.read_text(encoding="utf-8")
