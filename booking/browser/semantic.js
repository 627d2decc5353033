// Booker's page reader: find elements the way a person (and a screen reader) perceives them.
// Runs inside the page (or the frame) through WebDriver's executeScript. Roles, accessible names and
// label associations are computed by Testing Library's DOM queries (window.__bookerTL, installed by
// booking/semantic.py), never re-derived here. Arguments: [queries]; every query is answered in this
// one round trip. A "find" query's ways are tried in order and the first that finds a shown element
// wins (or, with ``every``, what they all find); ``scope`` ways first find the part to search in
// (the whole page when none shows).
const [queries] = arguments;
const TL = window.__bookerTL;
if (!TL) return 'booker:no-reader';
const page = document.body || document.documentElement;
let root = page;

// Case-, whitespace- and glyph-tolerant text: "Time zone ▾" reads as "time zone".
const norm = (text) => String(text == null ? '' : text).normalize('NFKC')
  .replace(/[\u2018\u2019\u02bc]/g, "'").replace(/[\u201c\u201d]/g, '"').replace(/[\u2010-\u2015\u2212]/g, '-')
  .replace(/[\p{So}\p{Cf}\p{Co}\u2190-\u21ff\u25a0-\u25ff]/gu, ' ')
  .replace(/\s+/g, ' ').trim().toLowerCase();
const compiled = new Map();
const matches = (text, name) => {
  if (!name) return true;
  const have = norm(text);
  if (name.how === 'regex') {
    if (!compiled.has(name.value)) compiled.set(name.value, new RegExp(name.value, 'iu'));
    return compiled.get(name.value).test(have);
  }
  const want = norm(name.value);
  if (name.how === 'starts') return have.startsWith(want);
  if (name.how === 'contains') return have.includes(want);
  return have === want;
};

const shown = (el) => el.isConnected && el.getClientRects().length > 0 && !TL.isInaccessible(el);
const names = new Map();
const recordName = (name) => (text, el) => { names.set(el, text); return matches(text, name); };

// Deepest elements whose whole visible text matches (text split over nested tags counts).
function byText(name) {
  const found = [];
  const visit = (el) => {
    if (['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(el.tagName)) return false;
    // a subtree that can't hold the text is skipped (a regex can match a part only: no shortcut then)
    if (name.how !== 'regex' && !matches(el.textContent, {how: 'contains', value: name.value})) {
      return false;
    }
    let inner = false;
    for (const child of el.children) inner = visit(child) || inner;
    // the text a person reads (innerText leaves out scripts, styles and hidden parts)
    if (!inner && (name.how !== 'regex' || matches(el.textContent, name))
        && matches(typeof el.innerText === 'string' ? el.innerText : el.textContent, name)) {
      found.push(el); return true;
    }
    return inner;
  };
  visit(root);
  return found;
}

function run(way) {
  switch (way.how) {
    case 'role': {
      const options = {hidden: false, name: recordName(way.name), queryFallbacks: true, ...(way.states || {})};
      if (way.level) options.level = way.level;
      return TL.queryAllByRole(root, way.role, options);
    }
    case 'label':
      return TL.queryAllByLabelText(root, (text) => matches(text, way.name), {selector: '*'});
    case 'placeholder':
      return TL.queryAllByPlaceholderText(root, (text) => matches(text, way.name));
    case 'text':
      return byText(way.name);
    case 'css':
      try { return Array.from(root.querySelectorAll(way.css)); } catch (e) { return 'booker:invalid-selector'; }
    default:
      return [];
  }
}

const truthy = (value) => value === true || value === 'true';
function describe(el) {
  const aria = (attr) => el.getAttribute(attr);
  return {
    element: el,
    name: names.has(el) ? names.get(el) : (aria('aria-label') || (el.labels && el.labels[0] ? el.labels[0].textContent : '')
      || el.textContent || '').replace(/\s+/g, ' ').trim(),
    text: (el.innerText || el.textContent || '').replace(/\s+/g, ' ').trim(),
    tag: el.tagName.toLowerCase(),
    type: (el.getAttribute('type') || '').toLowerCase(),
    disabled: !!el.disabled || truthy(aria('aria-disabled')) || !!el.closest('fieldset:disabled'),
    checked: el.checked === true || truthy(aria('aria-checked')),
    selected: el.selected === true || truthy(aria('aria-selected')) || truthy(aria('aria-pressed'))
      || truthy(aria('aria-current')) || aria('aria-current') === 'date'
      || truthy((el.closest('[role="gridcell"], td') || el).getAttribute('aria-selected')),
    expanded: truthy(aria('aria-expanded')),
    busy: truthy(aria('aria-busy')),
    required: el.required === true || truthy(aria('aria-required')),
    value: 'value' in el && typeof el.value === 'string' ? el.value : null,
    href: typeof el.href === 'string' ? el.href : null,
  };
}

function lookup(ways, details, every) {
  const union = [];
  for (let index = 0; index < ways.length; index++) {
    const way = ways[index];
    const found = run(way);
    if (typeof found === 'string') return found;
    const visible = way.hidden ? found : found.filter(shown);
    if (visible.length && !every) {
      return {index, items: details ? visible.map(describe) : visible.map((element) => ({element}))};
    }
    for (const el of visible) if (!union.includes(el)) union.push(el);
  }
  // every: what all the ways found together, in page order
  union.sort((a, b) => a === b ? 0 : (a.compareDocumentPosition(b) & 4 ? -1 : 1));
  return {index: union.length ? 0 : -1, items: details ? union.map(describe) : union.map((element) => ({element}))};
}

// Still loading? A shown region marked aria-busy, an indeterminate progress bar (a spinner; one with a
// value is a step indicator), a status saying it loads, or a "Loading…" text.
const loadingWords = /^(loading|please wait)(\W|$)/i;
function busy() {
  if (Array.from(root.querySelectorAll('[aria-busy="true"]')).some(shown)) return true;
  if (TL.queryAllByRole(root, 'progressbar', {hidden: false}).some((el) => !el.hasAttribute('aria-valuenow'))) return true;
  if (TL.queryAllByRole(root, 'status', {hidden: false}).some((el) => loadingWords.test((el.textContent || '').trim()))) return true;
  return TL.queryAllByText(root, (content) => loadingWords.test(content.trim()), {ignore: 'script, style'}).some(shown);
}

const answers = [];
for (const query of queries) {
  root = query.within || page;
  if (!root) { answers.push(query.kind === 'find' ? {index: -1, items: []} : null); continue; }
  if (query.scope && query.scope.length) {
    const part = lookup(query.scope, false, false);
    if (typeof part === 'string') return part;
    if (part.items.length) root = part.items[0].element;  // else the whole page: the part is a hint
  }
  if (query.kind === 'busy') answers.push(busy());
  else if (query.kind === 'page') answers.push({url: location.href, text: (page.innerText || '').replace(/\s+/g, ' ').trim()});
  else {
    const result = lookup(query.ways, query.details, query.every);
    if (typeof result === 'string') return result;
    answers.push(result);
  }
}
return answers;
