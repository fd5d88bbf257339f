"""The card page Flowlens writes: one self-contained HTML file, no remote content.

The page carries the card's components as JSON in a `<script type="application/json">`
block, and the bundled renderer (assets/card-renderer.js and .css, put there by the build)
inlined, so the file opens in any browser and the editor can read the JSON without running
the page. Without the assets (the runtime run from source, unbuilt) the page says so in
plain HTML. The JSON escapes `<`, `>`, `&` and the JavaScript line separators, so no value
can close the script element.
"""

import datetime
import html
import json
import os

ASSETS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "assets")
_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_assets_cache = {}


def script_json(value):
    """JSON text that is safe inside a <script> element."""
    text = json.dumps(value, default=str)
    return "".join(_ESCAPES.get(ch, ch) for ch in text)


def _asset(name):
    if name not in _assets_cache:
        try:
            with open(os.path.join(ASSETS, name), "r", encoding="utf-8") as f:
                _assets_cache[name] = f.read()
        except OSError:
            _assets_cache[name] = None
    return _assets_cache[name]


def page_data(card_type, card_id, pathspec, title, components, final):
    return {
        "flowlens_card": 1,
        "type": card_type,
        "id": card_id,
        "pathspec": pathspec,
        "title": title,
        "created_on": datetime.datetime.now(datetime.timezone.utc).isoformat(),
        "final": bool(final),
        "components": list(components),
    }


def render_page(data):
    """The HTML page of `data` (a dict made by page_data)."""
    js, css = _asset("card-renderer.js"), _asset("card-renderer.css")
    title = html.escape(data.get("title") or data.get("pathspec") or "card")
    if js is None or css is None:
        body = (
            "<main id=\"flowlens-card\"><p>This card cannot be shown: the card renderer is missing from "
            "this Flowlens runtime (it is added when Flowlens is built). Its data is below, as JSON.</p></main>"
        )
        style, script = "", ""
    else:
        body = "<main id=\"flowlens-card\"></main>"
        style = "<style>%s</style>" % css.replace("</", "<\\/")
        script = "<script>%s</script>" % js.replace("</script", "<\\/script")
    return (
        "<!doctype html><html><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<title>%s</title>%s</head><body>%s"
        "<script type=\"application/json\" id=\"flowlens-card-data\">%s</script>%s</body></html>"
    ) % (title, style, body, script_json(data), script)


def error_components(headline, detail):
    """What a card shows instead of its content when it could not be rendered."""
    return [{"type": "section", "title": headline, "contents": [{"type": "log", "data": detail or headline}]}]
