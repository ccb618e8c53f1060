"""Django's cached_db sessions, saving an existing session in one statement.

Django wraps every session save in ``transaction.atomic()``: outside a
transaction that is BEGIN, UPDATE, COMMIT, three round trips on every
request that changes the session (each checkout step does). An UPDATE of one
row is atomic by itself; only the creation (an INSERT that may collide with
another session's key) needs the transaction, and keeps it. Inside a
transaction already open, Django's own save runs (its savepoint keeps a
failed update from breaking the outer transaction).
"""

import logging

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.db import DatabaseError, connections, router

logger = logging.getLogger("django.contrib.sessions")


class SessionStore(CachedDBStore):
    def save(self, must_create: bool = False) -> None:
        if must_create or self.session_key is None:
            return super().save(must_create)
        # Django's own attributes, which django-stubs leave out.
        obj = self.create_model_instance(self._get_session())  # type: ignore[attr-defined]
        using = router.db_for_write(self.model, instance=obj)
        if connections[using].in_atomic_block:
            return super().save(must_create)
        try:
            obj.save(force_update=True, using=using)
        except DatabaseError as error:  # the row is gone: Django's answer
            raise UpdateError from error
        try:
            cache = self._cache  # type: ignore[attr-defined]
            cache.set(self.cache_key, self._session, self.get_expiry_age())  # type: ignore[attr-defined]
        except Exception:  # as Django's cached_db: the database has it
            logger.exception("Error saving the session to the cache")
        return None
