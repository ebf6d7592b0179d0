"""SPDX licence expressions (`MIT`, `GPL-3.0-or-later OR MIT`), checked against the SPDX list
that the `license-expression` package ships, so no download is ever needed."""

import functools
from typing import Any

UNKNOWN_LICENCE = "‘{key}’ is not an SPDX licence identifier, for example MIT or EUPL-1.2"
BAD_EXPRESSION = (
    "Enter the licence as an SPDX expression, for example ‘MIT’ or ‘GPL-3.0-only OR MIT’"
)


@functools.cache
def _licensing() -> Any:
    from license_expression import get_spdx_licensing

    return get_spdx_licensing()


def licence_problem(expression: str) -> str | None:
    """None when `expression` is a valid SPDX licence expression, else what is wrong with it."""
    from license_expression import ExpressionError

    licensing = _licensing()
    try:
        info = licensing.validate(expression, strict=False)
    except ExpressionError:
        return BAD_EXPRESSION
    if info.invalid_symbols:
        return UNKNOWN_LICENCE.format(key=sorted(info.invalid_symbols)[0])
    if info.errors:
        return BAD_EXPRESSION
    return None
