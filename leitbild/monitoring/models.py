# TEMPORARY (branch h-monprog): the integrator imports progress_models into the real models.py.
from .progress_models import *  # noqa: F403
