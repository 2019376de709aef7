"""schemathesis over the generated OpenAPI document, against the real gunicorn server and the doubles.

Every operation gets up to ``EXAMPLES`` generated requests (schemathesis' positive and negative
data: valid and invalid bodies, path values, odd headers). Checked on every response (``CHECKS``):
no 5xx, a documented status code and content type, a body that matches the documented schema,
invalid data rejected, unsupported methods answered 405. Not checked: that every schema-valid
request is accepted (``positive_data_acceptance``): the API validates more than a JSON schema can
say (a model name must also be an ollama name) and answers those with a documented 400.
With 11 operations that is about 440 requests, well under a minute.
"""

from __future__ import annotations

import schemathesis
from deepseek_ext.api import create_app
from deepseek_ext.api.openapi import openapi_document
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

EXAMPLES = 40
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
    unsupported_method,
]

# The document does not depend on the cluster mode: build it in-process (schemathesis' lazy
# fixture loader does not work with pytest 9), then send the cases to the gunicorn server.
schema = schemathesis.openapi.from_dict(
    openapi_document(create_app({"SETTINGS": {"cluster": {"kubeconfig": None, "in_cluster": False}}}))
)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_5xx_and_every_response_matches_the_document(case, stack):
    # An administrator through ks-apiserver, as in a cluster; writes are exercised with a user too.
    checks = CHECKS
    if case.path.endswith("/{name}/pull"):
        # Model names may contain "/" (hf.co/user/repo:tag), so GET/DELETE models/<path:name> also
        # match ".../pull" and answer a documented 400 InvalidModelName instead of 405.
        checks = [c for c in CHECKS if c is not unsupported_method]
    case.call_and_validate(base_url=stack.url, headers={"X-Remote-User": "admin"}, checks=checks)
