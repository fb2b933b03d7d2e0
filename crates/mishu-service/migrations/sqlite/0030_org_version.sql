-- A counter that moves with every change to the organisation's departments, people and
-- roles, whoever makes it (the admin pages, an import, SQL by hand). Each node keeps the
-- short lists pages draw from (departments, leaders, department heads) and checks this one
-- row before using them, so a change shows at once on every node without reading the lists.
CREATE TABLE org_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO org_version (id, version) VALUES (1, 0);

CREATE TRIGGER departments_ins_org_version AFTER INSERT ON departments
BEGIN UPDATE org_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER departments_upd_org_version AFTER UPDATE ON departments
BEGIN UPDATE org_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER departments_del_org_version AFTER DELETE ON departments
BEGIN UPDATE org_version SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER people_ins_org_version AFTER INSERT ON people
BEGIN UPDATE org_version SET version = version + 1 WHERE id = 1; END;
-- Only a change a list or an actor shows: sign-in bookkeeping (failed_logins, clearing a
-- lock that is not set) would otherwise empty every node's lists at each sign-in.
CREATE TRIGGER people_upd_org_version AFTER UPDATE ON people
WHEN OLD.login IS NOT NEW.login
    OR OLD.name IS NOT NEW.name
    OR OLD.department_id IS NOT NEW.department_id
    OR OLD.position IS NOT NEW.position
    OR OLD.clearance IS NOT NEW.clearance
    OR OLD.admin_kind IS NOT NEW.admin_kind
    OR OLD.phone IS NOT NEW.phone
    OR OLD.sort_order IS NOT NEW.sort_order
    OR OLD.active IS NOT NEW.active
    OR OLD.password_hash IS NOT NEW.password_hash
    OR OLD.locked_until IS NOT NEW.locked_until
    OR OLD.totp_secret IS NOT NEW.totp_secret
BEGIN UPDATE org_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER people_del_org_version AFTER DELETE ON people
BEGIN UPDATE org_version SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER person_roles_ins_org_version AFTER INSERT ON person_roles
BEGIN UPDATE org_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER person_roles_upd_org_version AFTER UPDATE ON person_roles
BEGIN UPDATE org_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER person_roles_del_org_version AFTER DELETE ON person_roles
BEGIN UPDATE org_version SET version = version + 1 WHERE id = 1; END;
