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
    # Reports the progress of the projects its unit leads (monitoring.progress_demo).
    ("projektteam@musterstadt.example", "Paul Projekt", [Role.PROJECT_TEAM]),
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


def demo_staff(role: str) -> User:
    """The demo city's staff member with ``role``, through the accounts service if new: the
    demos of the apps write as this person, as the city's staff would."""
    email, name, roles = next(user for user in DEMO_USERS if role in user[2])
    found = User.objects.filter(email=email).first()
    return found or services.user_create(
        actor=None, email=email, password=DEMO_PASSWORD, name=name, roles=roles
    )
