"""``python -m policynlp``: the same as the ``policynlp`` command."""

import sys

from .cli import main

sys.exit(main())
