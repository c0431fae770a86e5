"""Users and roles: a YAML file of names, roles and scrypt password hashes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml

from knowledge.errors import StudioError, yaml_problem

Role = Literal["copywriter", "reviewer"]
ROLES: tuple[Role, ...] = ("copywriter", "reviewer")
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
NAME = re.compile(r"^[A-Za-z0-9_.-]{2,32}$")
MIN_PASSWORD = 8


class UsersFileError(StudioError):
    """The users file is missing, unreadable or malformed."""


def hash_password(password: str, salt: bytes | None = None) -> str:
    """Return `scrypt$n$r$p$salt$hash` for a password (standard-library scrypt, random salt)."""
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32
    )
    salt_b64, digest_b64 = base64.b64encode(salt).decode(), base64.b64encode(digest).decode()
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt_b64}${digest_b64}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        actual = hashlib.scrypt(
            password.encode("utf-8"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=32,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, base64.b64decode(digest))


@dataclass(frozen=True)
class User:
    name: str
    role: Role
    password_hash: str

    @property
    def can_approve(self) -> bool:
        return self.role == "reviewer"


class Users:
    """The users file: `users: {name: {role: copywriter|reviewer, password_hash: scrypt$...}}`."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.users: dict[str, User] = {}
        if self.path.exists():
            self._load()

    def _load(self) -> None:
        try:
            data = yaml.safe_load(self.path.read_text(encoding="utf-8")) or {}
        except OSError as exc:
            raise UsersFileError(f"cannot read users file {self.path}: {exc.strerror}") from None
        except yaml.YAMLError as exc:
            raise UsersFileError(
                f"users file {self.path} is not valid YAML: {yaml_problem(exc)}"
            ) from None
        entries = data.get("users") if isinstance(data, dict) else None
        if not isinstance(entries, dict):
            raise UsersFileError(f"users file {self.path} needs a top-level 'users:' mapping")
        for name, entry in entries.items():
            role = (entry or {}).get("role")
            password_hash = (entry or {}).get("password_hash")
            if role not in ROLES or not isinstance(password_hash, str):
                raise UsersFileError(
                    f"user '{name}' in {self.path} needs role (copywriter|reviewer) "
                    "and password_hash"
                )
            self.users[str(name)] = User(str(name), role, password_hash)

    def __len__(self) -> int:
        return len(self.users)

    def get(self, name: str | None) -> User | None:
        return self.users.get(name or "")

    def authenticate(self, name: str, password: str) -> bool:
        user = self.users.get(name)
        return bool(user) and verify_password(password, user.password_hash)  # type: ignore[union-attr]

    def add(self, name: str, role: str, password: str) -> User:
        """Add or replace a user and save the file."""
        if not NAME.match(name):
            raise UsersFileError(
                f"user name '{name}' must be 2-32 letters, digits, '.', '_' or '-'"
            )
        if role not in ROLES:
            raise UsersFileError(f"unknown role '{role}'; use copywriter or reviewer")
        if len(password) < MIN_PASSWORD:
            raise UsersFileError(f"password must be at least {MIN_PASSWORD} characters")
        user = User(name, role, hash_password(password))  # type: ignore[arg-type]
        self.users[name] = user
        self.save()
        return user

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "users": {
                u.name: {"role": u.role, "password_hash": u.password_hash}
                for u in self.users.values()
            }
        }
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(yaml.safe_dump(data, sort_keys=True), encoding="utf-8")
        os.chmod(tmp, 0o600)
        tmp.replace(self.path)
