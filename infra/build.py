"""Package the deployable template, and lint it.

    .venv/bin/python -m infra.build package [--stage prod] [--out build/package]
    .venv/bin/python -m infra.build lint [--out build/package]

`package` runs `chalice package` with infra/resources.json merged in (the ASL
files inlined), adds compiled bytecode to the Lambda zip (Lambda cannot write
__pycache__, so without it every cold start compiles every module), and
translates the SAM template to plain CloudFormation offline. `lint` runs
cfn-lint on both, since each catches errors the other misses.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import py_compile
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from infra.template import merge_template

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "build" / "package"
ARTIFACT_URI = "s3://yuncai-deploy-artifacts/yuncai/deployment.zip"
LAYERS = {
    "AnalyticsLayer": ("analytics-layer.zip", ROOT / "infra" / "layers" / "analytics.txt"),
    "ReportsLayer": ("reports-layer.zip", ROOT / "infra" / "layers" / "reports.txt"),
    "MediaLayer": ("media-layer.zip", ROOT / "infra" / "layers" / "media.txt"),
}
LAYER_URI = "s3://yuncai-deploy-artifacts/yuncai/{}"


def _bin(name: str) -> str:
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else name


def package(stage: str, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    merge_file = out.parent / f"merge-{stage}.json"
    merge_file.write_text(json.dumps(merge_template(), ensure_ascii=False, indent=1), encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    env = {**os.environ, "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "us-east-1")}
    subprocess.run(
        [_bin("chalice"), "package", "--stage", stage, "--merge-template", str(merge_file), str(out)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    add_bytecode(out / "deployment.zip")
    for file_name, requirements in LAYERS.values():
        build_layer(requirements, out / file_name)
    translate(out / "sam.json", out / "cfn.json")
    return out


def build_layer(requirements: Path, zip_path: Path) -> int:
    """A Lambda layer of the pinned wheels for the Lambda platform (python/ at its root); returns its size unzipped."""
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "python"
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
             "--only-binary=:all:", "--platform", "manylinux2014_x86_64", "--implementation", "cp",
             "--python-version", "3.11", "--target", str(target), "-r", str(requirements)],
            check=True,
        )  # fmt: skip
        size = 0
        with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(Path(tmp).rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    zf.write(path, path.relative_to(tmp).as_posix())
                    size += path.stat().st_size
    return size


def add_bytecode(zip_path: Path) -> int:
    """Compile every module in the zip (unchecked-hash .pyc, valid on a read-only /var/task)."""
    with tempfile.TemporaryDirectory() as tmp:
        with zipfile.ZipFile(zip_path) as zf:
            zf.extractall(tmp)
        compileall.compile_dir(tmp, quiet=1, workers=0, invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
        count = 0
        rebuilt = zip_path.with_suffix(".tmp")
        with zipfile.ZipFile(rebuilt, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(Path(tmp).rglob("*")):
                if path.is_file():
                    zf.write(path, path.relative_to(tmp).as_posix())
                    count += path.suffix == ".pyc"
        os.replace(rebuilt, zip_path)
    return count


class _NoManagedPolicies:
    """samtranslator asks IAM for managed policy ARNs; offline we have none to give."""

    def load(self) -> dict[str, str]:
        return {}


def translate(sam_path: Path, cfn_path: Path) -> None:
    from samtranslator.translator.transform import transform  # type: ignore[import-untyped]

    template: dict[str, Any] = json.loads(sam_path.read_text(encoding="utf-8"))
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = ARTIFACT_URI
        elif resource["Type"] == "AWS::Serverless::LayerVersion":
            resource["Properties"]["ContentUri"] = LAYER_URI.format(LAYERS[logical_id][0])
    cfn = transform(template, {}, _NoManagedPolicies())
    cfn_path.write_text(json.dumps(cfn, ensure_ascii=False, indent=1), encoding="utf-8")


def lint(out: Path) -> int:
    result = subprocess.run([_bin("cfn-lint"), str(out / "sam.json"), str(out / "cfn.json")], cwd=ROOT)
    return result.returncode


def write_openapi(out: Path) -> Path:
    """The API's OpenAPI description as the app serves it at /openapi.json (chalicelib.openapi)."""
    sys.path.insert(0, str(ROOT))
    from scheduled.embedded import stage_environment

    for key, value in stage_environment().items():
        os.environ.setdefault(key, value)  # importing the app names its tables; nothing here calls AWS
    import app  # noqa: F401  - registers every route
    from chalicelib.openapi import describe

    out.mkdir(parents=True, exist_ok=True)
    path = out / "openapi.json"
    path.write_text(json.dumps(describe(), ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def main() -> int:
    # chalice package and the SAM translator both need a region, never credentials.
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["package", "lint", "openapi"])
    parser.add_argument("--stage", default="prod")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    if args.command == "openapi":
        print(f"wrote {write_openapi(args.out.parent)}")
        return 0
    if args.command == "package":
        out = package(args.stage, args.out)
        print(f"packaged {out / 'sam.json'} and {out / 'cfn.json'}")
        return 0
    return lint(args.out)


if __name__ == "__main__":
    sys.exit(main())
