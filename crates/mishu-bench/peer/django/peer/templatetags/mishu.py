"""The template helpers ours has on `Ctx` (crates/mishu-web/src/ctx.rs): catalogue look-ups,
capped counts, office-time display and the "time left" wording, as Django tags and filters."""
from datetime import datetime, timedelta, timezone

from django import template

from peer import i18n

register = template.Library()
OFFICE = timezone(timedelta(hours=8))
COUNT_CAP = 1000


@register.simple_tag
def t(key):
    return i18n.t(key)


@register.simple_tag
def tk(prefix, code):
    return i18n.t(f"{prefix}.{code}")


@register.simple_tag
def tf1(key, name, value):
    return i18n.tf(key, **{name: value})


@register.filter
def count(n):
    return f"{COUNT_CAP - 1}+" if n >= COUNT_CAP else str(n)


@register.filter
def local_time(ms):
    if ms is None:
        return ""
    return datetime.fromtimestamp(ms / 1000, OFFICE).strftime("%Y-%m-%d %H:%M")


@register.filter
def left(ms):
    if ms is None:
        return i18n.t("inbox.no_deadline")
    minutes = abs(ms) // 60_000
    if minutes >= 2 * 24 * 60:
        span = i18n.tf("time.days", n=minutes // (24 * 60))
    elif minutes >= 60:
        span = i18n.tf("time.hours", n=minutes // 60)
    else:
        span = i18n.tf("time.minutes", n=max(minutes, 1))
    return i18n.tf("inbox.overdue_by" if ms < 0 else "inbox.due_in", t=span)


@register.filter
def can(actor, cap):
    return actor.can(cap)
