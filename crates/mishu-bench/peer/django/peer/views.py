"""The two measured views. Each issues the SQL Mishu issues for the same request (copied
from crates/mishu-service; see README.md for the list and where the peer differs)."""
import json
from datetime import datetime, timezone

from django.contrib.auth.decorators import login_required
from django.db import connection, transaction
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from . import actor as actors
from . import audit

# crates/mishu-service/src/tasks/store.rs `COLS`
COLS = (
    "task_id, domain, subject_id, title, kind, assignee_id, created_by, classification, urgency, due_at, state, "
    "outcome, created_at, done_at, done_by, done_acting_for, before_sent, due_sent, escalated_at, escalated_to, "
    "chase_count, version"
)
COL_NAMES = [c.strip() for c in COLS.split(",")]
# crates/mishu-web/src/inbox.rs `PAGE_SIZE`; crates/mishu-service/src/tasks/inbox.rs `COUNT_CAP`
PAGE_SIZE = 50
COUNT_CAP = 1000
OPEN_ORDER = "urgency DESC, CASE WHEN due_at IS NULL THEN 1 ELSE 0 END, due_at, task_id"
BOXES = {
    "todo": ("state = 'open'", "kind <> 'read'", OPEN_ORDER),
    "toread": ("state = 'open'", "kind = 'read'", OPEN_ORDER),
    "done": ("state = 'done'", "kind <> 'read'", "done_at DESC, task_id DESC"),
    "read": ("state = 'done'", "kind = 'read'", "done_at DESC, task_id DESC"),
}
ALL_KINDS = "'handle', 'read', 'approve', 'countersign', 'reply', 'attend'"
OPEN = "FROM tasks WHERE assignee_id = %s AND state = 'open'"
COUNTS_SQL = f"""SELECT (SELECT COUNT(*) FROM (SELECT 1 AS x {OPEN} AND kind <> 'read' LIMIT {COUNT_CAP}) a) AS todo,
        (SELECT COUNT(*) FROM (SELECT 1 AS x {OPEN} AND kind = 'read' LIMIT {COUNT_CAP}) b) AS toread,
        (SELECT COUNT(*) FROM (SELECT 1 AS x {OPEN} AND kind IN ({ALL_KINDS}) AND due_at < %s LIMIT {COUNT_CAP}) c) AS overdue,
        (SELECT COUNT(*) FROM (SELECT 1 AS x FROM notifications WHERE person_id = %s AND read_at IS NULL LIMIT {COUNT_CAP}) d) AS unread"""
FILING = {
    "filing_incoming": "incoming",
    "filing_meeting": "meeting",
    "filing_seal_application": "seal_application",
    "filing_leader_task": "leader_task",
    "filing_outgoing": "outgoing",
}
SUBJECT_PAGES = {
    "incoming": "/incoming/{}",
    "incoming_circulation": "/incoming/{}",
    "outgoing": "/outgoing/{}",
    "seal": "/seals/applications/{}",
    "meeting": "/meetings/{}",
    "meeting_decision": "/meetings/decisions/{}",
    "meeting_logistics": "/meetings/logistics/{}",
    "room_booking": "/rooms/bookings/{}",
    "seal_rules": "/seals/rules#rules-{}",
    "booking_reception": "/rooms/bookings/{}#reception",
}


def healthz(request):
    with connection.cursor() as c:
        c.execute("SELECT 1")
        c.fetchone()
    return HttpResponse("ok", content_type="text/plain")


def subject_link(t):
    """crates/mishu-web/src/inbox.rs `subject_link`."""
    domain, sid = t["domain"], t["subject_id"]
    if domain == "leader_task":
        return f"/leader-tasks/{sid}"
    if sid > 0 and domain in SUBJECT_PAGES:
        return SUBJECT_PAGES[domain].format(sid)
    if sid > 0 and domain in FILING:
        return f"/archives/file#filable-{FILING[domain]}-{sid}"
    return f"/tasks/{t['task_id']}"


@require_GET
@login_required
def inbox(request):
    which = request.GET.get("box") or "todo"
    if which not in BOXES:
        return HttpResponseBadRequest("box: one of todo, toread, done, read")
    try:
        offset = int(request.GET.get("offset", "0"))
    except ValueError:
        return HttpResponseBadRequest("offset: 0 or more")
    if offset < 0:
        return HttpResponseBadRequest("offset: 0 or more")
    a = actors.load(request.session["person_id"])
    if a is None:
        return HttpResponse(status=401)
    owner = a.acting_for or a.person_id
    state_sql, kind_sql, order = BOXES[which]
    sql = (
        f"SELECT {COLS} FROM tasks WHERE assignee_id = %s AND {state_sql} AND {kind_sql} "
        f"ORDER BY {order} LIMIT {PAGE_SIZE + 1} OFFSET {offset}"
    )
    now = actors.now_ms()
    with connection.cursor() as c:
        c.execute(sql, [owner])
        rows = c.fetchall()
        c.execute(COUNTS_SQL, [owner, owner, owner, now, a.person_id])
        todo, toread, overdue, unread = c.fetchone()
    next_offset = offset + PAGE_SIZE if len(rows) > PAGE_SIZE else None
    items = []
    for r in rows[:PAGE_SIZE]:
        t = dict(zip(COL_NAMES, r))
        if not actors.may_read(a, t["classification"], None, (t["assignee_id"],)):
            continue
        due = t["due_at"]
        items.append({"task": t, "ms_left": None if due is None else due - now, "link": subject_link(t)})
    counts = {"todo": todo, "toread": toread, "overdue": overdue, "unread_notifications": unread}
    return render(
        request,
        "peer/inbox.html",
        {"actor": a, "current": which, "items": items, "counts": counts, "offset": offset, "next_offset": next_offset},
    )


