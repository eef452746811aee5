"""Musterstadt's staff: one account per role, all with the same published password."""

from leitbild.core.roles import Role

from . import services
from .models import User

DEMO_PASSWORD = "musterstadt-demo"
DEMO_USERS = [
    ("admin@musterstadt.example", "Alex Admin", [Role.ADMIN]),
    ("redaktion@musterstadt.example", "Rita Redaktion", [Role.EDITOR]),
    ("moderation@musterstadt.example", "Mo Moderation", [Role.MODERATOR]),
    ("bewertung@musterstadt.example", "Bea Bewertung", [Role.ASSESSOR]),
    ("bewertung.petersen@musterstadt.example", "Jonas Petersen", [Role.ASSESSOR]),
    ("bewertung.aydin@musterstadt.example", "Leyla Aydın", [Role.ASSESSOR]),
    ("ratsbuero@musterstadt.example", "Rainer Ratsbüro", [Role.COUNCIL_OFFICE]),
]


def load() -> None:
    for email, name, roles in DEMO_USERS:
        if not User.objects.filter(email=email).exists():
            services.user_create(
                actor=None, email=email, password=DEMO_PASSWORD, name=name, roles=roles
            )


def credentials() -> list[tuple[str, str, list[str]]]:
    """What ``leitbild demo`` prints: e-mail, password and roles of every demo account."""
    return [
        (email, DEMO_PASSWORD, [str(Role(r).label) for r in roles])
        for email, _name, roles in DEMO_USERS
    ]
