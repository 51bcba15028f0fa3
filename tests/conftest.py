"""Shared fixtures: moto-emulated AWS provisioned from infra/, the app, demo data.

The environment is set before anything imports boto3 or the app: the dev
stage's variables from .chalice/config.json, fake credentials, TZ=UTC.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scheduled.emulation import MOTO_CONFIG, acting_as, register_app_handlers, set_environment  # noqa: E402
from tests import contract, grants  # noqa: E402

STAGE = "dev"
set_environment()
grants.install()  # before any client exists: every AWS call of the suite is held against its function's role


def stage_environment(stage: str) -> dict[str, str]:
    config = json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8"))
    return {**config["environment_variables"], **config["stages"][stage]["environment_variables"]}


for _key, _value in stage_environment(STAGE).items():
    os.environ.setdefault(_key, _value)
os.environ.setdefault("RESET_CODES_IN_LOG", "1")  # as the local run: tests read reset codes from the log
# Placeholders until a test's moto backend has created the real ones.
os.environ.setdefault("USER_POOL_ID", "us-east-1_placeholder")
os.environ.setdefault("USER_POOL_CLIENT_ID", "placeholder")

from moto import mock_aws  # noqa: E402

import app as app_module  # noqa: E402
from infra.provision import provision  # noqa: E402
from scheduled import demo_market, seed  # noqa: E402

register_app_handlers(STAGE)


@app_module.app.middleware("http")
def _as_the_api_function(event: Any, get_response: Any) -> Any:
    """Requests through the test client run as the API function (see tests/grants.py)."""
    with acting_as("api_handler"):
        return get_response(event)


def _reset_process_caches() -> None:
    from chalicelib.wiring import reset

    reset()


@contextlib.contextmanager
def moto_environment() -> Iterator[dict[str, str]]:
    """A fresh moto backend with every resource of infra/ created in it."""
    with mock_aws(config=MOTO_CONFIG):  # type: ignore[arg-type]
        _reset_process_caches()
        outputs = provision(STAGE, dict(os.environ))
        saved = {k: os.environ.get(k) for k in outputs}
        os.environ.update(outputs)
        _reset_process_caches()
        try:
            yield outputs
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
            _reset_process_caches()


@pytest.fixture
def aws() -> Iterator[dict[str, str]]:
    with moto_environment() as outputs:
        yield outputs


@pytest.fixture
def seeded(aws: dict[str, str]) -> dict[str, Any]:
    """Sites, demo buyer units and demo users, as `make run` seeds them."""
    return seed.seed_all(aws["USER_POOL_ID"])


@pytest.fixture
def client(aws: dict[str, str]) -> Any:
    from chalice.test import Client

    with Client(app_module.app, stage_name=STAGE, project_dir=str(ROOT)) as test_client:
        yield test_client


class Api:
    """Thin helper over the Chalice test client: JSON in, (status, JSON) out."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self._tokens: dict[str, str] = {}

    def token(self, username: str, password: str = seed.DEMO_PASSWORD) -> str:
        if username not in self._tokens:
            status, body = self.call("POST", "/auth/login", {"username": username, "password": password})
            assert status == 200, body
            self._tokens[username] = body["token"]
        return self._tokens[username]

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        as_user: str | None = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
        raw: bytes | str | None = None,
    ) -> tuple[int, Any]:
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        if as_user:
            token = self.token(as_user)
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        payload: Any = raw if raw is not None else (json.dumps(body) if body is not None else None)
        response = self.client.http.request(method, path, headers=all_headers, body=payload)
        text = response.body.decode("utf-8") if isinstance(response.body, bytes) else response.body
        try:
            decoded = json.loads(text) if text else None
        except ValueError:
            decoded = text
        # Every answer, in every API test, as the published description says it will be.
        content_type = str({k.lower(): v for k, v in response.headers.items()}.get("content-type", ""))
        contract.check(method, path, response.status_code, content_type, decoded)
        return response.status_code, decoded


@pytest.fixture
def api(client: Any, seeded: dict[str, Any]) -> Api:
    return Api(client)


@pytest.fixture
def suppliers_seeded(seeded: dict[str, Any], aws: dict[str, str]) -> int:
    """The demo suppliers (one still pending), with their logins."""
    return demo_market.seed_demo_suppliers(aws["USER_POOL_ID"])


class Projection:
    """Runs the declared stream reader and queue functions over everything written so far, as AWS would."""

    def __init__(self) -> None:
        from scheduled.pumps import Pipeline

        self.pipeline = Pipeline(os.environ, replay_stream=True)
        [self.pump] = self.pipeline.streams

    def drain(self) -> int:
        return self.pipeline.drain()


@pytest.fixture
def projection(aws: dict[str, str]) -> Projection:
    return Projection()


def stop_execution(execution_arn: str) -> None:
    """Stop a waiting state-machine execution; moto refuses (AttributeError) until its worker has started."""
    import time

    import boto3

    for _ in range(100):
        try:
            boto3.client("stepfunctions").stop_execution(executionArn=execution_arn)
            return
        except AttributeError:
            time.sleep(0.05)
    raise AssertionError("the execution could not be stopped")


def invoke(function: str, event: dict[str, Any]) -> Any:
    """Run a declared function's handler as Lambda would: with its context, as that function (tests/grants.py)."""
    from chalicelib.lambdas import functions
    from scheduled.emulation import LocalLambdaContext, resolve_handler

    [declared] = [f for f in functions() if f.name == function]
    with acting_as(function):
        return resolve_handler(declared.handler)(event, LocalLambdaContext(function))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The grants check runs last: it judges the AWS calls of every test before it."""
    last = [item for item in items if item.get_closest_marker("after_all")]
    for item in last:
        items.remove(item)
    items.extend(last)


PACKAGE = ROOT / "build" / "package"


@pytest.fixture(scope="session")
def packaged() -> dict[str, Any]:
    """The template `make package` builds; built here when it is older than what it is made from."""
    import subprocess

    sam = PACKAGE / "sam.json"
    sources = [
        ROOT / "infra" / "resources.json",
        ROOT / ".chalice" / "config.json",
        *ROOT.glob("infra/*.py"),
        *ROOT.glob("infra/statemachines/*.json"),
        *ROOT.glob("infra/layers/*.txt"),
        *ROOT.glob("chalicelib/**/*.py"),
    ]
    newest_source = max(p.stat().st_mtime for p in sources)
    if not sam.exists() or sam.stat().st_mtime < newest_source:
        subprocess.run([sys.executable, "-m", "infra.build", "package"], cwd=ROOT, check=True)
    return dict(json.loads(sam.read_text(encoding="utf-8")))
