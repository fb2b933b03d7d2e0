"""Who is asking, as Mishu's `org::read_actor` reads it: the person row (with the department
name) and their roles, then the two policy questions the views need (`access::may_read`
and the navigation's capabilities). Ours keeps this per node behind a version check; the
peer reads it on every request, as a plain Django view would."""
import time

from django.db import connection

PERSON_SQL = """SELECT p.person_id, p.login, p.name, p.department_id, d.name AS department_name, p.position,
    p.clearance, p.admin_kind, p.phone, p.active, p.locked_until, (p.totp_secret IS NOT NULL) AS has_totp,
    (p.password_hash IS NOT NULL) AS has_password, p.sort_order
    FROM people p LEFT JOIN departments d ON d.department_id = p.department_id WHERE p.person_id = %s"""
ROLES_SQL = "SELECT role, department_id FROM person_roles WHERE person_id = %s ORDER BY role"

CLEARANCE = {"none": 0, "secret": 1, "confidential": 2, "top_secret": 3}
OFFICE_WIDE = {"secretary", "office_head", "leader"}


class Actor:
    __slots__ = ("person_id", "name", "department_id", "clearance", "admin", "roles", "acting_for")

    def has_role(self, role):
        return any(r == role for r, _ in self.roles)

    def is_office_wide(self):
        return any(r in OFFICE_WIDE for r, _ in self.roles)

    def can(self, cap):
        business = self.admin is None
        if cap == "manage_archives":
            return business and (self.has_role("archivist") or self.has_role("office_head"))
        return {"admin_org": "system", "admin_security": "security", "admin_audit": "audit"}.get(cap) == self.admin


def load(person_id):
    """`None` for a person who is gone or inactive (the view then answers 401/redirect)."""
    with connection.cursor() as c:
        c.execute(PERSON_SQL, [person_id])
        p = c.fetchone()
        if p is None or not p[9]:
            return None
        c.execute(ROLES_SQL, [person_id])
        roles = c.fetchall()
    a = Actor()
    a.person_id, a.name, a.department_id = p[0], p[2], p[3]
    a.clearance = CLEARANCE.get(p[6], 3)
    a.admin = p[7]
    a.roles = roles
    a.acting_for = None
    return a


def may_read(actor, classification, department_id, route):
    """`mishu_domain::access::may_read`."""
    if actor.admin is not None or actor.clearance < CLEARANCE.get(classification, 3):
        return False
    me = actor.acting_for or actor.person_id
    if actor.person_id in route or me in route:
        return True
    if CLEARANCE.get(classification, 3) > 0:
        return False
    if actor.is_office_wide():
        return True
    return department_id is not None and any(
        r == "department_head" and (scope == department_id or actor.department_id == department_id)
        for r, scope in actor.roles
    )


def now_ms():
    return int(time.time() * 1000)
