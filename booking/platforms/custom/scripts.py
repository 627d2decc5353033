"""The JavaScript the recipe engine runs in the page: a counter of unfinished requests (so a step can
wait for the page's own fetch/XHR calls), and readers that fetch many elements' text in one call
(one WebDriver round trip instead of one per element)."""
from __future__ import annotations

NETWORK_COUNTER_JS = """
(function () {
  if (window.__bookerNet) return;
  var net = window.__bookerNet = {pending: 0, last: Date.now()};
  function start() { net.pending++; net.last = Date.now(); }
  function done() { net.pending = Math.max(0, net.pending - 1); net.last = Date.now(); }
  if (window.fetch) {
    var originalFetch = window.fetch;
    window.fetch = function () {
      start();
      try { return originalFetch.apply(this, arguments).finally(done); } catch (e) { done(); throw e; }
    };
  }
  var send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function () {
    start();
    this.addEventListener('loadend', done);
    try { return send.apply(this, arguments); } catch (e) { done(); throw e; }
  };
})();
"""
NETWORK_IDLE_JS = """
const net = window.__bookerNet;
if (!net) return 'missing';
return document.readyState === 'complete' && net.pending === 0 && Date.now() - net.last >= arguments[0];
"""
# Finds one visible element by selector and/or visible text (exact text first, then the innermost containing it).
FIND_JS = """
const [sel, text, all] = arguments;
const norm = s => (s || '').replace(/\\s+/g, ' ').trim().toLowerCase();
const visible = e => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length) && getComputedStyle(e).visibility !== 'hidden';
const label = e => norm(e.tagName === 'INPUT' ? (e.value || e.getAttribute('aria-label')) : (e.innerText || e.textContent || e.getAttribute('aria-label')));
const pick = pool => {
  pool = pool.filter(visible);
  if (!text) return pool;
  const want = norm(text);
  const exact = pool.filter(e => label(e) === want);
  if (exact.length) return exact;
  const partial = pool.filter(e => label(e).includes(want));
  return partial.filter(e => !partial.some(o => o !== e && e.contains(o)));
};
let found = pick(Array.from(document.querySelectorAll(sel || 'button, a, [role=button], input[type=submit], input[type=button], label, summary')));
if (!found.length && !sel) found = pick(Array.from(document.querySelectorAll('body *')));
return all ? found : (found[0] || null);
"""
# Every visible cell/slot: [raw value, disabled, its index among all elements matching the selector].
READ_CELLS_JS = """
const [sel, attr, disabled] = arguments;
const visible = e => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length);
return Array.from(document.querySelectorAll(sel)).map((e, i) => [
  attr ? e.getAttribute(attr) : (e.innerText || e.textContent || '').trim(),
  e.matches(disabled) || !!e.querySelector(disabled), i, visible(e)]).filter(c => c[3]);
"""


# Disabled: the option itself, or its <optgroup> (as WebElement.is_enabled says).
OPTIONS_JS = """
return Array.from(arguments[0].options).map((o, i) => [i, o.value || '', (o.text || '').replace(/\\s+/g, ' ').trim(),
  !(o.disabled || (o.parentElement && o.parentElement.tagName === 'OPTGROUP' && o.parentElement.disabled))]);
"""
