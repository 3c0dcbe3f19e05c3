"""One self-contained HTML page: inline CSS and JS only, no external asset, no network (a Content-Security-
Policy with the hashes of the inline style and script forbids anything else), every value HTML-escaped.

Tables marked ``data-sortable`` sort by a column when its header is clicked (again: reverse); the filter box
hides the rows and sections (``data-filter``) whose text does not contain every word typed.
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Iterable

STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5rem auto;max-width:78rem;padding:0 1rem;
color:#1d232b;background:#fff}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.2rem;margin:1.6rem 0 .4rem}h3{font-size:1rem;margin:1rem 0 .3rem}
.meta{color:#56606b}.note{background:#fff8e1;border-left:4px solid #f0b400;padding:.4rem .7rem;margin:.4rem 0}
input[type=search]{width:100%;max-width:28rem;padding:.4rem .6rem;font-size:1rem;margin:.6rem 0}
table{border-collapse:collapse;width:100%;margin:.4rem 0}th,td{border:1px solid #d5dbe1;padding:.3rem .5rem;
text-align:left;vertical-align:top}th{background:#f1f4f7}table[data-sortable] th{cursor:pointer;user-select:none}
th[aria-sort=ascending]::after{content:" \\25B2"}th[aria-sort=descending]::after{content:" \\25BC"}
td ul{margin:0;padding-left:1rem}code,pre{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{background:#f6f8fa;border:1px solid #d5dbe1;padding:.5rem;overflow-x:auto;white-space:pre-wrap;
word-break:break-all}.badge{display:inline-block;padding:0 .45rem;border-radius:.6rem;font-weight:600;font-size:12px}
.exposure-public{background:#c62828;color:#fff}.exposure-internal{background:#f0b400;color:#1d232b}
.exposure-private{background:#e3f2e6;color:#1b5e20}.class-restricted{background:#6a1b9a;color:#fff}
.class-confidential{background:#ef6c00;color:#fff}.class-internal{background:#e3ecf7;color:#0d47a1}
.class-public{background:#eceff1;color:#37474f}tr.public td{background:#fdecea}section.asset{border-top:2px solid
#d5dbe1;margin-top:1.2rem}.why{color:#56606b;font-size:13px}[hidden]{display:none!important}
"""

SCRIPT = """
(function(){
  function cell(row, i){ return (row.cells[i] ? row.cells[i].textContent : '').trim().toLowerCase(); }
  document.querySelectorAll('table[data-sortable]').forEach(function(table){
    table.querySelectorAll('th').forEach(function(th, i){
      th.addEventListener('click', function(){
        var down = th.getAttribute('aria-sort') === 'ascending';
        table.querySelectorAll('th').forEach(function(h){ h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', down ? 'descending' : 'ascending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function(a, b){
          var x = cell(a, i), y = cell(b, i);
          return (x < y ? -1 : x > y ? 1 : 0) * (down ? -1 : 1);
        });
        rows.forEach(function(r){ body.appendChild(r); });
      });
    });
  });
  var box = document.getElementById('filter');
  if (box) {
    box.addEventListener('input', function(){
      var words = box.value.toLowerCase().split(/\\s+/).filter(Boolean);
      document.querySelectorAll('[data-filter]').forEach(function(el){
        var t = el.textContent.toLowerCase();
        el.hidden = !words.every(function(w){ return t.indexOf(w) >= 0; });
      });
    });
  }
})();
"""


def esc(value: object) -> str:
    """Any value as escaped HTML text (quotes included, so it is safe in attributes too)."""
    return html.escape(str(value), quote=True)


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def badge(kind: str, value: str) -> str:
    """A highlighted value: ``kind`` is ``exposure`` or ``class``; the CSS class is built from known words only."""
    known = {
        "exposure": ("public", "internal", "private"),
        "class": ("restricted", "confidential", "internal", "public"),
    }
    css = f"badge {kind}-{value}" if value in known.get(kind, ()) else "badge"
    return f'<span class="{css}">{esc(value)}</span>'


def cell_list(values: Iterable[str]) -> str:
    items = [f"<li><code>{esc(v)}</code></li>" for v in values]
    return f"<ul>{''.join(items)}</ul>" if items else "—"


def page(title: str, header: str, body: str, filter_label: str = "Filter") -> str:
    """The whole document: ``header``, the filter box, ``body`` (both already-escaped HTML)."""
    csp = (
        "default-src 'none'; "
        f"style-src 'sha256-{_sha256(STYLE)}'; "
        f"script-src 'sha256-{_sha256(SCRIPT)}'; "
        "img-src 'none'; connect-src 'none'; form-action 'none'; base-uri 'none'"
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(csp)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{esc(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{header}\n"
        f'<input type="search" id="filter" placeholder="{esc(filter_label)}" aria-label="{esc(filter_label)}">\n'
        f"{body}\n<script>{SCRIPT}</script>\n</body>\n</html>\n"
    )
