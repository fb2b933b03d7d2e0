"""`audit::append` (crates/mishu-service/src/audit): the next sequence number from the head
row, the record sealed with HMAC-SM3 over its length-prefixed fields and the previous MAC
(crates/mishu-domain/src/audit.rs `canonical`), inserted, and the head moved. The key is
the data folder's `audit.key`, so `mishu audit verify` accepts the peer's records."""
import hashlib
import hmac
import json
from pathlib import Path

from django.conf import settings

KEY = bytes.fromhex(
    Path(settings.DATABASES["default"]["NAME"]).with_name("audit.key").read_text(encoding="ascii").strip()
)
# OpenSSL's SM3 through hashlib; refuse to start without it rather than write a wrong MAC.
hashlib.new("sm3")


def _field(out, text):
    b = text.encode("utf-8")
    out += len(b).to_bytes(8, "big")
    out += b


def append(c, actor, source_ip, now, action, subject_type, subject_id, detail):
    c.execute("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, mac")
    seq, prev_mac = c.fetchone()
    # serde_json's canonical form: sorted keys, no spaces, UTF-8 as is.
    detail_text = json.dumps(detail, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    msg = bytearray()
    for f in (
        str(seq),
        str(now),
        str(actor.person_id),
        "" if actor.acting_for is None else str(actor.acting_for),
        source_ip,
        action,
        subject_type,
        subject_id or "",
        detail_text,
        prev_mac,
    ):
        _field(msg, f)
    mac = hmac.new(KEY, bytes(msg), "sm3").hexdigest()
    c.execute(
        "INSERT INTO audit_log (seq, at, actor_id, acting_for, source_ip, action, subject_type, subject_id, detail, "
        "prev_mac, mac) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [seq, now, actor.person_id, actor.acting_for, source_ip, action, subject_type, subject_id, detail_text, prev_mac, mac],
    )
    c.execute("UPDATE audit_head SET mac = %s WHERE id = 1", [mac])
    return seq
