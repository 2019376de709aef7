"""Kubernetes quantities to integers (the same rounding as the chart's backend.quantity)."""

from __future__ import annotations

import pytest
from deepseek_ext.core.quantity import QuantityError, format_cpu, format_memory, parse_quantity


@pytest.mark.parametrize(
    ("value", "mib"),
    [
        ("24Gi", 24576),
        ("1.5Gi", 1536),
        ("512Mi", 512),
        ("1Ki", 1),
        ("1", 1),
        ("1048576", 1),
        ("1048577", 2),
        ("24G", 22889),
        ("40536Mi", 40536),
        (17179869184, 16384),
        (16.0, 1),
        ("1Ti", 1048576),
        ("1k", 1),
        ("0", 0),
        ("0.5Mi", 1),
    ],
)
def test_memory_in_mib_rounded_up(value: object, mib: int) -> None:
    assert parse_quantity(value, "memory") == mib


@pytest.mark.parametrize(
    ("value", "millicores"), [("2", 2000), (2, 2000), ("500m", 500), ("1.5", 1500), ("0.0005", 1)]
)
def test_cpu_in_millicores_rounded_up(value: object, millicores: int) -> None:
    assert parse_quantity(value, "cpu") == millicores


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("24GB", "memory"),
        ("24 Gi", "memory"),
        ("1e3", "memory"),
        ("-1Gi", "memory"),
        ("", "memory"),
        (None, "memory"),
        (True, "memory"),
        ("1K", "memory"),
        ("2Gi", "cpu"),
        ("9999999999999Gi", "memory"),
        ("1.1234567Gi", "memory"),
        ("9999999999Ei", "memory"),
    ],
)
def test_invalid_quantities(value: object, kind: str) -> None:
    with pytest.raises(QuantityError):
        parse_quantity(value, kind)  # type: ignore[arg-type]


def test_formatting() -> None:
    assert format_memory(2048) == "2Gi"
    assert format_memory(2816) == "2816Mi"
    assert format_cpu(2000) == "2"
    assert format_cpu(500) == "500m"
