"""Cross-file resolution timings on nova's tests: cold and warm per file, and what the warm path adds.

Run: python bench/resolve.py
nova 34.0.0's wheel is fetched into the corpus tests' cache (.corpus/), as they do.
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
from pathlib import Path

from corpora import nova_root

from secls.analysis import analyze
from secls.analysis.resolution import Resolution
from secls.resolve.jedi_resolver import JediResolver

MODULE_2K = "nova/tests/unit/virt/libvirt/test_migration.py"


def per_file(resolver: JediResolver, files: list[Path]) -> list[float]:
    """Seconds to resolve each file's questions."""
    times = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        start = time.perf_counter()
        resolver.resolve(text, str(path))
        times.append(time.perf_counter() - start)
    return times


def median_ms(fn, repeat: int = 21) -> float:
    """Median wall time of fn() in milliseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def main() -> None:
    root = nova_root()
    files = sorted((root / "nova" / "tests").rglob("*.py"))
    resolver = JediResolver(root)
    cold = per_file(resolver, files)
    warm = per_file(resolver, files)
    q = statistics.quantiles
    print(f"Cross-file resolution over nova 34.0.0's tests ({len(files)} files), Python {sys.version.split()[0]}\n")
    print("| pass | total s | median ms/file | p95 ms/file | max ms |")
    print("|---|---:|---:|---:|---:|")
    for name, times in (("cold (new resolver)", cold), ("warm (same resolver)", warm)):
        print(f"| {name} | {sum(times):.1f} | {statistics.median(times) * 1000:.1f} | "
              f"{q(times, n=20)[-1] * 1000:.1f} | {max(times) * 1000:.0f} |")

    text = (root / MODULE_2K).read_text(encoding="utf-8")
    lines = text.count("\n")
    resolution = resolver.resolve(text, str(root / MODULE_2K))
    gc.collect()
    gc.freeze()
    without = median_ms(lambda: analyze(text, MODULE_2K, resolver=Resolution()))
    with_answers = median_ms(lambda: analyze(text, MODULE_2K, resolver=resolution))
    rewarm = median_ms(lambda: resolver.resolve(text, str(root / MODULE_2K)), repeat=7)
    print(f"\nWarm path on {MODULE_2K} ({lines} lines): analyze() {without:.1f} ms with no answers, "
          f"{with_answers:.1f} ms with the resolved answers (+{with_answers - without:.1f} ms); "
          f"re-resolving it in the background (warm): {rewarm:.1f} ms")


if __name__ == "__main__":
    main()
