"""publiccode.yml support for the catalogue: validate files and convert them to and from dicts.

Pure Python with no Django models, so it can be used by services, management commands and
tests alike. See https://yml.publiccode.tools for the standard.
"""

from .checks import Message
from .exporter import from_publiccode, to_publiccode
from .parser import MAX_BYTES
from .validator import ValidationReport, validate

__all__ = [
    "MAX_BYTES",
    "Message",
    "ValidationReport",
    "from_publiccode",
    "to_publiccode",
    "validate",
]
