"""Progress bars where a person waits, without noise where nobody does.

``tqdm.auto`` warns in Jupyter when ipywidgets is missing; we choose the
notebook bar only when ipywidgets is importable, else the text bar.
``disable=None`` (the default of ``progress=None``) hides bars when the
output is not a terminal.
"""

from importlib.util import find_spec


def _in_notebook():
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and shell.__class__.__name__ == "ZMQInteractiveShell"


def progress(iterable=None, *, progress=None, **kwargs):
    """A tqdm bar over ``iterable``; ``progress`` True/False forces it on/off, None decides by the terminal."""
    if _in_notebook() and find_spec("ipywidgets") is not None:
        from tqdm.notebook import tqdm
    else:
        from tqdm import tqdm
    disable = None if progress is None else not progress
    if _in_notebook() and progress is None:
        disable = False  # a notebook user waits too, even though stderr is not a terminal
    return tqdm(iterable, disable=disable, **kwargs)
