"""What the user probably meant, for the mistakes people make in a config. Pure.

Each helper returns a suggestion or None; the validation layer turns a suggestion into a finding's
fix (``finding.<Code>.fix.<variant>`` in the message catalog). Nothing here guesses silently: a
suggestion is only ever shown, never applied.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Any

from deepseek_ext.core.quantity import QuantityError, parse_quantity, quantity_text

NEAREST_CUTOFF = 0.6
"""difflib ratio below which two keys are not "near" (modle/model is 0.8, tag/image 0.25)."""


def nearest_key(key: str, known: Iterable[str]) -> str | None:
    """The known key closest to ``key``: a case-only difference first, then the nearest spelling."""
    candidates = sorted(set(known))
    folded = {k.lower(): k for k in candidates}
    if key.lower() in folded:
        return folded[key.lower()]
    matches = difflib.get_close_matches(key.lower(), list(folded), n=1, cutoff=NEAREST_CUTOFF)
    return folded[matches[0]] if matches else None


# Units people write for sizes, to the Kubernetes unit they almost always mean (a "GB" of RAM or
# disk is a GiB in every tool that sizes pods; "m" on memory is milli-bytes, never what was meant).
_MEMORY_UNITS = {
    "": "Gi", "b": "", "k": "Ki", "kb": "Ki", "kib": "Ki", "ki": "Ki",
    "m": "Mi", "mb": "Mi", "mib": "Mi", "mi": "Mi",
    "g": "Gi", "gb": "Gi", "gib": "Gi", "gi": "Gi",
    "t": "Ti", "tb": "Ti", "tib": "Ti", "ti": "Ti",
    "p": "Pi", "pb": "Pi", "pib": "Pi", "pi": "Pi",
    "e": "Ei", "eb": "Ei", "eib": "Ei", "ei": "Ei",
}
_CPU_UNITS = {"": "", "c": "", "core": "", "cores": "", "cpu": "", "cpus": "", "vcpu": "", "vcpus": "",
              "m": "m", "mc": "m", "millicore": "m", "millicores": "m", "millicpu": "m"}
_NUMBER_AND_UNIT = re.compile(r"^([0-9]+(?:[.,][0-9]+)?)\s*([A-Za-z]*)$")


def suggest_quantity(value: Any, *, kind: str) -> str | None:
    """The Kubernetes quantity ``value`` was probably meant to be (``8GB`` -> ``8Gi``, ``16`` -> ``16Gi``
    for a memory field), or None when there is no confident guess. ``kind`` is memory or cpu."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    match = _NUMBER_AND_UNIT.match(quantity_text(value).replace(" ", ""))
    if not match:
        return None
    number, unit = match.group(1).replace(",", "."), match.group(2)
    units = _MEMORY_UNITS if kind == "memory" else _CPU_UNITS
    suffix = units.get(unit.lower())
    if suffix is None or (kind == "memory" and suffix == ""):
        return None
    suggestion = number + suffix
    try:
        parse_quantity(suggestion, "memory" if kind == "memory" else "cpu")
    except QuantityError:
        return None
    return suggestion if suggestion != quantity_text(value) else None


_KEY_COLON_VALUE = re.compile(r"^([A-Za-z_][A-Za-z0-9_.-]*):(?!//)(\S.*)$")  # not a URL (http://)


def missing_space_after_colon(value: Any) -> str | None:
    """``key: value`` for the text ``key:value`` (YAML reads ``tag:1.5b`` as one string, not a map)."""
    if not isinstance(value, str):
        return None
    match = _KEY_COLON_VALUE.match(value.strip())
    return f"{match.group(1)}: {match.group(2).strip()}" if match else None


def tag_of_full_name(tag: Any, repository: Any) -> str | None:
    """The tag alone when a full model name was given as the tag (``deepseek-r1:7b`` -> ``7b``).

    Only a name of the configured repository counts (``library/deepseek-r1:7b`` too); another
    model's name as the tag is a different mistake, not this one.
    """
    if not isinstance(tag, str) or ":" not in tag or not isinstance(repository, str) or not repository:
        return None
    name, _, alone = tag.rpartition(":")
    if not alone or name.rsplit("/", 1)[-1] != repository.rsplit("/", 1)[-1]:
        return None
    return alone
