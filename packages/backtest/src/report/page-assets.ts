// The stylesheet and the script inlined into every tearsheet. System fonts only, so the page
// looks the same offline; colors are CSS variables so the dark scheme is one block.

import { CHART_CSS } from '../charts/chart-styles.js';

/** The page's stylesheet: its own, then the charts' (shared with the dashboard) in its colours. */
export const TEARSHEET_CSS = `
:root{--bg:#f5f6f8;--panel:#fff;--text:#1c2430;--muted:#5d6b7e;--faint:#8a96a6;--line:#e3e7ed;
--grid:#edf0f4;--accent:#2563eb;--accent-fill:rgba(37,99,235,.10);--pos:#15803d;--neg:#c0262d;
--neg-fill:rgba(220,38,38,.16);--tip:#1c2430;--tip-text:#fff;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#0f141b;--panel:#171e27;--text:#e4e9f0;--muted:#9aa7b8;
--faint:#6d7a8c;--line:#29323e;--grid:#222b36;--accent:#6aa0ff;--accent-fill:rgba(106,160,255,.14);
--pos:#4ade80;--neg:#f87171;--neg-fill:rgba(248,113,113,.18);--tip:#e4e9f0;--tip-text:#0f141b}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;-webkit-font-smoothing:antialiased}
main{max-width:1180px;margin:0 auto;padding:28px 24px 40px}
header{margin-bottom:18px}
h1{font-size:26px;line-height:1.2;margin:0 0 6px;font-weight:650;letter-spacing:-.01em}
h2{font-size:15px;margin:0 0 12px;font-weight:620;letter-spacing:.01em}
.meta{display:flex;flex-wrap:wrap;gap:6px 22px;margin:0;color:var(--muted)}
.meta div{display:flex;gap:6px}.meta dt{color:var(--faint)}.meta dd{margin:0;color:var(--text);font-weight:520}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(138px,1fr));gap:10px;margin:18px 0}
.card{background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:12px 14px}
.card-label{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.05em}
.card-value{font-size:22px;font-weight:640;margin-top:2px;font-variant-numeric:tabular-nums}
section{background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:16px 18px;margin:0 0 14px}
.columns{display:grid;grid-template-columns:minmax(0,1.25fr) minmax(0,1fr);gap:14px}
.columns>section{margin:0}.columns+section,.columns{margin-bottom:14px}
@media (max-width:860px){.columns{grid-template-columns:minmax(0,1fr)}}
.empty{color:var(--muted);margin:4px 0}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
caption{text-align:left;font-weight:620;color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.05em;padding:0 0 6px}
th,td{padding:5px 8px;border-bottom:1px solid var(--line)}
th{text-align:left;font-weight:500;color:var(--muted)}td{text-align:right;white-space:nowrap}
.metrics{margin-bottom:14px}.metrics:last-child{margin-bottom:0}
.metrics td{font-weight:560}.metrics tr:last-child>*{border-bottom:0}
.kv td{text-align:left;white-space:normal;word-break:break-word}.kv th{width:38%}
.assumptions{margin:0;padding-left:18px}.assumptions li{margin:3px 0}.assumptions b{font-weight:600}
.pos{color:var(--pos)}.neg{color:var(--neg)}
.scroll{overflow-x:auto}
.monthly th,.monthly td{text-align:center;padding:6px 4px;border:1px solid var(--panel);border-radius:3px}
.monthly th[scope=row]{text-align:left;padding-right:10px}.monthly td{min-width:56px;font-size:13px}
.monthly td.year{font-weight:640;border-left:3px solid var(--panel)}
.trades-scroll{max-height:560px;overflow-y:auto}
.trades thead th{position:sticky;top:0;background:var(--panel);text-align:right;box-shadow:inset 0 -1px 0 var(--line)}
.trades thead th.text{text-align:left}
.trades td.text,.trades td.index{text-align:left}.trades td.index{color:var(--faint)}
.trades td.time{color:var(--muted);white-space:normal}
@media (max-width:1100px){.trades{font-size:12.5px}.trades th,.trades td{padding:4px 5px}}
@media (max-width:820px){main{padding:20px 12px 32px}section{padding:14px 12px}.trades{font-size:12px}.trades th,.trades td{padding:4px 3px}}.trades tbody tr:hover{background:var(--grid)}
.side-long{color:var(--pos)}.side-short{color:var(--neg)}
.note{color:var(--muted);font-size:12px;margin:8px 0 0}
footer{color:var(--faint);font-size:12px;text-align:center;margin-top:20px}
@media print{body{background:#fff}section,.card{break-inside:avoid;border-color:#ccc}.trades-scroll{max-height:none;overflow:visible}}
${CHART_CSS}.chart{--chart-grid:var(--grid);--chart-frame:var(--line);--chart-label:var(--faint);--chart-accent:var(--accent);--chart-accent-fill:var(--accent-fill);--chart-neg:var(--neg);--chart-neg-fill:var(--neg-fill);--chart-dot:var(--panel);--chart-tip:var(--tip);--chart-tip-text:var(--tip-text)}
`;

