// The table of runs: filtered, sorted and paged by the gateway (GET /api/v1/runs?...), so it stays fast with
// thousands of runs; refreshed every few seconds while the page is visible.
import { enumValues, json } from './api.js';
import { el, header, progressBar, show, stateBadge } from './layout.js';

header('runs');
const PAGE = 50;
const FILTERS = [['state', 'RunState', null], ['method', 'RunSpec', 'method'], ['optimizer', 'RunSpec', 'optimizer'],
  ['norm', 'RunSpec', 'norm'], ['model', 'RunSpec', 'model'], ['dataset', 'RunSpec', 'dataset']];
const COLUMNS = [['', null], ['run', null], ['state', 'state'], ['method', 'method'], ['optimizer', 'optimizer'],
  ['norm', 'norm'], ['model', 'model'], ['dataset', 'dataset'], ['owner', null], ['progress', 'progress'],
  ['test accuracy', 'accuracy'], ['submitted', 'submitted']];

const params = new URLSearchParams(location.search);
const view = { sort: params.get('sort') || '', offset: Number(params.get('offset') || 0), selected: new Set() };
const main = document.querySelector('main');
const form = el('form', { class: 'filters card', id: 'filters' });
const table = el('table', { class: 'runs', id: 'runs' });
const pager = el('div', { class: 'pager' });
const compare = el('button', { id: 'compare-selected', disabled: true, onclick: () => {
  location.href = '/ui/compare.html?runs=' + [...view.selected].join(',');
} }, 'Compare selected');
main.append(form, el('section', { class: 'card' }, el('div', { class: 'title-row' }, el('h1', {}, 'Runs'),
  el('span', { class: 'spacer' }), compare), table, pager));

async function buildFilters() {
  for (const [name, schema, property] of FILTERS) {
    const values = await enumValues(schema, property);
    const input = values.length
      ? el('select', { name }, el('option', { value: '' }, 'any'), values.map(v => el('option', { value: v }, v)))
      : el('input', { name, size: 10 });
    input.value = params.get(name) || '';
    form.append(el('label', {}, name, input));
  }
  const q = el('input', { name: 'q', size: 16, placeholder: 'run or sweep id' });
  q.value = params.get('q') || '';
  form.append(el('label', {}, 'id', q));
  form.addEventListener('change', () => { view.offset = 0; load(); });
  form.addEventListener('submit', e => { e.preventDefault(); view.offset = 0; load(); });
}

function query() {
  const q = new URLSearchParams();
  for (const [name, value] of new FormData(form)) {
    if (value) {
      q.set(name, value);
    }
  }
  if (view.sort) {
    q.set('sort', view.sort);
  }
  q.set('offset', view.offset);
  q.set('limit', PAGE);
  return q;
}

async function load() {
  const q = query();
  history.replaceState(null, '', '?' + q.toString());
  let answer;
  try {
    answer = await json('/api/v1/runs?' + q.toString());
  } catch (e) {
    table.replaceChildren(el('caption', { class: 'error' }, e.message));
    return;
  }
  const runs = answer.data;
  const total = Number(answer.res.headers.get('X-Total-Count') || runs.length);
  table.replaceChildren(head(), el('tbody', {}, runs.map(row)));
  table.dataset.total = String(total);
  const last = Math.min(view.offset + runs.length, total);
  pager.replaceChildren(
    el('button', { disabled: view.offset === 0, onclick: () => { view.offset = Math.max(0, view.offset - PAGE); load(); } }, '‹ newer'),
    el('span', { id: 'page-info' }, total ? `${view.offset + 1}–${last} of ${total}` : 'no runs'),
    el('button', { disabled: last >= total, onclick: () => { view.offset += PAGE; load(); } }, 'older ›'));
}

function head() {
  const [field, direction] = view.sort.split(',');
  return el('thead', {}, el('tr', {}, COLUMNS.map(([title, sort]) => {
    if (!sort) {
      return el('th', {}, title);
    }
    const arrow = field === sort ? (direction === 'desc' ? ' ▼' : ' ▲') : '';
    return el('th', { class: 'sortable', 'data-sort': sort, onclick: () => {
      view.sort = field === sort && direction !== 'desc' ? `${sort},desc` : field === sort ? '' : sort;
      view.offset = 0;
      load();
    } }, title + arrow);
  })));
}

function row(run) {
  const box = el('input', { type: 'checkbox', checked: view.selected.has(run.id), onchange: e => {
    e.target.checked ? view.selected.add(run.id) : view.selected.delete(run.id);
    compare.disabled = view.selected.size === 0;
    compare.textContent = `Compare selected (${view.selected.size})`;
  } });
  return el('tr', { 'data-run': run.id },
    el('td', {}, box),
    el('td', {}, el('a', { href: `/ui/run.html?id=${encodeURIComponent(run.id)}` }, run.id),
      run.sweepId ? el('a', { class: 'tag', href: `/ui/compare.html?sweep=${run.sweepId}` }, 'sweep') : null),
    el('td', {}, stateBadge(run.state)),
    el('td', {}, show(run.method)), el('td', {}, show(run.optimizer)), el('td', {}, show(run.norm)),
    el('td', {}, show(run.model)), el('td', {}, show(run.dataset)), el('td', {}, show(run.owner)),
    el('td', {}, ['RUNNING', 'CANCELLING', 'STALLED'].includes(run.state) ? progressBar(run.progress) : ''),
    el('td', { class: 'num' }, run.testAccuracy == null ? '' : (100 * run.testAccuracy).toFixed(2) + '%'),
    el('td', { class: 'muted' }, run.submittedAt ? run.submittedAt.replace('T', ' ').slice(0, 19) : ''));
}

await buildFilters();
await load();
setInterval(() => { if (!document.hidden) { load(); } }, 5000);
