// Waybill web chat: talks to POST /api/chat and renders the platform-neutral replies
// (domain/conversation/reply.ts). Every string from the person or the bot reaches the page through
// text nodes (append / textContent), never as markup: the bot echoes what people type.
'use strict';
(() => {
  const SESSION_KEY = 'waybill.session';
  // Generous: an answer may wait on a language model; past this the person is told and may retry.
  const REQUEST_TIMEOUT_MS = 60000;
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const PALETTE = ['#1f4e8c', '#e07b28', '#2e9e6a', '#8a4fbf', '#c23b5a', '#5b7083'];
  const TONES = ['answer', 'question', 'confirm', 'refusal', 'error'];

  const transcript = document.getElementById('transcript');
  const welcome = document.getElementById('welcome');
  const typing = document.getElementById('typing');
  const form = document.getElementById('composer');
  const input = document.getElementById('message');

  // ---- session and ids ----------------------------------------------------------------------

  /** crypto.randomUUID exists only in secure contexts (localhost, https); a phone on the LAN is neither. */
  function uuid() {
    if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  /** One conversation per tab: sessionStorage survives a reload but not a new tab. */
  function loadSession(fresh) {
    let id = null;
    try {
      if (!fresh) id = sessionStorage.getItem(SESSION_KEY);
    } catch { /* storage disabled: the session lasts as long as the page */ }
    if (!id) {
      id = uuid();
      try { sessionStorage.setItem(SESSION_KEY, id); } catch { /* as above */ }
    }
    return id;
  }
  let session = loadSession(false);

  // ---- DOM helpers (text only) --------------------------------------------------------------

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') e.className = v;
      else e.setAttribute(k, v);
    }
    for (const c of children) if (c !== null && c !== undefined) e.append(c); // strings become text nodes
    return e;
  }
  function svg(tag, attrs, text) {
    const e = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    return e;
  }
  const str = (v) => (v === null || v === undefined ? '' : String(v));

  function scrollDown() {
    transcript.scrollTop = transcript.scrollHeight;
  }
  function show(node) {
    welcome.hidden = true;
    transcript.append(node);
    scrollDown();
  }

  // ---- messages -----------------------------------------------------------------------------

  function addUser(text, fromButton) {
    show(el('div', { class: fromButton ? 'msg user from-button' : 'msg user' },
      el('span', { class: 'visually-hidden' }, fromButton ? 'You chose: ' : 'You said: '),
      el('div', { class: 'bubble' }, text)));
  }

  function addReply(reply) {
    const tone = TONES.includes(reply && reply.tone) ? reply.tone : 'answer';
    const card = el('article', { class: `card tone-${tone}` });
    // Cards with a grid, table or chart take the full width; a sentence gets a bubble its own size.
    if (reply && Array.isArray(reply.parts) && reply.parts.some((p) => p && ['fields', 'table', 'chart'].includes(p.kind))) card.classList.add('wide');
    const parts = reply && Array.isArray(reply.parts) && reply.parts.length ? reply.parts : [{ kind: 'text', text: reply && reply.text }];
    for (const part of parts) {
      const node = renderPart(part, card);
      if (node) card.append(node);
    }
    show(el('div', { class: 'msg bot' }, el('span', { class: 'who' }, 'Waybill'), card));
  }

  function renderPart(p, card) {
    switch (p && p.kind) {
      case 'heading':
        return el('h3', {}, str(p.text));
      case 'text':
        return el('p', {}, str(p.text));
      case 'fields': {
        const dl = el('dl', { class: 'fields' });
        for (const f of p.fields || []) dl.append(el('dt', {}, str(f.label)), el('dd', {}, str(f.value)));
        return dl;
      }
      case 'list':
        return el('ul', {}, ...(p.items || []).map((i) => el('li', {}, str(i))));
      case 'table':
        return renderTable(p);
      case 'buttons':
        return el('div', { class: 'actions' }, ...(p.buttons || []).map((b) => renderButton(b, card)));
      case 'chart':
        return renderChart(p.chart || {});
      default:
        return null; // a part kind this page does not know yet: the reply's other parts still show
    }
  }

  function renderTable(p) {
    const cls = (i) => (p.align && p.align[i] === 'right' ? 'num' : '');
    const table = el('table');
    if (p.caption) table.append(el('caption', {}, str(p.caption)));
    table.append(el('thead', {}, el('tr', {}, ...(p.columns || []).map((c, i) => el('th', { scope: 'col', class: cls(i) }, str(c))))));
    table.append(el('tbody', {}, ...(p.rows || []).map((r) => el('tr', {}, ...r.map((c, i) => el('td', { class: cls(i) }, str(c)))))));
    // Focusable so keyboard users can scroll a wide table.
    return el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': str(p.caption) || 'Table' }, table);
  }

  function renderButton(b, card) {
    const style = b.style === 'primary' || b.style === 'danger' ? b.style : 'default';
    const button = el('button', { type: 'button', class: `btn ${style}` }, str(b.label));
    button.addEventListener('click', () => {
      // A question is answered once: the clicked button's group is done (Confirm/Edit/Cancel together),
      // while other groups of the same card (Dispute/Accept of another finding) stay usable.
      const group = button.closest('.actions') || card;
      const buttons = [...group.querySelectorAll('button')];
      for (const other of buttons) other.disabled = true;
      button.classList.add('chosen');
      addUser(str(b.label), true);
      // A click that failed (the database was away, the server could not be reached) did nothing:
      // the group comes back so the person can press it again, as in Slack.
      send({ action: { id: str(b.action && b.action.id), value: str(b.action && b.action.value) } }, (ok) => {
        if (ok) return;
        for (const other of buttons) other.disabled = false;
        button.classList.remove('chosen');
      });
      input.focus();
    });
    return button;
  }

  // ---- charts (inline SVG from the chart data) ----------------------------------------------

  const isNum = (v) => typeof v === 'number' && Number.isFinite(v);

  function decimals(step) {
    return step >= 1 ? 0 : Math.min(4, Math.ceil(-Math.log10(step) - 1e-9));
  }
  /** Values as the unit reads; `step` (axis ticks) rounds to what the tick spacing can show. */
  function format(unit, v, step) {
    if (!isNum(v)) return 'no data';
    const n = (x, d) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
    switch (unit) {
      case 'percent':
        return `${n(v * 100, step === undefined ? 1 : decimals(step * 100))}%`;
      case 'money':
        if (step !== undefined) return Math.abs(v) >= 10000 ? new Intl.NumberFormat('en-US', { notation: 'compact' }).format(v) : n(v, decimals(step));
        return n(v, 2);
      case 'days':
        return `${n(v, step === undefined ? 1 : decimals(step))} d`;
      default:
        if (step !== undefined && Math.abs(v) >= 10000) return new Intl.NumberFormat('en-US', { notation: 'compact' }).format(v);
        return n(v, step === undefined ? (Number.isInteger(v) ? 0 : 1) : decimals(step));
    }
  }

  /** Round axis bounds and about five ticks at 1, 2, 2.5 or 5 times a power of ten. */
  function niceScale(lo, hi) {
    if (lo === hi) {
      const pad = Math.abs(lo) * 0.1 || 1;
      lo = lo >= 0 && lo - pad < 0 ? 0 : lo - pad;
      hi += pad;
    }
    const raw = (hi - lo) / 5;
    const mag = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw - 1e-12);
    const min = Math.floor(lo / step + 1e-9) * step;
    const max = Math.ceil(hi / step - 1e-9) * step;
    const ticks = [];
    for (let v = min; v <= max + step / 2; v += step) ticks.push(Number(v.toFixed(10)));
    return { min, max: max === min ? min + step : max, step, ticks };
  }

  function renderChart(chart) {
    const title = str(chart.title) || 'Chart';
    const labels = (chart.labels || []).map(str);
    const series = (chart.series || []).filter((s) => s && Array.isArray(s.values));
    const count = Math.max(labels.length, 0, ...series.map((s) => s.values.length));
    const figure = el('figure', { class: 'chart' }, el('figcaption', {}, title));
    const values = series.flatMap((s) => s.values).filter(isNum);
    if (!count || !values.length) {
      figure.append(el('p', {}, 'No data to chart.'));
      return figure;
    }

    // Up to two value axes: the first unit on the left, a second one (say, percent next to counts) on the right.
    const unitOf = (s) => s.unit || 'count';
    const axes = [];
    for (const s of series) if (axes.length < 2 && !axes.some((a) => a.unit === unitOf(s))) axes.push({ unit: unitOf(s) });
    const axisOf = (s) => axes.find((a) => a.unit === unitOf(s)) || axes[0];
    for (const a of axes) {
      const mine = series.filter((s) => axisOf(s) === a);
      const vals = mine.flatMap((s) => s.values).filter(isNum);
      // Bars must start at zero to be honest; lines may zoom in on where the values are.
      const hasBars = mine.some((s) => s.type === 'bar');
      const lo = Math.min(...vals), hi = Math.max(...vals);
      a.scale = niceScale(hasBars ? Math.min(0, lo) : lo, hasBars ? Math.max(0, hi) : hi);
    }

    // Drawn for the width it gets (a phone or a desk), so axis text keeps its size instead of shrinking with the picture.
    const W = Math.round(Math.min(640, Math.max(300, transcript.clientWidth - 64)));
    const H = Math.round(W * 0.42) + 40;
    const m = { top: 14, right: axes.length > 1 ? 52 : 14, bottom: 28, left: 52 };
    const plotW = W - m.left - m.right, plotH = H - m.top - m.bottom;
    const band = plotW / count;
    const cx = (i) => m.left + band * (i + 0.5);
    const y = (a, v) => m.top + plotH * (1 - (v - a.scale.min) / (a.scale.max - a.scale.min));

    const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': title, preserveAspectRatio: 'xMidYMid meet' });
    root.append(svg('title', {}, title));
    root.append(svg('desc', {}, series.map((s) =>
      `${str(s.name)}: ${labels.map((l, i) => `${l} ${format(unitOf(s), s.values[i])}`).join(', ')}`).join('. ')));

    const grid = svg('g', { class: 'grid' });
    const axisText = svg('g', { class: 'axis' });
    axes.forEach((a, k) => {
      for (const t of a.scale.ticks) {
        const ty = y(a, t);
        if (k === 0) grid.append(svg('line', { x1: m.left, x2: W - m.right, y1: ty, y2: ty }));
        axisText.append(svg('text', k === 0
          ? { x: m.left - 8, y: ty + 4, 'text-anchor': 'end' }
          : { x: W - m.right + 8, y: ty + 4, 'text-anchor': 'start' }, format(a.unit, t, a.scale.step)));
      }
    });
    // Skip labels evenly when they would not fit side by side (long date ranges on a phone).
    const labelPx = Math.min(12, Math.max(2, ...labels.map((l) => l.length))) * 6.5 + 12;
    const every = Math.ceil(count / Math.max(1, Math.floor(plotW / labelPx)));
    for (let i = 0; i < count; i += every) {
      const full = labels[i] || '';
      const t = svg('text', { x: cx(i), y: H - m.bottom + 18, 'text-anchor': 'middle' }, full.length > 12 ? `${full.slice(0, 11)}…` : full);
      axisText.append(t);
    }
    root.append(grid, axisText);

    const bars = series.filter((s) => s.type === 'bar');
    const groupW = band * 0.72;
    const barW = bars.length ? groupW / bars.length : 0;
    // Bars first, lines over them, whatever the series order; colours stay with the series.
    const drawOrder = [...bars, ...series.filter((s) => s.type !== 'bar')];
    drawOrder.forEach((s) => {
      const si = series.indexOf(s);
      const a = axisOf(s);
      const color = PALETTE[si % PALETTE.length];
      const g = svg('g', { class: `series s${si % PALETTE.length}`, 'data-series': str(s.name) });
      const tip = (i) => `${labels[i] || ''} · ${str(s.name)}: ${format(unitOf(s), s.values[i])}`;
      if (s.type === 'bar') {
        const k = bars.indexOf(s);
        const base = y(a, Math.max(a.scale.min, Math.min(0, a.scale.max)));
        s.values.forEach((v, i) => {
          if (!isNum(v)) return;
          const top = y(a, v);
          const rect = svg('rect', {
            x: cx(i) - groupW / 2 + k * barW + barW * 0.08, width: Math.max(1, barW * 0.84),
            y: Math.min(top, base), height: Math.max(1, Math.abs(base - top)), rx: 2, fill: color,
            // Under a line the bars are the backdrop: lighter, so the line reads first.
            'fill-opacity': drawOrder.length > bars.length ? 0.6 : 1,
          });
          rect.append(svg('title', {}, tip(i)));
          g.append(rect);
        });
      } else {
        // A null value breaks the line rather than pretending it was zero.
        let d = '', pen = false;
        s.values.forEach((v, i) => {
          if (!isNum(v)) { pen = false; return; }
          d += `${pen ? 'L' : 'M'}${cx(i).toFixed(1)},${y(a, v).toFixed(1)}`;
          pen = true;
        });
        if (d) g.append(svg('path', { d, fill: 'none', stroke: color, 'stroke-width': 2.25, 'stroke-linejoin': 'round', 'stroke-linecap': 'round' }));
        if (count <= 40) {
          s.values.forEach((v, i) => {
            if (!isNum(v)) return;
            const dot = svg('circle', { cx: cx(i), cy: y(a, v), r: 3.2, fill: '#fff', stroke: color, 'stroke-width': 2 });
            dot.append(svg('title', {}, tip(i)));
            g.append(dot);
          });
        }
      }
      root.append(g);
    });
    root.append(svg('line', { class: 'baseline', x1: m.left, x2: W - m.right, y1: m.top + plotH, y2: m.top + plotH }));
    figure.append(root);

    const twoAxes = axes.length > 1;
    figure.append(el('ul', { class: 'legend' }, ...series.map((s, si) =>
      el('li', {}, el('span', { class: `swatch s${si % PALETTE.length}`, 'aria-hidden': 'true' }),
        twoAxes ? `${str(s.name)} (${axisOf(s) === axes[0] ? 'left' : 'right'} axis)` : str(s.name)))));
    return figure;
  }

  // ---- talking to the server ----------------------------------------------------------------

  const TROUBLE = {
    offline: 'Waybill could not be reached. Check that it is still running (npm start), then try again.',
    timeout: 'Waybill is taking too long to answer. Please try again in a moment.',
    server: 'Waybill ran into a problem and could not answer. Please try again in a moment.',
  };

  class Trouble extends Error {
    constructor(kind, detail) {
      super(kind);
      this.kind = kind;
      this.detail = detail;
    }
  }

  async function post(body) {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), REQUEST_TIMEOUT_MS);
    try {
      let res;
      try {
        res = await fetch('/api/chat', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: abort.signal,
        });
      } catch {
        throw new Trouble(abort.signal.aborted ? 'timeout' : 'offline');
      }
      let data = null;
      try { data = await res.json(); } catch { /* not JSON: a proxy's error page, say */ }
      // A failed answer may still carry the server's own polite error reply: show it like any other.
      if (data && Array.isArray(data.replies) && (res.ok || data.replies.length)) return data.replies;
      if (res.status >= 400 && res.status < 500) throw new Trouble('rejected', data && data.message);
      throw new Trouble('server');
    } finally {
      clearTimeout(timer);
    }
  }

  // One request at a time, in order: replies never overtake each other.
  let queue = Promise.resolve();
  let waiting = 0;

  /** `settled(ok)` is told whether the server answered with something other than an error reply. */
  function send(payload, settled) {
    deliver({ session, messageId: uuid(), ...payload }, false, settled);
  }

  function deliver(body, retry, settled) {
    waiting += 1;
    typing.hidden = false;
    queue = queue
      .then(() => post(body))
      .then((replies) => {
        if (retry && !replies.length) addNote('That message had already reached Waybill; it was not sent twice.');
        for (const r of replies) addReply(r);
        if (settled) settled(!(replies.length && replies.every((r) => r && r.tone === 'error')));
      })
      .catch((e) => {
        addTrouble(body, e instanceof Trouble ? e : new Trouble('server'));
        if (settled) settled(false);
      })
      .finally(() => {
        waiting -= 1;
        typing.hidden = waiting === 0;
        scrollDown();
      });
  }

  function addNote(text) {
    show(el('div', { class: 'msg bot' }, el('span', { class: 'who' }, 'Waybill'), el('article', { class: 'card' }, el('p', {}, text))));
  }

  function addTrouble(body, trouble) {
    const text = trouble.kind === 'rejected'
      ? `Waybill could not accept that message${trouble.detail ? `: ${trouble.detail}` : '.'}`
      : TROUBLE[trouble.kind];
    const notice = el('div', { class: 'notice', role: 'alert' }, el('p', {}, text));
    if (trouble.kind !== 'rejected') {
      const again = el('button', { type: 'button', class: 'btn' }, 'Try again');
      // The same message id: if the first attempt did arrive, the server does not act on it twice.
      again.addEventListener('click', () => {
        notice.remove();
        deliver(body, true);
      });
      notice.append(again);
    }
    show(notice);
  }

  // ---- composer -----------------------------------------------------------------------------

  function autosize() {
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight + 2, 160)}px`;
  }

  function submitText(text) {
    if (!text.trim()) return;
    addUser(text, false);
    send({ text });
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = input.value;
    input.value = '';
    autosize();
    submitText(text);
    input.focus();
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  input.addEventListener('input', autosize);

  for (const chip of document.querySelectorAll('.suggestions .chip')) {
    chip.addEventListener('click', () => submitText(chip.textContent || ''));
  }

  document.getElementById('new-chat').addEventListener('click', () => {
    session = loadSession(true);
    for (const node of Array.from(transcript.children)) if (node !== welcome) node.remove();
    welcome.hidden = false;
    input.focus();
  });

  // ---- digests posted to this conversation (scheduled, or `waybill digest run`) ---------------
  // A browser cannot be pushed to: the server keeps them in this session's inbox until asked.
  const INBOX_POLL_MS = 30000;
  async function collectInbox() {
    try {
      const res = await fetch(`/api/inbox?session=${encodeURIComponent(session)}`);
      if (!res.ok) return;
      const data = await res.json();
      if (data && Array.isArray(data.replies)) for (const r of data.replies) addReply(r);
    } catch { /* offline or restarting: the next poll collects them */ }
  }
  collectInbox();
  setInterval(collectInbox, INBOX_POLL_MS);

  input.focus();
})();
