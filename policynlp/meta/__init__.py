"""Policy metadata: dates, document numbers (文号), agencies and issuers."""

from .agencies import AgencyRegistry, IssuerParse, load_agencies, parse_issuers
from .dates import find_dates, parse_date
from .docnumbers import DocNumber, find_doc_numbers, parse_doc_number

__all__ = [
    "parse_date",
    "find_dates",
    "DocNumber",
    "parse_doc_number",
    "find_doc_numbers",
    "AgencyRegistry",
    "IssuerParse",
    "load_agencies",
    "parse_issuers",
]
