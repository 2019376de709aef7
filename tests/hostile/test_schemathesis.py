"""schemathesis over the API's own OpenAPI document, against gunicorn as shipped.

Run through the schemathesis CLI (its pytest plugin does not load under pytest 9) with
``--max-examples EXAMPLES`` per operation and three phases: documented examples, coverage
(boundary and deliberately invalid values: wrong types, missing bodies, control characters and
``../`` in path parameters) and fuzzing. With the API's ten operations that is about 400-500
generated requests in about 25 s on 2 cores; the test reads the count from schemathesis's JSON
report and fails if fewer than ``MIN_CASES`` ran (a run that tests nothing must not pass). The
stateful phase is left out to keep the suite short; the checks below hold for every request.

Checks: no 5xx, only documented status codes and content types, every body matching its
documented schema. The caller is ``X-Remote-User: admin`` (as ks-apiserver would set it), so the
write endpoints are exercised past the identity check too; the doubles absorb the pulls.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.stack import PREFIX, VENV_BIN, Stack

EXAMPLES = 50
MIN_CASES = 250
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"


def test_no_5xx_and_every_answer_as_documented(hostile_stack: Stack, tmp_path: Path) -> None:
    report = tmp_path / "schemathesis.json"
    cmd = [str(VENV_BIN / "schemathesis"), "run", hostile_stack.url + PREFIX + "/openapi.json", "--no-color",
           "--max-examples", str(EXAMPLES), "--phases", "examples,coverage,fuzzing", "--checks", CHECKS,
           "--header", "X-Remote-User: admin", "--request-timeout", "30", "--workers", "2",
           "--suppress-health-check", "all", "--output-sanitize", "false",
           "--report", "json", "--report-json-path", str(report)]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
    data = json.loads(report.read_text())
    cases = data["test_cases"]
    assert data["operations"]["tested"] == data["operations"]["total"] >= 8, data["operations"]
    assert cases["generated"] >= MIN_CASES, f"only {cases['generated']} generated requests: {cases}"
    assert cases["with_failures"] == 0 and not data["failures"] and not data["errors"], data["failures"]
    print(f"schemathesis: {cases['generated']} requests over {data['operations']['tested']} operations, "
          f"seed {data['seed']}")
