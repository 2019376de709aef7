"""Kubernetes quantities as integers, the way charts/backend/templates/_sizing.tpl reads them.

Pure. The chart's `backend.quantity` helper does the same integer arithmetic (Helm has only int64
math), so both sides round the same way: memory becomes MiB rounded up, CPU becomes millicores
rounded up. We accept what Kubernetes accepts in practice for these fields, within bounds that keep
int64 arithmetic exact: at most 12 integer and 6 fraction digits, no exponent form.
"""

from __future__ import annotations

import re
from typing import Literal

Kind = Literal["memory", "cpu"]

_MAX_INT64 = 2**63 - 1
_PATTERN = re.compile(r"^([0-9]{1,12})(?:\.([0-9]{1,6}))?(m|k|Ki|Mi|Gi|Ti|Pi|Ei|M|G|T|P|E)?$")

# value in MiB = n * num / den (decimal units reduced by their gcd with 2**20).
_MEMORY_UNITS: dict[str, tuple[int, int]] = {
    "": (1, 1048576),
    "m": (1, 1048576000),
    "k": (125, 131072),
    "Ki": (1, 1024),
    "Mi": (1, 1),
    "Gi": (1024, 1),
    "Ti": (1048576, 1),
    "Pi": (1073741824, 1),
    "Ei": (1099511627776, 1),
    "M": (15625, 16384),
    "G": (1953125, 2048),
    "T": (244140625, 256),
    "P": (30517578125, 32),
    "E": (3814697265625, 4),
}
_CPU_UNITS: dict[str, tuple[int, int]] = {"": (1000, 1), "m": (1, 1)}

MEMORY_EXAMPLES = "512Mi, 8Gi, 24Gi"
CPU_EXAMPLES = "500m, 2"


class QuantityError(ValueError):
    """A value is not a quantity we accept; ``given`` is the value, ``kind`` memory or cpu."""

    def __init__(self, given: object, kind: Kind) -> None:
        self.given = given
        self.kind = kind
        examples = MEMORY_EXAMPLES if kind == "memory" else CPU_EXAMPLES
        super().__init__(f"{given!r} is not a {kind} quantity (examples: {examples})")


def quantity_text(value: object) -> str:
    """The text of a YAML value as Helm's toString shows it (whole floats lose their ``.0``)."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_quantity(value: object, kind: Kind) -> int:
    """MiB (memory) or millicores (cpu), rounded up. Raises QuantityError."""
    if value is None or isinstance(value, bool):
        raise QuantityError(value, kind)
    text = quantity_text(value)
    match = _PATTERN.match(text)
    units = _CPU_UNITS if kind == "cpu" else _MEMORY_UNITS
    if not match or (match.group(3) or "") not in units:
        raise QuantityError(value, kind)
    whole, frac, unit = match.group(1), match.group(2) or "", match.group(3) or ""
    n = int(whole + frac)
    num, den_unit = units[unit]
    scale: int = 10 ** len(frac)
    den = scale * den_unit
    # Same overflow guard as the chart, so both reject the same absurd values.
    if n > (_MAX_INT64 - den) // num:
        raise QuantityError(value, kind)
    return (n * num + den - 1) // den


def format_memory(mib: int) -> str:
    """MiB as a quantity: whole GiB as "<n>Gi", else "<n>Mi" (the chart's backend.formatMemory)."""
    return f"{mib // 1024}Gi" if mib % 1024 == 0 else f"{mib}Mi"


def format_cpu(millicores: int) -> str:
    """Millicores as a quantity: whole cores as "<n>", else "<n>m" (the chart's backend.formatCpu)."""
    return f"{millicores // 1000}" if millicores % 1000 == 0 else f"{millicores}m"
