"""Mishu's zh-CN catalogues (`crates/mishu-web/i18n/zh-CN/*.txt`, `key = value`), loaded once
per worker so that the peer's template looks every string up as ours does (`ctx.t`)."""
from django.conf import settings

CATALOGUE = {}
for f in sorted(settings.I18N_DIR.glob("*.txt")):
    for line in f.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.partition(" = ")
        if sep and not line.startswith("#"):
            CATALOGUE[key.strip()] = value


def t(key):
    return CATALOGUE.get(key, key)


def tf(key, **args):
    text = t(key)
    for name, value in args.items():
        text = text.replace("{" + name + "}", str(value))
    return text
