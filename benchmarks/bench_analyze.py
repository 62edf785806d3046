"""End-to-end ``analyze`` on synthetic corpora of growing size: a per-stage table and the scaling curve.

Each size runs in its own process (``python -m policynlp analyze``) with the default
configuration, so its peak memory is its own.  Stage times and peak RSS come from the
run's ``manifest``-side log (``run.log``); the figure plots seconds against documents on
log-log axes, one line per stage, and the table gives each stage's local exponent
(1.0 = linear; above 1 the stage bends upwards).

    python benchmarks/bench_analyze.py --sizes 1000,10000,100000 --out /tmp/bench_analyze
"""

from __future__ import annotations

import argparse
import json
import math
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

STAGE = re.compile(r"stage (\w+): ([\d.]+) s")


def run_size(n, folder, scheduler=None):
    from policynlp.synthetic import write_synthetic

    src = write_synthetic(folder / f"syn{n}.parquet", n, seed=0)
    out = folder / (f"analyze{n}" + ("" if scheduler is None else "_dask"))
    cmd = [sys.executable, "-m", "policynlp", "analyze", str(src), "--out", str(out), "--force", "--no-progress"]
    if scheduler:
        cmd += ["--scheduler", scheduler]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    total = time.perf_counter() - t0
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    stages = {}
    for line in (out / "run.log").read_text(encoding="utf-8").splitlines():
        m = STAGE.search(line)
        if m:
            stages[m.group(1)] = float(m.group(2))  # the last run's figure wins
    mb = src.stat().st_size / 1e6
    return {"docs": n, "parquet_mb": mb, "total_s": total, "peak_rss_mb": peak, "stages": stages}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--out", default="bench_analyze_out")
    ap.add_argument("--scheduler", help="also pass --scheduler (e.g. local) to analyze")
    ap.add_argument("--reuse", action="store_true",
                    help="keep the sizes already in OUT/results.json instead of running them again")
    args = ap.parse_args(argv)
    folder = Path(args.out)
    folder.mkdir(parents=True, exist_ok=True)
    saved = folder / "results.json"
    done = {r["docs"]: r for r in json.loads(saved.read_text(encoding="utf-8"))} if args.reuse and saved.is_file() else {}
    rows = []
    for n in [int(x) for x in args.sizes.split(",")]:
        rows.append(done.get(n) or run_size(n, folder, args.scheduler))
        print(f"{n} documents: {rows[-1]['total_s']:.0f} s, peak {rows[-1]['peak_rss_mb']:.0f} MB", flush=True)
        saved.write_text(json.dumps(sorted({**done, **{r["docs"]: r for r in rows}}.values(), key=lambda r: r["docs"]),
                                   indent=1), encoding="utf-8")
    stages = list(rows[0]["stages"])
    print()
    print("| stage | " + " | ".join(f"{r['docs']:,} docs (s)" for r in rows) + " | exponent (last two sizes) |")
    print("|---|" + "---:|" * (len(rows) + 1))
    for st in stages + ["total"]:
        vals = [r["total_s"] if st == "total" else r["stages"].get(st, float("nan")) for r in rows]
        exp = ""
        if len(rows) >= 2 and vals[-2] > 0.05 and vals[-1] > 0:
            exp = f"{math.log(vals[-1] / vals[-2]) / math.log(rows[-1]['docs'] / rows[-2]['docs']):.2f}"
        print(f"| {st} | " + " | ".join(f"{v:.1f}" for v in vals) + f" | {exp} |")
    print("| peak RSS (MB) | " + " | ".join(f"{r['peak_rss_mb']:.0f}" for r in rows) + " | |")
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return 0
    fig, ax = plt.subplots(figsize=(7, 4.5))
    docs = [r["docs"] for r in rows]
    for st in stages:
        ax.plot(docs, [max(r["stages"].get(st, 0.0), 0.05) for r in rows], marker="o", label=st)
    ax.plot(docs, [r["total_s"] for r in rows], marker="s", color="black", linewidth=2, label="total")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("documents (synthetic, seed 0)")
    ax.set_ylabel("seconds")
    ax.set_title("policynlp analyze: time per stage vs corpus size")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, ncol=2)
    fig.tight_layout()
    fig.savefig(folder / "scaling.png", dpi=120)
    print(f"\nfigure → {folder / 'scaling.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
