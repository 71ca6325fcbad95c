"""The service layer: the one door to personal data, usable without HTTP.

Every function takes an `Access` (who is asking and why) and returns plain JSON-able data,
already checked against the caller's role, redacted for partners and written to the audit
trail. The API's routes and the Dash UI both call these functions.
"""

from app.services.door import Access

__all__ = ["Access"]
