"""Why a container image cannot be pulled, and which key fixes it. Pure.

The cause is in the runtime's words. kubelet 1.30+ puts them in the waiting message; kubelet
<= 1.29 says only ``Back-off pulling image "<image>"`` there (kubernetes v1.29
pkg/kubelet/images/image_manager.go, ``msg := fmt.Sprintf("Back-off pulling image %q", ...)``) and
the cause is in the pod's ``Failed`` event, ``Failed to pull image "<image>": <error>`` (same file,
``events.FailedToPullImage``). containerd's error says which part is wrong:

* ``...: not found`` (containerd v1.7 remotes/docker/resolver.go, ``errdefs.ErrNotFound``; docker:
  ``manifest unknown``): the tag, or the digest when the image is pinned by one;
* ``pull access denied, repository does not exist or may require authorization`` / ``401
  Unauthorized`` / ``failed to authorize``: credentials, or the repository name;
* ``dial tcp``, ``no such host``, ``i/o timeout``, ``connection refused``, ``x509``: the registry
  (or its mirror) cannot be reached from the node.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum

from deepseek_ext.core.status.inputs import Obj
from deepseek_ext.core.status.timing import is_current_event

GENERIC_BACKOFF = re.compile(r"^Back-off pulling image ")
_NOT_FOUND = re.compile(r": not found\b|manifest unknown|not found: manifest|NotFound desc", re.I)
_AUTH = re.compile(
    r"pull access denied|unauthorized|authorization failed|failed to authorize|403 Forbidden|denied: ", re.I
)
_UNREACHABLE = re.compile(
    r"dial tcp|no such host|i/o timeout|connection refused|connection reset|TLS handshake timeout|"
    r"x509:|Client\.Timeout|network is unreachable",
    re.I,
)


class PullCause(StrEnum):
    """What the runtime's error says is wrong (the suffix of the finding's message and fix keys)."""

    TAG = "tag"
    DIGEST = "digest"
    AUTH = "auth"
    REGISTRY = "registry"
    OTHER = "other"


def pull_cause(detail: str, image: str) -> PullCause:
    """The part of the image reference (or the access to it) the error blames."""
    if _AUTH.search(detail):
        return PullCause.AUTH
    if _NOT_FOUND.search(detail):
        return PullCause.DIGEST if "@sha256:" in image else PullCause.TAG
    if _UNREACHABLE.search(detail):
        return PullCause.REGISTRY
    return PullCause.OTHER


def pull_detail(waiting: Obj, pod: Obj, pod_events: Sequence[Obj]) -> str:
    """The runtime's reason: the waiting message, or (kubelet <= 1.29) the pod's current Failed event."""
    text = str(waiting.get("message") or waiting.get("reason") or "")
    if text and not GENERIC_BACKOFF.match(text) and text not in ("ErrImagePull", "ImagePullBackOff"):
        return text
    failed = next(
        (
            e
            for e in pod_events
            if e.get("reason") == "Failed"
            and str(e.get("message") or "").startswith("Failed to pull image")
            and is_current_event(e, pod)
        ),
        None,
    )
    return str(failed.get("message")) if failed is not None else text


def cause_key(cause: PullCause, key: str) -> str:
    """The config key that fixes the cause (``key``: the workload's, e.g. ``backend.server``)."""
    return {
        PullCause.TAG: f"{key}.image.tag",
        PullCause.DIGEST: f"{key}.image.digest",
        PullCause.AUTH: f"{key}.image.pullSecrets",
        PullCause.REGISTRY: "global.imageRegistry",
        PullCause.OTHER: "global.imageRegistry",
    }[cause]
