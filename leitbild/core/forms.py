from django.core.exceptions import ValidationError

from .errors import Refusal


def add_service_errors(form, exc: ValidationError | Refusal) -> None:
    """A service's ValidationError or refusal, shown next to the fields it names (or above
    the form)."""
    if isinstance(exc, Refusal):
        form.add_error(exc.field if exc.field in form.fields else None, str(exc))
    elif hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)
