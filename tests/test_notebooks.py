"""Every notebook runs top to bottom on the bundled corpus (outputs are not committed)."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_committed_notebooks_are_what_the_generator_writes(tmp_path):
    """notebooks/*.ipynb are written by tools/make_notebooks.py: an edit to one without the other is caught."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_notebooks", ROOT / "tools" / "make_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.build(tmp_path)
    made = sorted(p.name for p in tmp_path.glob("*.ipynb"))
    assert made == [p.name for p in NOTEBOOKS]
    stale = [name for name in made if (tmp_path / name).read_bytes() != (ROOT / "notebooks" / name).read_bytes()]
    assert not stale, f"re-run python tools/make_notebooks.py: {stale} differ from what it writes"


@pytest.mark.slow  # executing notebooks: run in CI, not in the development loop
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(path, tmp_path):
    nbformat = pytest.importorskip("nbformat")
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "commit notebooks with outputs cleared"
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    streams = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs
                      if o.output_type == "stream")
    assert "Glyph" not in streams and "missing from font" not in streams, "Chinese must render (no tofu)"
    images = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if "image/png" in o.get("data", {})]
    if "topic" in path.name:
        assert images, "the topic notebook shows figures"


def test_there_are_notebooks():
    assert {p.name for p in NOTEBOOKS} >= {"01_quickstart.ipynb", "02_topic_analysis.ipynb"}
