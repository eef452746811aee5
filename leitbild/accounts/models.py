from typing import ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from leitbild.core.roles import Role


class UserManager(BaseUserManager["User"]):  # Django managers accept [] at runtime
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("E-mail is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_superuser", True)
        user = self.create_user(email, password, **extra)
        RoleAssignment.objects.get_or_create(user=user, role=Role.ADMIN)
        return user


class User(AbstractBaseUser, PermissionsMixin):
    """A staff member. Residents need no account."""

    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    name = models.CharField(_("Name"), max_length=150, blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)
    date_joined = models.DateTimeField(_("angelegt am"), default=timezone.now)
    # Set when Administration chose the first password; the staff area stays closed
    # (accounts.middleware) until its holder has changed it.
    must_change_password = models.BooleanField(_("muss das Passwort ändern"), default=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("Mitarbeiterin/Mitarbeiter")
        verbose_name_plural = _("Mitarbeitende")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.name or self.email

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(self.role_assignments.values_list("role", flat=True))

    @property
    def is_staff(self) -> bool:
        # Only Administration reaches Django's admin; everyone else works in the staff area.
        return self.is_active and Role.ADMIN in self.roles

    def has_perm(self, perm, obj=None) -> bool:
        if self.is_active and Role.ADMIN in self.roles:
            return True
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label) -> bool:
        if self.is_active and Role.ADMIN in self.roles:
            return True
        return super().has_module_perms(app_label)

    def role_labels(self) -> list[str]:
        return [str(Role(r).label) for r in sorted(self.roles)]


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("Rolle"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("Rolle")
        verbose_name_plural = _("Rollen")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="unique_role_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"
