import shutil
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


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
