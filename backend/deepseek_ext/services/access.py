"""NextChat's access code for administrators (``GET P/accesscode``).

The code is in a Secret (key ``code``; the generated ``deepseek-chat-access`` or the user's own,
``backend.chat.accessCodeSecret``), which the serving config names. The API may read that one
Secret only (a Role by resourceName); ks-apiserver lets only the "manage" role template call this.
The code is returned, never logged.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from deepseek_ext.adapters import kube_writes
from deepseek_ext.adapters.kube import Kube
from deepseek_ext.core import errors
from deepseek_ext.core.objects import ObjectNames
from deepseek_ext.services.status import serving_config
from deepseek_ext.settings import Settings


def object_names(*, settings: Settings, kube: Kube) -> ObjectNames:
    """The names the serving config states: from the mounted file, the cluster snapshot only without it."""
    config, source = serving_config(settings, None)
    if source == "defaults" and kube.client is not None:
        config, _ = serving_config(settings, kube.snapshot())
    return ObjectNames.from_serving(config)


def access_code(*, settings: Settings, kube: Kube) -> dict[str, Any]:
    """``{"secret", "accessCode"}``. :raise SecretMissing: no such Secret or no ``code`` in it."""
    client = kube.require_client()
    name = object_names(settings=settings, kube=kube).access_code_secret
    secret = kube_writes.read_secret(client, name)
    raw = ((secret or {}).get("data") or {}).get("code")
    if not raw:
        raise errors.SecretMissing(name)
    try:
        code = base64.b64decode(raw).decode("utf-8").strip()
    except (binascii.Error, UnicodeDecodeError):
        raise errors.SecretMissing(name) from None
    return {"secret": name, "accessCode": code}
