"""`make run`: the whole mall in one process on moto's emulation of AWS.

moto's server on 127.0.0.1 (Step Functions executing, Lambda tasks routed to
this app's handlers), every resource provisioned from infra/, the six city
sites and demo users seeded, the API on :8000 (Chalice's local server), the
built web UI on :8080, and pumps for what moto never fires (schedules, the
DynamoDB stream). Ctrl-C or SIGTERM saves the data to .state/ and stops.

    .venv/bin/python -m scheduled.embedded [--fresh]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
import warnings
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

from scheduled.emulation import MOTO_CONFIG, register_app_handlers, set_environment

ROOT = Path(__file__).resolve().parent.parent
STAGE = "local"
log = logging.getLogger("yuncai.embedded")


@dataclass
class Options:
    fresh: bool
    api_port: int
    web_port: int
    state_dir: Path
    schedule_seconds: float
    demo: str


def parse_args(argv: list[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(description="Run the mall locally on moto.")
    parser.add_argument("--fresh", action="store_true", help="ignore and replace the saved data")
    parser.add_argument("--api-port", type=int, default=int(os.environ.get("API_PORT", "8000")))
    parser.add_argument("--web-port", type=int, default=int(os.environ.get("WEB_PORT", "8080")))
    parser.add_argument("--state-dir", type=Path, default=Path(os.environ.get("STATE_DIR", ROOT / ".state")))
    parser.add_argument(
        "--schedule-seconds",
        type=float,
        default=float(os.environ.get("SCHEDULE_PUMP_SECONDS", "60")),
        help="how often the scheduled lambdas fire here (their AWS rate is longer)",
    )
    parser.add_argument(
        "--demo",
        choices=["full", "none"],
        default=os.environ.get("DEMO", "full"),
        help="full: demo suppliers, several hundred listings and plans; none: sites and users only",
    )
    args = parser.parse_args(argv)
    return Options(args.fresh, args.api_port, args.web_port, args.state_dir, args.schedule_seconds, args.demo)


def stage_environment() -> dict[str, str]:
    config = json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8"))
    return {**config["environment_variables"], **config["stages"][STAGE]["environment_variables"]}


def start_moto() -> tuple[Any, str]:
    import requests
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    port = server.get_host_and_port()[1]
    endpoint = f"http://127.0.0.1:{port}"
    # The Step Functions interpreter calls other services on localhost:$MOTO_PORT.
    os.environ["MOTO_PORT"] = str(port)
    os.environ["AWS_ENDPOINT_URL"] = endpoint
    requests.post(f"{endpoint}/moto-api/config", json=MOTO_CONFIG, timeout=5).raise_for_status()
    return server, endpoint


class WebHandler(SimpleHTTPRequestHandler):
    """Serves frontend/dist, answering /config.js with this run's API address (as the deploy does)."""

    api_base = ""
    security_headers: ClassVar[dict[str, str]] = {}

    def end_headers(self) -> None:
        for name, value in self.security_headers.items():
            self.send_header(name, value)
        super().end_headers()

    def do_GET(self) -> None:
        if self.path.split("?")[0] == "/config.js":
            body = f"window.APP_CONFIG = {json.dumps({'apiBase': self.api_base})};\n".encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/javascript; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if self.path.startswith("/media/"):
            self._media(self.path.split("?")[0].lstrip("/"))
            return
        super().do_GET()

    def _media(self, key: str) -> None:
        """/media/… from the media bucket of the emulation (the distribution's media origin in AWS)."""
        import boto3

        s3 = boto3.client("s3")
        try:
            found = s3.get_object(Bucket=os.environ["MEDIA_BUCKET"], Key=key)
        except s3.exceptions.NoSuchKey:
            self.send_error(404)
            return
        body = found["Body"].read()
        self.send_response(200)
        self.send_header("Content-Type", found.get("ContentType", "application/octet-stream"))
        self.send_header("Cache-Control", "public, max-age=86400")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return


def start_web(port: int, api_base: str) -> ThreadingHTTPServer | None:
    dist = ROOT / "frontend" / "dist"
    if not (dist / "index.html").exists():
        print("! frontend/dist is missing: run `make frontend` (make run does it) to serve the web UI", flush=True)
        return None
    from scheduled.local_api import web_security_headers

    headers = web_security_headers(api_base, os.environ["AWS_ENDPOINT_URL"])  # uploads go to the emulation's S3
    handler = type("BoundWebHandler", (WebHandler,), {"api_base": api_base, "security_headers": headers})
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(handler, directory=str(dist)))
    threading.Thread(target=server.serve_forever, name="web", daemon=True).start()
    return server


def print_banner(options: Options, seeded: dict[str, Any], restored: dict[str, int]) -> None:
    from chalicelib.store.site_files import all_site_configs
    from scheduled.seed import DEMO_PASSWORD, demo_users

    sites = [s.id for s in all_site_configs()]
    lines = [
        "",
        "云采商城 YunCai Mall is running (moto emulation of AWS, stage 'local')",
        f"  API: http://127.0.0.1:{options.api_port}/health",
        f"  Web: http://127.0.0.1:{options.web_port}/",
        f"  Data: {options.state_dir} (restored {restored['items']} items, {restored['objects']} objects;"
        f" {restored.get('users', 0)} users, {restored.get('journal', 0)} journaled writes;"
        f" seeded sites {seeded['sites_created'] or 'none new'})",
        f"  Demo logins (password for all: {DEMO_PASSWORD}):",
    ]
    for user in demo_users(sites):
        lines.append(f"    {user.username:<20} {user.role.label:<6} {user.tenant:<10} {user.org_name}")
    lines.append("  Stop with Ctrl-C; the data is saved and restored on the next `make run` (FRESH=1 starts empty).")
    print("\n".join(lines), flush=True)


