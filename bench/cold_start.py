"""Cold start: import time of the deployed API handler versus a bare Chalice app with boto3.

    .venv/bin/python -m bench.cold_start [--runs 15]

Both are imported from the packaged Lambda bundle (build/package/deployment.zip,
built if missing), the way Lambda does it: a fresh interpreter per sample,
without the venv's site-packages, only the unpacked bundle on sys.path.
Samples alternate between the two so that machine noise hits both alike.
The last line is JSON; `ratio` is median(app) / median(bare). Target ≤ 1.3.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "build" / "package" / "deployment.zip"
TARGET = 1.3

BARE_APP = """import boto3
from chalice import Chalice

app = Chalice(app_name="bare")


@app.route("/")
def index():
    return {"ok": True}
"""

# Time only the import of the handler module, as Lambda's init phase does.
PROBE = "import time; t = time.perf_counter(); import app; print(time.perf_counter() - t)"

TEMPLATE = ROOT / "build" / "package" / "sam.json"
API_FUNCTION = "APIHandler"
# What Lambda itself sets; the rest comes from the template.
RUNTIME_ENV = {"AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1"}


def lambda_environment(template: Path = TEMPLATE) -> dict[str, str]:
    """The API function's variables as the packaged template declares them (so the probe never drifts from
    the deploy). References to resources (Ref, GetAtt, Sub) become placeholders: only their presence matters
    at import."""
    resources = json.loads(template.read_text(encoding="utf-8"))["Resources"]
    declared = resources[API_FUNCTION]["Properties"]["Environment"]["Variables"]
    env = {name: value if isinstance(value, str) else f"bench-{name.lower()}" for name, value in declared.items()}
    return {**RUNTIME_ENV, **env}


def ensure_bundle() -> Path:
    if not BUNDLE.exists():
        subprocess.run([sys.executable, "-m", "infra.build", "package"], cwd=ROOT, check=True)
    return BUNDLE


def sample(code_dir: Path, bundle_dir: Path, lambda_env: dict[str, str]) -> float:
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": f"{code_dir}{os.pathsep}{bundle_dir}", **lambda_env}
    # -S: no site-packages, like the Lambda runtime; -B: do not write bytecode during the run.
    out = subprocess.run(
        [sys.executable, "-S", "-B", "-c", PROBE], cwd=code_dir, env=env, capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15, help="samples per side (at least 10)")
    args = parser.parse_args()
    runs = max(10, args.runs)
    bundle = ensure_bundle()
    lambda_env = lambda_environment()
    with tempfile.TemporaryDirectory() as tmp:
        deployed = Path(tmp) / "deployed"
        with zipfile.ZipFile(bundle) as zf:
            zf.extractall(deployed)
        bare = Path(tmp) / "bare"
        bare.mkdir()
        (bare / "app.py").write_text(BARE_APP, encoding="utf-8")
        # One untimed import each, so that the file cache is warm for both.
        sample(deployed, deployed, lambda_env)
        sample(bare, deployed, lambda_env)
        app_times, bare_times = [], []
        for _ in range(runs):
            app_times.append(sample(deployed, deployed, lambda_env))
            bare_times.append(sample(bare, deployed, lambda_env))
    app_median, bare_median = statistics.median(app_times), statistics.median(bare_times)
    ratio = app_median / bare_median
    print(f"deployed API handler (import app): median {app_median * 1000:.1f} ms over {runs} fresh interpreters")
    print(f"bare Chalice app + boto3:          median {bare_median * 1000:.1f} ms over {runs} fresh interpreters")
    print(f"ratio {ratio:.2f} (target <= {TARGET})")
    print(
        json.dumps(
            {
                "bench": "cold_start",
                "ratio": round(ratio, 3),
                "target": TARGET,
                "app_ms": round(app_median * 1000, 1),
                "bare_ms": round(bare_median * 1000, 1),
                "runs": runs,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
