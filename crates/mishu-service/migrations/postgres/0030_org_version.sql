-- A counter that moves with every change to the organisation's departments, people and
-- roles, whoever makes it (the admin pages, an import, SQL by hand). Each node keeps the
-- short lists pages draw from (departments, leaders, department heads) and checks this one
-- row before using them, so a change shows at once on every node without reading the lists.
CREATE TABLE org_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO org_version (id, version) VALUES (1, 0);

CREATE FUNCTION bump_org_version() RETURNS trigger AS $$
BEGIN
    UPDATE org_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER departments_org_version AFTER INSERT OR UPDATE OR DELETE ON departments
    FOR EACH STATEMENT EXECUTE FUNCTION bump_org_version();
CREATE TRIGGER people_org_version AFTER INSERT OR DELETE ON people
    FOR EACH STATEMENT EXECUTE FUNCTION bump_org_version();
-- Only a change a list or an actor shows: sign-in bookkeeping (failed_logins, clearing a
-- lock that is not set) would otherwise empty every node's lists at each sign-in. Per row,
-- so that an UPDATE changing nothing shown moves nothing.
CREATE TRIGGER people_upd_org_version AFTER UPDATE ON people
    FOR EACH ROW WHEN (OLD.login IS DISTINCT FROM NEW.login
    OR OLD.name IS DISTINCT FROM NEW.name
    OR OLD.department_id IS DISTINCT FROM NEW.department_id
    OR OLD.position IS DISTINCT FROM NEW.position
    OR OLD.clearance IS DISTINCT FROM NEW.clearance
    OR OLD.admin_kind IS DISTINCT FROM NEW.admin_kind
    OR OLD.phone IS DISTINCT FROM NEW.phone
    OR OLD.sort_order IS DISTINCT FROM NEW.sort_order
    OR OLD.active IS DISTINCT FROM NEW.active
    OR OLD.password_hash IS DISTINCT FROM NEW.password_hash
    OR OLD.locked_until IS DISTINCT FROM NEW.locked_until
    OR OLD.totp_secret IS DISTINCT FROM NEW.totp_secret)
    EXECUTE FUNCTION bump_org_version();
CREATE TRIGGER person_roles_org_version AFTER INSERT OR UPDATE OR DELETE ON person_roles
    FOR EACH STATEMENT EXECUTE FUNCTION bump_org_version();