def configure_logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    for noisy in ("botocore", "pynamodb", "werkzeug", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", message="No application metrics to publish")


def start_pumps(options: Options, stop: threading.Event, replay_stream: bool) -> Any:
    """The declared stream readers, queue functions and schedules (fired more often here than in AWS)."""
    from scheduled.pumps import Pipeline, Pumps

    pumps = Pumps(stop, options.schedule_seconds)
    pumps.add_pipeline(Pipeline(os.environ, replay_stream=replay_stream))
    return pumps


def endpoint_file(state_dir: Path) -> Path:
    """Where a running `make run` says which port its emulation of AWS listens on."""
    state_dir.parent.mkdir(parents=True, exist_ok=True)
    return state_dir.with_name(f"{state_dir.name}-endpoint")


def journal_file(state_dir: Path) -> Path:
    """Beside the snapshot folder, which a save replaces whole."""
    return state_dir.with_name(f"{state_dir.name}-journal.jsonl")


def wait_for_stop(stop: threading.Event) -> None:
    # A closed terminal (SIGHUP) saves like Ctrl-C and SIGTERM; kill -9 loses nothing either (the journal).
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda *_: stop.set())
    # Under `make run`, make is the parent: if make is killed, stop too rather than linger as an orphan.
    parent = os.getppid() if os.environ.get("YUNCAI_STOP_WITH_PARENT") == "1" else None
    while not stop.wait(1):
        if parent is not None and os.getppid() != parent:
            log.info("parent process %d is gone: stopping", parent)
            stop.set()


def main(argv: list[str] | None = None) -> int:
    options = parse_args(argv)
    set_environment()
    # The API answers cross-origin calls from this run's web UI only (in AWS: the distribution's origin).
    os.environ.setdefault("CORS_ALLOW_ORIGIN", f"http://127.0.0.1:{options.web_port}")
    for key, value in stage_environment().items():
        os.environ.setdefault(key, value)
    # Product images are served by the local web server at /media/, as the distribution does in AWS.
    os.environ.setdefault("MEDIA_BASE_URL", f"http://127.0.0.1:{options.web_port}/media")
    configure_logging()
    moto_server, endpoint = start_moto()
    # The command-line tools (python -m scheduled import-history, backfill) find this run's emulation here.
    endpoint_file(options.state_dir).write_text(endpoint, encoding="utf-8")

    from infra.provision import provision

    outputs = provision(STAGE, dict(os.environ))
    os.environ.update(outputs)
    os.environ["COGNITO_JWKS_URL"] = f"{endpoint}/{outputs['USER_POOL_ID']}/.well-known/jwks.json"

    from scheduled import journal, snapshot

    tables = [os.environ[k] for k in ("MAIN_TABLE", "AUDIT_TABLE", "IDEMPOTENCY_TABLE", "CATALOG_TABLE", "STATS_TABLE")]
    buckets = [os.environ[k] for k in ("REPORTS_BUCKET", "UPLOADS_BUCKET", "MEDIA_BUCKET", "WEB_BUCKET")]
    pool_id = outputs["USER_POOL_ID"]
    journal_path = journal_file(options.state_dir)
    restored = {"items": 0, "objects": 0}
    if not options.fresh:
        restored = snapshot.restore(options.state_dir, tables, buckets)
        restored["users"] = snapshot.restore_users(options.state_dir, pool_id)
        # Whatever was written after the last clean stop (a crash, kill -9, a closed terminal).
        restored["journal"] = journal.replay(journal_path, pool_id)
        if restored["journal"]:
            log.info("replayed %d journaled writes over the snapshot", restored["journal"])
            snapshot.save(options.state_dir, tables, buckets, pool_id)
    journal.start(journal_path)

    from chalice.cli.factory import CLIFactory

    config = CLIFactory(project_dir=str(ROOT)).create_config_obj(chalice_stage_name=STAGE)
    app = config.chalice_app  # imports app.py with the environment set above
    register_app_handlers(STAGE)

    from chalicelib.domain.site_admin import rearm_timers
    from chalicelib.store.deadlines import StepFunctionsTimer
    from chalicelib.store.sites import DynamoSiteStore
    from scheduled import seed

    seeded = seed.seed_all(pool_id)
    if options.demo == "full":
        from scheduled.demo import seed_demo

        seeded.update(seed_demo(pool_id))
    from chalicelib.store.competitions import (
        DynamoCompetitionStore,
        StepFunctionsCompetitionTimer,
        rearm_competition_timers,
    )

    rearmed = rearm_timers(DynamoSiteStore(), StepFunctionsTimer())
    rearmed += rearm_competition_timers(DynamoCompetitionStore(), StepFunctionsCompetitionTimer())
    if rearmed:
        log.info("re-armed %d deadline timers from the saved data", rearmed)

    stop = threading.Event()
    pumps = start_pumps(options, stop, replay_stream=restored["items"] + restored.get("journal", 0) == 0)
    from scheduled.local_api import create_api_server

    api_server = create_api_server(app, config, "127.0.0.1", options.api_port)
    threading.Thread(target=api_server.server.serve_forever, name="api", daemon=True).start()
    web_server = start_web(options.web_port, f"http://127.0.0.1:{options.api_port}")
    print_banner(options, seeded, restored)
    wait_for_stop(stop)

    print("stopping: saving data…", flush=True)
    api_server.server.shutdown()
    api_server.server.server_close()
    if web_server is not None:
        web_server.shutdown()
        web_server.server_close()
    pumps.join()
    saved = snapshot.save(options.state_dir, tables, buckets, pool_id)
    journal.stop(clear=True)  # everything is in the snapshot now
    moto_server.stop()
    print(f"saved {saved['items']} items and {saved['objects']} objects to {options.state_dir}; stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