# crates/mishu-service/src/leader_tasks/store.rs `SELECT`
LEADER_TASK_SQL = """SELECT t.leader_task_id, t.title, t.body, t.leader_id, l.name AS leader_name, t.recorded_by, t.owner_id,
    o.name AS owner_name, o.department_id AS owner_department_id, t.urgency, t.due_at, t.state, t.answer, t.answered_at,
    t.closed_at, t.created_at, t.version
    FROM leader_tasks t JOIN people l ON l.person_id = t.leader_id JOIN people o ON o.person_id = t.owner_id
    WHERE t.leader_task_id = %s"""
URGENCY = {0: "normal", 1: "urgent", 2: "very_urgent"}


def problem(status, detail):
    return JsonResponse({"status": status, "detail": detail}, status=status)


def rfc3339(ms):
    return datetime.fromtimestamp(ms / 1000, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@csrf_exempt
@require_POST
def answer(request, task_id):
    """`POST /api/v1/leader-tasks/{id}/answer` (crates/mishu-service/src/leader_tasks `act`
    with `Answer`): one IMMEDIATE transaction that answers the task, closes the owner's
    reply task, opens the leader's review task, appends a chained audit record and marks
    the task for the search index; then the task read again, as JSON."""
    if not request.user.is_authenticated:
        return problem(401, "sign in first")
    if request.content_type != "application/json":
        return problem(415, "expected application/json")
    try:
        text = json.loads(request.body)["text"]
    except (ValueError, KeyError, TypeError):
        return problem(422, "text: expected a JSON object with `text`")
    if not isinstance(text, str):
        return problem(422, "text: expected a string")
    a = actors.load(request.session["person_id"])
    if a is None:
        return problem(401, "sign in first")
    now = actors.now_ms()
    with transaction.atomic(), connection.cursor() as c:
        c.execute(LEADER_TASK_SQL, [task_id])
        row = c.fetchone()
        if row is None:
            return problem(404, "not found")
        (tid, title, _body, leader, _ln, recorded_by, owner, _on, owner_dept, urgency, due_at, state, _ans, *_, version) = row
        if not actors.may_read(a, "none", owner_dept, (leader, owner, recorded_by)):
            return problem(404, "not found")
        # mishu_domain::leader_tasks::decide, (Given, Answer)
        if state != "given":
            return problem(409, f"wrong state: {state}")
        if a.person_id != owner and a.acting_for != owner:
            return problem(403, "only the owner answers")
        if not text.strip():
            return problem(422, "text: an answer is required")
        if any(ord(ch) < 32 and ch not in "\n\r\t" or 0x7F <= ord(ch) <= 0x9F for ch in text):
            return problem(422, "text: control characters are refused")
        answer_text = text.strip()
        c.execute(
            "UPDATE leader_tasks SET state = 'answered', answer = %s, answered_by = %s, answered_at = %s, "
            "version = version + 1 WHERE leader_task_id = %s AND version = %s",
            [answer_text, a.person_id, now, tid, version],
        )
        if c.rowcount == 0:
            transaction.set_rollback(True)
            return problem(409, "this task changed meanwhile; reload")
        c.execute(
            "UPDATE tasks SET state = 'done', outcome = %s, done_at = %s, done_by = %s, done_acting_for = %s, "
            "version = version + 1 WHERE domain = %s AND subject_id = %s AND state = 'open' "
            "AND (%s IS NULL OR assignee_id = %s)",
            [answer_text, now, a.person_id, a.acting_for, "leader_task", tid, owner, owner],
        )
        c.execute(
            "INSERT INTO tasks (domain, subject_id, title, kind, assignee_id, created_by, classification, urgency, "
            "due_at, state, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, 'open', %s) RETURNING task_id",
            ["leader_task", tid, title, "approve", leader, a.person_id, "none", urgency, None, now],
        )
        c.fetchone()
        detail = {"event": "answered", "by": a.person_id, "acting_for": a.acting_for, "at": now}
        audit.append(c, a, request.META.get("REMOTE_ADDR", "unknown"), now, "leader_task.answered", "leader_task", str(tid), detail)
        # crates/mishu-service/src/search/mod.rs `touch`
        c.execute("UPDATE audit_head SET seq = seq WHERE id = 1")
        c.execute("INSERT INTO search_changes (domain, subject_id, at) VALUES (%s, %s, %s)", ["leader_task", tid, now])
    with connection.cursor() as c:
        c.execute(LEADER_TASK_SQL, [task_id])
        t = c.fetchone()
    return JsonResponse(
        {
            "id": t[0],
            "title": t[1],
            "body": t[2],
            "leader_id": t[3],
            "leader_name": t[4],
            "owner_id": t[6],
            "owner_name": t[7],
            "urgency": URGENCY.get(t[9], "normal"),
            "due_at": rfc3339(t[10]),
            "state": t[11],
            "answer": t[12],
        },
        json_dumps_params={"ensure_ascii": False},
    )
