"""Every page of the built site passes the W3C Nu HTML checker (vnu) with zero errors.

One Java process checks the whole output folder and, beside it, a canary page with two known
errors, so a checker that silently checked nothing would fail the test.
"""

from __future__ import annotations

import json
import subprocess

from external_tools import VNU_JAR, require_java, require_node_package

CANARY = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>canary</title></head>
<body><p bogus="1">x</p><ul><p>y</p></ul></body></html>
"""


def test_every_page_has_no_html_errors(real_site, tmp_path):
    java = require_java()
    jar = require_node_package(VNU_JAR, "vnu-jar")
    canary = tmp_path / "canary"
    canary.mkdir()
    (canary / "canary.html").write_text(CANARY, encoding="utf-8")
    pages = real_site.html_files()
    assert len(pages) > 50
    result = subprocess.run(
        [java, "-jar", str(jar), "--skip-non-html", "--errors-only", "--format", "json", str(real_site.output), str(canary)],
        capture_output=True, text=True, timeout=600, check=False,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    canary_errors = [m for m in messages if m.get("url", "").endswith("/canary.html")]
    assert len(canary_errors) == 2, f"the checker did not report the canary's errors: {result.stderr[:500]}"
    site_errors = [f"{m.get('url', '?').split(str(real_site.output))[-1]}:{m.get('lastLine', '?')}: {m['message']}"
                   for m in messages if m not in canary_errors]
    assert not site_errors, "\n".join(site_errors)
