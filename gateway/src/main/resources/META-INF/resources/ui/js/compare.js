// Compare: pick runs (ids) or a sweep; overlaid curves per quantity and layer; the sweep's table of mean and
// spread per cell, and its groups drawn as mean +/- spread over seeds.
import { download, json } from './api.js';
import { drawComparison } from './compare-draw.js';
import { el, header, show } from './layout.js';

header('compare');
const params = new URLSearchParams(location.search);
const main = document.querySelector('main');
const form = el('form', { class: 'filters card', id: 'pick' },
  el('label', {}, 'runs', el('input', { name: 'runs', size: 48, placeholder: 'run ids, comma-separated', value: params.get('runs') || '' })),
  el('label', {}, 'sweep', el('select', { name: 'sweep' }, el('option', { value: '' }, 'none'))),
  el('button', { type: 'submit' }, 'Compare'));
const status = el('p', { class: 'muted', id: 'status' });
const table = el('section', { class: 'card', id: 'sweep-table', hidden: true });
const curves = el('section', { id: 'curves' });
main.append(form, status, table, curves);

async function sweeps() {
  try {
    const { data } = await json('/api/v1/sweeps');
    form.sweep.append(...data.map(s => el('option', { value: s.id }, `${s.id} (${s.finished}/${s.runs} finished)`)));
  } catch (e) {
    status.textContent = e.message;
  }
  form.sweep.value = params.get('sweep') || '';
}

form.addEventListener('submit', e => {
  e.preventDefault();
  const q = new URLSearchParams();
  if (form.runs.value.trim()) {
    q.set('runs', form.runs.value.replace(/\s+/g, ''));
  }
  if (form.sweep.value) {
    q.set('sweep', form.sweep.value);
  }
  location.search = q.toString();
});

async function loadRun(id) {
  const [run, metrics] = await Promise.all([json(`/api/v1/runs/${encodeURIComponent(id)}`),
    json(`/api/v1/runs/${encodeURIComponent(id)}/metrics`)]);
  return { run: run.data, metrics: metrics.data };
}

function cellText(cell) {
  return Object.entries(cell).map(([k, v]) => `${k}=${show(v)}`).join(' ') || 'all';
}

function sweepTable(sweep) {
  const layers = [...new Set(sweep.groups.flatMap(g => Object.keys(g.effectiveRank || {})))];
  const fields = [...new Set(sweep.groups.flatMap(g => Object.keys(g.cell)))];
  const pm = (mean, std) => (mean == null ? '' : `${show(mean)} ± ${show(std)}`);
  table.hidden = false;
  table.replaceChildren(
    el('div', { class: 'title-row' }, el('h2', {}, `Sweep ${sweep.id}: ${sweep.state}`), el('span', { class: 'spacer' }),
      el('button', { onclick: () => download(`/api/v1/sweeps/${sweep.id}/table.csv`, `${sweep.id}.csv`) }, 'table.csv'),
      el('button', { onclick: () => download(`/api/v1/sweeps/${sweep.id}/table.json`, `${sweep.id}.json`) }, 'table.json')),
    el('table', { class: 'runs', id: 'groups' },
      el('thead', {}, el('tr', {}, fields.map(f => el('th', {}, f)), el('th', {}, 'runs'), el('th', {}, 'test accuracy'),
        layers.map(l => el('th', {}, `rank ${l}`)))),
      el('tbody', {}, sweep.groups.map(g => el('tr', {},
        fields.map(f => el('td', {}, show(g.cell[f]))),
        el('td', { class: 'num' }, `${g.finished}/${g.runs}`),
        el('td', { class: 'num' }, pm(g.testAccuracy?.mean, g.testAccuracy?.std)),
        layers.map(l => el('td', { class: 'num' }, pm(g.effectiveRank[l]?.mean, g.effectiveRank[l]?.std))))))));
}

async function compare() {
  const ids = (params.get('runs') || '').split(',').filter(Boolean);
  const sweepId = params.get('sweep');
  if (!ids.length && !sweepId) {
    status.textContent = 'Pick runs (ids from the runs table) or a sweep.';
    return;
  }
  status.textContent = 'loading…';
  const groupOf = new Map();
  if (sweepId) {
    const { data: sweep } = await json(`/api/v1/sweeps/${encodeURIComponent(sweepId)}`);
    sweepTable(sweep);
    for (const r of sweep.runs) {
      const { seed, ...rest } = r.cell || {};
      groupOf.set(r.id, cellText(rest));
      if (!ids.includes(r.id)) {
        ids.push(r.id);
      }
    }
  }
  const entries = await Promise.all(ids.map(loadRun));
  const t0 = performance.now();
  const drawn = drawComparison(curves, entries, sweepId ? id => groupOf.get(id) ?? id : null);
  const ms = performance.now() - t0;
  document.body.dataset.drawMs = ms.toFixed(1);
  status.textContent = `${entries.length} runs, ${drawn} charts` + (sweepId ? ', sweep cells as mean ± spread over seeds' : '');
}

await sweeps();
compare().catch(e => { status.textContent = e.message; status.className = 'error'; });
