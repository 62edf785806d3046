"""What a non-editable install ships: every sub-package of policynlp is listed in setup.cfg."""

import configparser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_subpackage_is_listed_for_installation():
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    listed = {p.strip() for p in cfg["options"]["packages"].split() if p.strip()}
    found = {".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "policynlp").rglob("__init__.py")}
    assert found <= listed, f"add to setup.cfg [options] packages: {sorted(found - listed)}"


def test_every_bundled_data_file_is_declared_as_package_data():
    """Taxonomies, lexicons, the report's template and the network pages' scripts reach a wheel."""
    from fnmatch import fnmatch

    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    patterns = [p.strip() for p in cfg["options.package_data"]["policynlp"].split(",") if p.strip()]
    data = [f.relative_to(ROOT / "policynlp").as_posix() for f in (ROOT / "policynlp" / "data").rglob("*")
            if f.is_file() and "__pycache__" not in f.parts and f.suffix != ".py"]
    undeclared = [f for f in data if not any(fnmatch(f, p) and f.count("/") == p.count("/") for p in patterns)]
    assert data and not undeclared, f"add to setup.cfg [options.package_data]: {undeclared}"