/**
 * The page's only script: a hover readout for each chart. It reads the points a chart carries
 * as JSON, so the readout shows real values rather than values recovered from pixels.
 */
export const TEARSHEET_SCRIPT = `
(function () {
  'use strict';
  var pad = function (n) { return String(n).padStart(2, '0'); };
  var time = function (t) {
    var d = new Date(t);
    return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate()) + ' ' +
      pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes()) + ' UTC';
  };
  var group = function (fixed) {
    var parts = fixed.split('.');
    return parts[0].replace(/\\B(?=(\\d{3})+(?!\\d))/g, ',') + (parts.length > 1 ? '.' + parts[1] : '');
  };
  var formatValue = function (data, v) {
    return data.format === 'percent'
      ? group((v * 100).toFixed(2)) + '%'
      : group(v.toFixed(data.decimals));
  };
  var figures = document.querySelectorAll('figure[data-chart]');
  Array.prototype.forEach.call(figures, function (figure) {
    var source = figure.querySelector('script.chart-data');
    var svg = figure.querySelector('svg');
    var tip = figure.querySelector('.tip');
    if (!source || !svg || !tip) return;
    var data = JSON.parse(source.textContent);
    var cursor = svg.querySelector('.cursor');
    var rule = cursor.querySelector('line');
    var dot = cursor.querySelector('circle');
    var left = data.plot[0], top = data.plot[1], width = data.plot[2], height = data.plot[3];
    var t0 = data.domain[0], t1 = data.domain[1], v0 = data.domain[2], v1 = data.domain[3];
    var x = function (t) { return left + ((t - t0) / (t1 - t0)) * width; };
    var y = function (v) { return top + (1 - (v - v0) / (v1 - v0)) * height; };
    var hide = function () { cursor.setAttribute('visibility', 'hidden'); tip.hidden = true; };
    svg.addEventListener('pointermove', function (event) {
      var box = svg.getBoundingClientRect();
      var scale = svg.viewBox.baseVal.width / box.width;
      var target = t0 + (((event.clientX - box.left) * scale - left) / width) * (t1 - t0);
      var lo = 0, hi = data.t.length - 1;
      while (hi - lo > 1) {
        var mid = (lo + hi) >> 1;
        if (data.t[mid] <= target) lo = mid; else hi = mid;
      }
      var i = Math.abs(data.t[hi] - target) < Math.abs(data.t[lo] - target) ? hi : lo;
      var cx = x(data.t[i]), cy = y(data.v[i]);
      rule.setAttribute('x1', cx); rule.setAttribute('x2', cx);
      dot.setAttribute('cx', cx); dot.setAttribute('cy', cy);
      cursor.setAttribute('visibility', 'visible');
      var when = document.createElement('span');
      when.textContent = time(data.t[i]);
      var value = document.createElement('b');
      value.textContent = formatValue(data, data.v[i]);
      tip.replaceChildren(when, value);
      tip.hidden = false;
      var px = cx / scale;
      var flip = px > box.width * 0.62;
      tip.style.left = flip ? '' : px + 12 + 'px';
      tip.style.right = flip ? box.width - px + 12 + 'px' : '';
    });
    svg.addEventListener('pointerleave', hide);
  });
})();
`;

/**
 * The base64 SHA-256 of {@link TEARSHEET_SCRIPT}, which the page's content security policy
 * names as the one script allowed to run. Written here rather than hashed at render time so the
 * renderer needs no `node:crypto` and bundles for a browser; a test hashes the script in the
 * rendered page and compares, so an edit of the script that forgets this line fails.
 */
export const TEARSHEET_SCRIPT_SHA256 = 'eUyL9oNuH4cSnXEeEGgClKWXwSGtdm9CrwZxncYAc6c=';
