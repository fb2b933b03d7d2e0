"""`manage.py peer_session LOGIN`: a Django user for Mishu's person LOGIN and a session for
it, made before the run; prints the session key, which the load driver sends as the cookie
`sessionid` (as ours signs in once and sends `mishu_sid`)."""
import secrets

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import BaseCommand, CommandError
from django.middleware.csrf import CSRF_SESSION_KEY
from django.utils.crypto import get_random_string
from django.db import connection


class Command(BaseCommand):
    help = "Create the bench user's Django user and session; print the session key."

    def add_arguments(self, parser):
        parser.add_argument("login")

    def handle(self, *args, login, **options):
        with connection.cursor() as c:
            c.execute("SELECT person_id, name FROM people WHERE login = %s AND active", [login])
            row = c.fetchone()
        if row is None:
            raise CommandError(f"no active person {login!r} in the Mishu database")
        user, _ = get_user_model().objects.get_or_create(username=login, defaults={"first_name": row[1][:150]})
        # A usable password, so the session's auth hash is an HMAC of a real hash as in use.
        user.set_password(secrets.token_hex(16))
        user.save()
        s = SessionStore()
        s[SESSION_KEY] = str(user.pk)
        s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        s[HASH_SESSION_KEY] = user.get_session_auth_hash()
        # What ours keeps in the session row: whose session it is in Mishu's terms.
        s["person_id"] = row[0]
        s[CSRF_SESSION_KEY] = get_random_string(32)
        s.create()
        self.stdout.write(s.session_key)
