/// The site's shared head, stylesheet and script: local files, no network.
enum Assets {
    static func head(title: String, stylesheet: String) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTML.escape(title))</title>
        <link rel="stylesheet" href="\(stylesheet)">
        </head>

        """
    }

    static let css = """
        :root { --ink: #1d232b; --muted: #5b6573; --line: #d8dde3; --paper: #fff; --bg: #f4f6f8;
          --error: #b3261e; --error-bg: #fdecea; --warning: #8a5a00; --warning-bg: #fff4d6; --info: #2b5c8a; --info-bg: #e8f1fa;
          --focus: #1a73e8; --hl: #ff6d00; }
        * { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; }
        body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--ink); background: var(--bg); }
        header.top, main, footer { max-width: 1240px; margin: 0 auto; padding: 0 20px; }
        header.top { padding-top: 16px; padding-bottom: 8px; }
        h1 { font-size: 1.6rem; line-height: 1.25; margin: 4px 0 10px; }
        h1 .kind { font-weight: 400; color: var(--muted); font-size: 1.1rem; display: inline-block; }
        h2 { font-size: 1.3rem; margin: 28px 0 10px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
        h2 .n { font-size: .9rem; color: var(--muted); font-weight: 400; }
        h3 { font-size: 1.1rem; margin: 22px 0 8px; }
        a { color: #0b57d0; }
        a:focus-visible, select:focus-visible, summary:focus-visible, [tabindex]:focus { outline: 3px solid var(--focus); outline-offset: 2px; }
        .skip { position: absolute; left: -999px; top: 0; background: var(--paper); padding: 8px 12px; z-index: 10; }
        .skip:focus { left: 8px; }
        .crumbs { font-size: .95rem; }
        code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .85em; }
        kbd { border: 1px solid var(--line); border-bottom-width: 2px; border-radius: 4px; padding: 0 5px; font-size: .85em; background: var(--paper); }
        footer { color: var(--muted); font-size: .85rem; padding-top: 24px; padding-bottom: 32px; }
        .meta { display: flex; flex-wrap: wrap; gap: 4px 22px; margin: 0 0 10px; font-size: .92rem; }
        .meta div { display: flex; gap: 6px; }
        .meta dt { color: var(--muted); }
        .meta dd { margin: 0; overflow-wrap: anywhere; }
        .counts { margin: 6px 0; display: flex; flex-wrap: wrap; gap: 8px; }
        .badge { display: inline-block; border-radius: 999px; padding: 1px 10px; font-size: .85rem; font-weight: 600; }
        .badge.error { background: var(--error-bg); color: var(--error); }
        .badge.warning { background: var(--warning-bg); color: var(--warning); }
        .badge.info { background: var(--info-bg); color: var(--info); }
        .badge.zero { background: #eceff2; color: var(--muted); font-weight: 400; }
        .missing { background: var(--warning-bg); padding: 8px 12px; border-radius: 6px; }
        .none { color: var(--muted); }
        article.finding { background: var(--paper); border: 1px solid var(--line); border-left: 6px solid var(--muted); border-radius: 8px;
          padding: 12px 16px; margin: 12px 0; }
        article.finding.error { border-left-color: var(--error); }
        article.finding.warning { border-left-color: #e0a100; }
        article.finding.info { border-left-color: var(--info); }
        article.finding > header { display: flex; flex-wrap: wrap; gap: 6px 10px; align-items: baseline; }
        article.finding .sev { text-transform: uppercase; font-size: .75rem; font-weight: 700; letter-spacing: .04em; }
        article.finding.error .sev { color: var(--error); } article.finding.warning .sev { color: var(--warning); } article.finding.info .sev { color: var(--info); }
        article.finding .code { font-weight: 600; }
        article.finding .concept { color: var(--muted); font-size: .9rem; overflow-wrap: anywhere; }
        article.finding .message { margin: 6px 0; overflow-wrap: anywhere; }
        .numbers { display: flex; flex-wrap: wrap; gap: 4px 24px; margin: 6px 0 10px; }
        .numbers div { display: flex; gap: 8px; }
        .numbers dt { color: var(--muted); }
        .numbers dd { margin: 0; font-variant-numeric: tabular-nums; font-weight: 600; }
        .places { display: flex; flex-wrap: wrap; gap: 14px; align-items: flex-start; }
        .crop { flex: 1 1 440px; max-width: 720px; margin: 0; background: #fafbfc; border: 1px solid var(--line); border-radius: 6px; padding: 8px; min-width: 0; }
        .crop svg { display: block; width: 100%; height: auto; background: #fff; border: 1px solid #e6e9ed; }
        .places.pair .crop { max-width: calc(50% - 7px); }
        .crop svg.tight { display: none; }
        .crop .which { display: block; font-size: .82rem; font-weight: 700; color: var(--muted); margin-bottom: 4px; overflow-wrap: anywhere; }
        .crop figcaption { font-size: .88rem; margin-top: 6px; overflow-wrap: anywhere; }
        .crop .printed { font-variant-numeric: tabular-nums; }
        .crop .conf { color: var(--warning); }
        .placeholder { padding: 18px; color: var(--muted); text-align: center; border: 1px dashed var(--line); background: #fff; }
        .thumb { margin: 0; width: 150px; }
        .thumb svg { width: 100%; height: auto; border: 1px solid var(--line); background: #fff; display: block; }
        .thumb figcaption { font-size: .85rem; text-align: center; }
        details.more { flex-basis: 100%; }
        details.more > summary { cursor: pointer; color: var(--muted); padding: 4px 0; }
        details.more > .places { margin-top: 8px; }
        rect.hl { fill: rgba(255, 160, 0, .18); stroke: var(--hl); stroke-width: 1.6; }
        details.notices { margin: 14px 0; }
        details.notices > summary { cursor: pointer; color: var(--info); font-weight: 600; padding: 6px 0; }
        .toc ul { display: flex; flex-wrap: wrap; gap: 6px 16px; list-style: none; padding: 0; margin: 0 0 8px; }
        .scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; background: var(--paper); border: 1px solid var(--line); border-radius: 6px; }
        table { border-collapse: collapse; width: 100%; font-size: .92rem; }
        th, td { padding: 5px 10px; border-bottom: 1px solid #edf0f2; text-align: left; vertical-align: top; }
        thead th { background: #f0f3f6; font-weight: 600; position: sticky; top: 0; }
        tbody th { font-weight: 400; }
        th .concept { color: var(--muted); font-size: .78rem; }
        .dims { color: var(--muted); font-size: .85rem; }
        .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .scenario { font-weight: 400; color: var(--muted); font-size: .8rem; }
        td.flagged { background: var(--warning-bg); }
        td.low a { text-decoration-style: dotted; }
        td.borrowed { color: var(--muted); }
        .mark { color: var(--warning); }
        tr.flagged td { background: var(--warning-bg); }
        .count.zero { color: #9aa3ad; }
        .count.error:not(.zero) { color: var(--error); font-weight: 700; }
        .count.warning:not(.zero) { color: var(--warning); font-weight: 700; }
        .codes code { background: #eef1f4; border-radius: 4px; padding: 0 4px; margin: 1px 0; display: inline-block; }
        .file { overflow-wrap: anywhere; min-width: 12em; }
        table.reports td.title { min-width: 10.5em; }
        .ocr { color: var(--muted); font-size: .85em; }
        .filters { display: flex; flex-wrap: wrap; gap: 10px 20px; align-items: center; margin: 10px 0 0; }
        .filters select { font: inherit; padding: 4px 6px; margin-left: 6px; max-width: 70vw; }
        .filters output { color: var(--muted); }
        [hidden] { display: none !important; }
        .organisation { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 4px 16px 16px; margin: 14px 0; }
        .chart { margin: 0 0 12px; }
        .chart-area { overflow-x: auto; }
        .chart-area > svg { width: 100%; max-width: 760px; height: auto; display: block; }
        .chart .grid { stroke: #e3e7eb; stroke-width: 1; }
        .chart .grid.zero { stroke: #9aa3ad; }
        .chart .tick { font-size: 12px; fill: var(--muted); }
        .chart .series { fill: none; stroke-width: 2.5; }
        .mismatch path { stroke: var(--error); stroke-width: 2.5; fill: none; }
        .legend { display: flex; flex-wrap: wrap; gap: 4px 18px; font-size: .88rem; color: var(--muted); }
        .legend span { display: inline-flex; align-items: center; gap: 6px; }
        .pager { display: flex; gap: 16px; margin: 4px 0; }
        .pager .disabled { color: #9aa3ad; }
        .split { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 20px; align-items: start; }
        .page-image svg { width: 100%; height: auto; display: block; background: #fff; border: 1px solid var(--line); box-shadow: 0 1px 4px rgba(0,0,0,.08); }
        rect.fact { fill: rgba(26, 115, 232, .08); stroke: rgba(26, 115, 232, .7); stroke-width: .8; }
        rect.fact.flagged { fill: rgba(179, 38, 30, .12); stroke: var(--error); stroke-width: 1.4; }
        rect.fact { scroll-margin-top: 30vh; }
        rect.fact:target { fill: rgba(255, 160, 0, .35); stroke: var(--hl); stroke-width: 2.5; }
        .pageview #figures-on-page h2 { margin-top: 0; }
        .crop.zoom { max-width: 900px; margin: 0 0 16px; }
        table.compact td, table.compact th { padding: 3px 8px; }
        table.compact .concept { color: var(--muted); font-size: .75rem; overflow-wrap: anywhere; }
        table.compact .period { white-space: nowrap; font-size: .85rem; }
        @media (max-width: 820px) {
          body { font-size: 15px; }
          header.top, main, footer { padding-left: 12px; padding-right: 12px; }
          .split { grid-template-columns: 1fr; }
          .chart .tick { font-size: 20px; }
          .chart .series { stroke-width: 3.5; }
          table.reports thead { display: none; }
          table.reports tr { display: flex; flex-wrap: wrap; gap: 2px 14px; padding: 8px 10px; border-bottom: 1px solid var(--line); }
          table.reports td { display: block; padding: 0; border: 0; }
          table.reports td.org, table.reports td.title, table.reports td.file, table.reports td.codes { flex-basis: 100%; }
          table.reports td.org { font-weight: 600; }
          table.reports td.file { color: var(--muted); font-size: .85rem; min-width: 0; }
          table.reports td[data-label]::after { content: " " attr(data-label); color: var(--muted); }
          .crop, .places.pair .crop { flex-basis: 100%; max-width: 100%; padding: 6px; }
          .crop svg.wide { display: none; }
          .crop svg.tight { display: block; }
          article.finding { padding: 10px 12px; }
          h1 { font-size: 1.35rem; }
        }
        @media print { .skip, .filters, footer { display: none; } body { background: #fff; } }

        """

    static let script = """
        // Filters on the index; j/k between warnings; arrow keys between pages.
        (function () {
          "use strict";
          var form = document.getElementById("filters");
          if (form) {
            form.hidden = false;
            var org = document.getElementById("filter-org"), code = document.getElementById("filter-code");
            var count = document.getElementById("filter-count");
            var apply = function () {
              var o = org.value, c = code.value, shown = 0, total = 0;
              document.querySelectorAll("table.reports tbody tr").forEach(function (row) {
                var ok = (!o || row.dataset.series === o) && (!c || (" " + row.dataset.codes + " ").indexOf(" " + c + " ") >= 0);
                row.hidden = !ok; total += 1; if (ok) shown += 1;
              });
              document.querySelectorAll("section.organisation").forEach(function (s) { s.hidden = !!o && s.dataset.series !== o; });
              count.textContent = (o || c) ? "showing " + shown + " of " + total + " reports" : "";
              var params = [];
              if (o) params.push("org=" + encodeURIComponent(o));
              if (c) params.push("code=" + encodeURIComponent(c));
              history.replaceState(null, "", params.length ? "#" + params.join("&") : location.pathname);
            };
            location.hash.replace(/^#/, "").split("&").forEach(function (p) {
              var kv = p.split("=");
              if (kv[0] === "org") org.value = decodeURIComponent(kv[1] || "");
              if (kv[0] === "code") code.value = decodeURIComponent(kv[1] || "");
            });
            org.addEventListener("change", apply); code.addEventListener("change", apply); apply();
          }
          // A page view opened on a figure (#f17): that figure enlarged above the page.
          var zoom = document.getElementById("zoom");
          if (zoom) {
            var show = function () {
              var id = location.hash.slice(1), target = id && document.getElementById(id);
              if (!target || target.tagName.toLowerCase() !== "rect") { zoom.hidden = true; return false; }
              var x = +target.getAttribute("x"), y = +target.getAttribute("y");
              var w = +target.getAttribute("width"), h = +target.getAttribute("height");
              var width = +zoom.dataset.width, height = +zoom.dataset.height, margin = width * 0.085;
              var x0 = Math.max(0, Math.min(x - 12, margin)), x1 = Math.min(width, Math.max(x + w + 12, width - margin));
              var y0 = Math.max(0, y - 30), y1 = Math.min(height, y + h + 30);
              var svg = zoom.querySelector("svg"), hl = zoom.querySelector("rect");
              svg.setAttribute("viewBox", [x0, y0, x1 - x0, y1 - y0].join(" "));
              hl.setAttribute("x", x - 1); hl.setAttribute("y", y - 1);
              hl.setAttribute("width", w + 2); hl.setAttribute("height", h + 2);
              var title = target.querySelector("title");
              zoom.querySelector("figcaption").textContent = title ? title.textContent : "";
              zoom.hidden = false;
              return true;
            };
            // After the browser's own jump to the fragment: the enlarged figure is at the top.
            var showAtTop = function () { if (show()) setTimeout(function () { window.scrollTo(0, 0); }, 0); };
            window.addEventListener("hashchange", showAtTop);
            if (document.readyState === "complete") showAtTop(); else window.addEventListener("load", showAtTop);
          }
          document.addEventListener("keydown", function (e) {
            if (e.altKey || e.ctrlKey || e.metaKey || /^(INPUT|SELECT|TEXTAREA)$/.test(e.target.tagName)) return;
            if (e.key === "j" || e.key === "k") {
              var items = Array.prototype.slice.call(document.querySelectorAll("article.finding")).filter(function (a) { return a.offsetParent !== null; });
              if (!items.length) return;
              var i = items.indexOf(document.activeElement);
              var next = e.key === "j" ? Math.min(i + 1, items.length - 1) : Math.max(i - 1, 0);
              items[next].focus(); items[next].scrollIntoView({ block: "start" });
              e.preventDefault();
            } else if (e.key === "ArrowLeft" || e.key === "ArrowRight") {
              var link = document.querySelector(e.key === "ArrowLeft" ? "a[rel=prev]" : "a[rel=next]");
              if (link) { location.href = link.href; e.preventDefault(); }
            }
          });
        })();

        """
}
