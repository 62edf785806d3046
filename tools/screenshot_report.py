"""Screenshots of an analysis's pages in headless Chromium, to look at them as a reader would.

    python tools/screenshot_report.py results/            # results/report.png, results/topics_ldavis.png

Uses the ``chromium`` (or ``chromium-browser``, ``google-chrome``) on the PATH.
Run it on a machine without Chinese system fonts to check that the pages carry
their own (they embed a subset of the figures' CJK font).
"""

import argparse
import shutil
import subprocess
import sys
from pathlib import Path


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", help="an analyze output folder")
    ap.add_argument("--height", type=int, default=6000, help="page height in pixels (default 6000)")
    args = ap.parse_args(argv)
    browser = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
    if browser is None:
        sys.exit("no headless Chromium found on the PATH (apt-get install chromium)")
    folder = Path(args.folder)
    for page, shot, size in ((folder / "report.html", folder / "report.png", f"1200,{args.height}"),
                             (folder / "topics" / "topics_ldavis.html", folder / "topics_ldavis.png", "1400,900")):
        if not page.is_file():
            print(f"{page}: not there, skipped")
            continue
        done = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
                               f"--window-size={size}", f"--screenshot={shot}", str(page.resolve())],
                              capture_output=True, text=True, timeout=300)
        errors = [line for line in done.stderr.splitlines() if ":CONSOLE" in line and ("Uncaught" in line or "Error" in line)]
        print(f"{shot}" + (f" — script errors: {errors}" if errors else ""))


if __name__ == "__main__":
    main()
