"""Sign and verify throughput of the generated service's RFC 9421 profile, raw PyNaCl beside it.

Renders an architecture-mode project, then runs the measurement inside the template's shared venv
(which holds PyNaCl), so the numbers are those of the code users get. Raw PyNaCl sign/verify of the
same signature base runs in the same process and the same run: the gap is the profile's own work
(Content-Digest, parsing, the signature base, the nonce store). Prints a Markdown table.

    uv run python benchmarks/bench_signing.py [--ops 2000] [--repeats 7]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import template_harness as harness  # the harness lives beside the repo's tests

# Runs in the generated project's venv; prints one JSON object of ops/s lists.
MEASURE = r"""
import json, statistics, sys, time

import anyio
from nacl.signing import SigningKey

from load_svc.identity import Identity
from load_svc.nonces import MemoryNonceStore
from load_svc.origins import PublicOrigins
from load_svc.signing import Signer
from load_svc.verifier import Verifier

OPS, REPEATS = int(sys.argv[1]), int(sys.argv[2])
URI = "http://127.0.0.1:8000/process"
BODY = json.dumps({"data": {f"k{i}": i for i in range(50)}}).encode()  # ~0.6 KiB


def rate(seconds):
    return OPS / seconds


async def main():
    identity = Identity.generate()
    signer = Signer(identity, max_age_s=60)
    key = SigningKey.generate()
    headers = signer.sign("POST", URI, BODY)
    base = ("x" * 300).encode()  # about the size of this profile's signature base
    raw_signature = key.sign(base).signature
    results = {"profile sign": [], "profile verify": [], "raw sign": [], "raw verify": []}
    for _ in range(REPEATS):
        start = time.perf_counter()
        for _ in range(OPS):
            key.sign(base)
        results["raw sign"].append(rate(time.perf_counter() - start))

        start = time.perf_counter()
        for _ in range(OPS):
            key.verify_key.verify(base, raw_signature)
        results["raw verify"].append(rate(time.perf_counter() - start))

        start = time.perf_counter()
        signed = [signer.sign("POST", URI, BODY) for _ in range(OPS)]
        results["profile sign"].append(rate(time.perf_counter() - start))

        # A fresh store per repeat: every request carries a new nonce, as in production.
        verifier = Verifier(
            [identity.did],
            MemoryNonceStore(max_entries=OPS),
            origins=PublicOrigins.from_settings((), "127.0.0.1", None),
            max_age_s=60,
            skew_s=5,
        )
        lowered = [{k.lower(): v for k, v in h.items()} for h in signed]
        start = time.perf_counter()
        for h in lowered:
            await verifier.verify("POST", URI, h, BODY, server=("127.0.0.1", 8000))
        results["profile verify"].append(rate(time.perf_counter() - start))
    print(json.dumps({"body_bytes": len(BODY), "results": results}))


anyio.run(main)
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ops", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="forge-bench-sign-"))
    snapshot = harness.template_snapshot(work / "template-src")
    full = harness.render(work / "all", harness.ALL_MODES, src=snapshot)
    venv = harness.shared_venv(full)
    modes = ["python", "architecture"]
    project = harness.render(work / "svc", modes, name="Load Svc", src=snapshot)
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(project / "src")}
    result = subprocess.run(
        [str(venv / "bin" / "python"), "-c", MEASURE, str(args.ops), str(args.repeats)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(result.stdout)
    results: dict[str, list[float]] = data["results"]
    medians = {name: statistics.median(values) for name, values in results.items()}
    print(f"{args.ops} ops x {args.repeats} repeats; body {data['body_bytes']} bytes\n")
    print("| operation | median ops/s | µs/op | time per op vs raw PyNaCl |")
    print("|---|---|---|---|")
    for name, raw in (("raw sign", "raw sign"), ("profile sign", "raw sign"),
                      ("raw verify", "raw verify"), ("profile verify", "raw verify")):  # fmt: skip
        ops = medians[name]
        ratio = "reference" if name == raw else f"{medians[raw] / ops:.2f}x"
        print(f"| {name} | {ops:,.0f} | {1e6 / ops:.1f} | {ratio} |")


if __name__ == "__main__":
    main()
