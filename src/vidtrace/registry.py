"""One registry per extension point: classes register under a unique name, checked at import."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, Protocol, TypeVar


class Named(Protocol):
    name: str


T = TypeVar("T", bound=Named)


class DuplicateNameError(ValueError):
    pass


class Registry(Generic[T]):
    """Holds the classes of one extension point, in registration order."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._entries: dict[str, type[T]] = {}

    def register(self, cls: type[T]) -> type[T]:
        """Add ``cls``; usable as a decorator. Two classes with one name is a start-up error."""
        name = cls.name
        if name in self._entries and self._entries[name] is not cls:
            raise DuplicateNameError(f"{self.kind} {name!r} is registered twice")
        self._entries[name] = cls
        return cls

    def get(self, name: str) -> type[T]:
        try:
            return self._entries[name]
        except KeyError:
            raise KeyError(
                f"no {self.kind} named {name!r}; known: {sorted(self._entries)}"
            ) from None

    def names(self) -> list[str]:
        return list(self._entries)

    def __iter__(self) -> Iterator[type[T]]:
        return iter(list(self._entries.values()))

    def __len__(self) -> int:
        return len(self._entries)
