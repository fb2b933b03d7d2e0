#!/usr/bin/env python3
"""Drafts zh-TW catalogue files from zh-CN ones with OpenCC (s2twp: Taiwan phrasing).
Only keys missing from zh-TW are added, so hand-corrected lines stay as they are.
Needs: pip install opencc-python-reimplemented. Review the output before committing."""
import os, sys
import opencc

base = os.path.join(os.path.dirname(__file__), "..", "crates", "mishu-web", "i18n")
cc = opencc.OpenCC("s2twp")
for name in sorted(os.listdir(os.path.join(base, "zh-CN"))):
    tw_path = os.path.join(base, "zh-TW", name)
    existing = {}
    if os.path.exists(tw_path):
        for line in open(tw_path, encoding="utf-8"):
            if "=" in line:
                existing[line.split("=", 1)[0].strip()] = line
    out = []
    for line in open(os.path.join(base, "zh-CN", name), encoding="utf-8"):
        if "=" in line and not line.lstrip().startswith("#"):
            k, v = line.split("=", 1)
            out.append(existing.get(k.strip(), k + "=" + cc.convert(v)))
        else:
            out.append(line)
    open(tw_path, "w", encoding="utf-8").write("".join(out))
    print("wrote", tw_path, file=sys.stderr)
