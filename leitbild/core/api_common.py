"""What every router of the JSON API shares: one error body, bounded parameter types, paging.

Every operation declares ``**ERRORS`` next to its 200 answer, so the OpenAPI document names
each status the API can give; the handlers in ``leitbild/api.py`` turn Django's and ninja's
exceptions into ``Error``. Parameters are typed tightly enough that the database never sees a
value it cannot compare: numbers within 64 bits (SQLite raises OverflowError beyond them) and
text without NUL (PostgreSQL refuses it). Schemathesis (``tests/test_api_schemathesis.py``)
checks the document against the answers.
"""

from typing import Annotated

from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination

from .fields import MAX_KEY


class Error(Schema):
    """Every error answer of the API: what is wrong and, where one is to blame, which
    parameter."""

    detail: str
    parameter: str | None = None


ERRORS = {400: Error, 404: Error, 422: Error}
# A write operation can also be refused (``core.errors.NotAllowed``, ``Conflict``).
WRITE_ERRORS = {**ERRORS, 403: Error, 409: Error}


class ApiError(HttpError):
    """An answer other than 200 that names the parameter it is about."""

    def __init__(self, status_code: int, message: str, *, parameter: str | None = None):
        super().__init__(status_code, message)
        self.parameter = parameter


# A number of a record: an id, a version number.
Key = Annotated[int, Field(ge=1, le=MAX_KEY)]
# Text for a filter or a slug.
Text = Annotated[str, Field(max_length=200, pattern=r"^[^\x00]*$")]

MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 100


class Pages(PageNumberPagination):
    """Ninja's page numbers, bounded: page 2^63 made an OFFSET SQLite cannot hold."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)

    def __init__(self, page_size: int = 50, **kwargs):
        super().__init__(page_size=page_size, max_page_size=MAX_PAGE_SIZE, **kwargs)
