"""Command-line tools: `python -m scheduled import-history | backfill | compile`.

Against the local mall (`make run`, found through .state-endpoint) by default;
against AWS with `--stage dev|prod` and the usual AWS credentials.

    python -m scheduled import-history --site liaocheng old-mall-2024.csv [--skip-bad] [--year 2024]
    python -m scheduled backfill --site liaocheng --year 2024
    python -m scheduled compile --site liaocheng --period 2024-03   (--site shandong: the province)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _environment(stage: str, endpoint: str | None) -> None:
    from scheduled.emulation import set_environment

    config = json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8"))
    for key, value in {**config["environment_variables"], **config["stages"][stage]["environment_variables"]}.items():
        os.environ.setdefault(key, value)
    if stage != "local":
        return
    set_environment()
    state = Path(os.environ.get("STATE_DIR", ROOT / ".state"))
    found = endpoint or os.environ.get("AWS_ENDPOINT_URL")
    marker = state.with_name(f"{state.name}-endpoint")
    if not found and marker.exists():
        found = marker.read_text(encoding="utf-8").strip()
    if not found:
        raise SystemExit("未找到本地商城：请先运行 make run，或用 --endpoint 指定模拟服务地址、--stage 指定 AWS 环境")
    os.environ["AWS_ENDPOINT_URL"] = found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scheduled", description="云采商城命令行工具")
    parser.add_argument("--stage", default="local", choices=("local", "dev", "prod"))
    parser.add_argument("--endpoint", help="本地模拟服务地址（默认取 make run 写下的地址）")
    commands = parser.add_subparsers(dest="command", required=True)
    imports = commands.add_parser("import-history", help="导入旧版商城的历史订单（CSV 或 JSON Lines）")
    imports.add_argument("--site", required=True)
    imports.add_argument("--skip-bad", action="store_true", help="跳过有错误的行，只导入无误的订单")
    imports.add_argument("--year", type=int, help="只接受该年度成交的订单")
    imports.add_argument("file", type=Path)
    backfill = commands.add_parser("backfill", help="按已存订单重算某年度的日汇总并重新编制报表")
    backfill.add_argument("--site", required=True)
    backfill.add_argument("--year", type=int, required=True)
    compile_ = commands.add_parser("compile", help="编制一份报表")
    compile_.add_argument("--site", required=True, help="站点，或 shandong（全省）")
    compile_.add_argument("--period", required=True, help="年度（2024）或月份（2024-03）")
    args = parser.parse_args(argv)
    _environment(args.stage, args.endpoint)

    if args.command == "import-history":
        from scheduled.history_import import run_import

        result = run_import(args.file, args.site, skip_bad=args.skip_bad, year=args.year)
        return 0 if result.ok else 1
    if args.command == "backfill":
        from scheduled.backfill import run_backfill

        run_backfill(args.site, args.year)
        return 0
    from chalicelib.domain.clock import china_date, utc_now
    from chalicelib.domain.errors import DomainError
    from chalicelib.domain.principals import PROVINCE_SCOPE
    from chalicelib.domain.reports import parse_period
    from chalicelib.handlers.stats_tasks import compile_one
    from chalicelib.store.sites import DynamoSiteStore

    try:
        period = parse_period(args.period, china_date(utc_now()))
    except DomainError as error:
        raise SystemExit(error.message) from None
    site = None if args.site == PROVINCE_SCOPE else DynamoSiteStore().get(args.site)
    if args.site != PROVINCE_SCOPE and site is None:
        raise SystemExit(f"站点 {args.site} 不存在")
    entry = compile_one(site, period, utc_now())
    print(json.dumps(entry, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
