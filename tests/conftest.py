import shutil
import textwrap
from pathlib import Path

import pytest

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
