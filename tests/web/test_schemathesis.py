"""Property-based API tests from the OpenAPI document (schemathesis, in process, deterministic: 10 examples per
operation, derandomized): no operation may answer 5xx, an undeclared status code, or a response outside its
declared schema, whatever valid or invalid input it is sent."""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from certprep.config import Settings
from certprep.web import create_app
from tests.signin import owner_headers

_data = Path(tempfile.mkdtemp(prefix="certprep-schemathesis-"))
app = create_app(Settings(database_url=f"sqlite:///{_data / 'api.sqlite3'}", data_dir=_data))
AUTH = owner_headers(app.state)  # the owner, an admin: every operation is open to it
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)


@schema.parametrize()
@settings(
    max_examples=10,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_api(case: schemathesis.Case) -> None:
    # Left out: "a schema-valid request must succeed" (business rules such as "a mock exam has 40-60 items" or
    # "no outline for exam X" are 4xx by design, not schema), and the Allow header listing every method of a
    # path on a 405 (Starlette lists the first route's methods).
    case.call_and_validate(
        headers=AUTH,
        excluded_checks=[
            schemathesis.checks.positive_data_acceptance,
            schemathesis.checks.allow_header_conformance,
        ],
    )
