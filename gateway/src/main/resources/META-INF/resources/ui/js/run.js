// The run page: its spec, live curves (server-sent events from the gateway's view), warnings on the curves,
// checkpoints and snapshots, attempts, a cancel button.
import { call, claims, download, downloadObject, json, stream } from './api.js';
import { chart, color } from './charts.js';
import { el, header, progressBar, show, stateBadge } from './layout.js';
import { ANGLES, RANKED, curvesOf } from './series.js';

header('runs');
const id = new URLSearchParams(location.search).get('id');
const main = document.querySelector('main');
const charts = new Map();
let shownLayers = '';
let updates = 0;

if (!id) {
  main.append(el('p', { class: 'error' }, 'No run id: open a run from the table.'));
} else {
  document.title = 'falab: ' + id;
  const aborter = new AbortController();
  stream(`/api/v1/runs/${encodeURIComponent(id)}/events`, live => render(live.run, live.metrics), aborter.signal,
    (state, e) => {
      const badge = document.getElementById('live');
      if (badge) {
        badge.textContent = state === 'live' ? '● live' : state === 'error' ? e.message : '○ reconnecting';
        badge.className = 'live live-' + state;
      }
    });
}

function render(run, metrics) {
  updates++;
  document.body.dataset.updates = String(updates);
  if (!document.getElementById('summary')) {
    main.append(
      el('section', { id: 'summary', class: 'card' }),
      el('section', { id: 'curves' }, el('div', { id: 'top-charts', class: 'grid' }), el('div', { id: 'layers' })),
      el('div', { class: 'columns' },
        el('section', { id: 'spec', class: 'card' }),
        el('section', { id: 'files', class: 'card' })));
  }
  summary(run);
  spec(run);
  files(run);
  curves(run, metrics);
}

function summary(run) {
  const box = document.getElementById('summary');
  const m = run.metrics || {};
  const p = run.progress || {};
  const open = !['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(run.state);
  // replaceChildren would show a null as the text "null"
  box.replaceChildren(...[
    el('div', { class: 'title-row' },
      el('h1', {}, run.id), stateBadge(run.state), el('span', { id: 'live', class: 'live' }, '● live'),
      el('span', { class: 'spacer' }),
      el('button', { onclick: () => download(`/api/v1/runs/${run.id}/metrics.csv`, `${run.id}-metrics.csv`) }, 'metrics.csv'),
      el('button', { onclick: () => download(`/api/v1/runs/${run.id}/analysis.csv`, `${run.id}-analysis.csv`) }, 'analysis.csv'),
      el('a', { class: 'button', href: `/ui/compare.html?runs=${run.id}` }, 'compare'),
      open && mayCancel(run) ? el('button', { id: 'cancel', class: 'danger', onclick: () => cancel(run.id) }, 'Cancel run') : null),
    el('div', { class: 'facts' },
      fact('progress', progressBar(p)),
      fact('epoch / step', `${show(p.epoch)} / ${show(p.step)} of ${show(p.totalSteps)}`),
      fact('train loss', show(m.trainLoss)),
      fact('test accuracy', show(m.testAccuracy)),
      fact('attempt', run.attempt == null ? '' : `${run.attempt}${run.resumedFromStep ? `, resumed from step ${run.resumedFromStep}` : ''}`),
      fact('device', [m.device, m.engine].filter(Boolean).join(', ')),
      fact('owner', run.owner),
      fact('sweep', run.sweepId ? el('a', { href: `/ui/compare.html?sweep=${run.sweepId}` }, run.sweepId) : ''),
      fact('submitted', time(run.submittedAt)), fact('started', time(run.startedAt)), fact('finished', time(run.finishedAt)),
      run.stalledSince ? fact('stalled since', run.stalledSince) : null,
      run.reason ? fact('reason', run.reason) : null),
    run.warnings?.length ? el('ul', { class: 'warnings' },
      run.warnings.map(w => el('li', {}, `step ${show(w.step)}: ${w.reason}`))) : null,
    attempts(run)].filter(Boolean));
}

/** Whether to show Cancel: the token's subject owns the run or is an admin (display only: the gateway decides). */
function mayCancel(run) {
  const c = claims();
  return (c.groups || []).includes('admin') || (c.sub !== undefined && c.sub === run.owner);
}

function attempts(run) {
  const rows = (run.attempts || []).slice().reverse().map(a => el('tr', {},
    el('td', {}, String(a.number)), el('td', {}, time(a.startedAt) || ''),
    el('td', {}, show(a.resumedFromStep)), el('td', {}, a.device || ''),
    el('td', {}, a.ended === 'REPLACED' ? 'replaced (given back or lost)' : (a.ended || 'current')),
    el('td', {}, time(a.endedAt) || '')));
  return el('section', { id: 'attempts' }, el('h2', {}, `Attempts (${rows.length})`),
    rows.length ? el('table', { class: 'attempts' },
      el('thead', {}, el('tr', {}, ['#', 'started', 'resumed from step', 'device', 'ended', 'ended at'].map(h => el('th', {}, h)))),
      el('tbody', {}, rows))
      : el('p', { class: 'muted' }, 'no trainer has taken the run yet'));
}

function time(iso) {
  return iso ? iso.replace('T', ' ').slice(0, 19) + ' UTC' : null;
}

function fact(name, value) {
  if (value === null || value === undefined || value === '') {
    return null;
  }
  return el('div', { class: 'fact' }, el('span', { class: 'name' }, name), el('span', { class: 'value' }, value));
}

async function cancel(runId) {
  if (!confirm(`Cancel ${runId}?`)) {
    return;
  }
  const res = await call(`/api/v1/runs/${runId}/cancel`, { method: 'POST' });
  if (!res.ok) {
    const p = await res.json().catch(() => ({}));
    alert(p.title || p.detail || res.status);
  }
}

function spec(run) {
  const rows = Object.entries(run.spec || {}).map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', {}, show(v))));
  document.getElementById('spec').replaceChildren(el('h2', {}, 'Spec'),
    rows.length ? el('table', { class: 'kv' }, rows) : el('p', { class: 'muted' }, 'not seen yet'));
}

function files(run) {
  const box = document.getElementById('files');
  box.replaceChildren(el('h2', {}, 'Checkpoints'),
    run.checkpoints?.length ? el('ul', { class: 'keys' }, run.checkpoints.map(k => el('li', {}, objectLink(run.id, k))))
      : el('p', { class: 'muted' }, 'none yet'),
    el('h2', {}, `Snapshots (${run.snapshots?.length || 0} probe steps)`),
    run.snapshots?.length ? el('details', {}, el('summary', {}, 'matrices (.npy)'),
      el('ul', { class: 'keys' }, run.snapshots.map(s => el('li', {}, `step ${s.step}: ${s.keys.length} matrices`,
        el('ul', {}, s.keys.map(k => el('li', {}, objectLink(run.id, k))))))))
      : el('p', { class: 'muted' }, 'none yet'),
    el('p', { class: 'muted small' }, 'Links are presigned URLs of the object store, valid for a few minutes.'));
}

/** A link that fetches a presigned URL for the key when clicked (a plain href could not carry the token). */
function objectLink(runId, key) {
  return el('a', { href: '#', class: 'download', 'data-key': key, onclick: e => {
    e.preventDefault();
    downloadObject(runId, key).catch(err => alert(err.message));
  } }, key);
}

function curves(run, metrics) {
  const { layers, curves: c } = curvesOf(run, metrics);
  const marks = (run.warnings || []).map(w => w.step).filter(s => s !== null && s !== undefined);
  const top = document.getElementById('top-charts');
  const put = (key, parent, options, lines) => {
    if (!charts.has(key)) {
      charts.set(key, chart(parent, options));
    }
    charts.get(key).set(lines, marks);
  };
  put('loss', top, { title: 'train loss', yLabel: 'loss', width: 520 }, [{ label: 'train loss', color: color(0), points: c.get('loss') || [] }]);
  put('accuracy', top, { title: 'test accuracy', yLabel: 'accuracy', width: 520 }, [{ label: 'test accuracy', color: color(2), points: c.get('accuracy') || [] }]);

  const layerBox = document.getElementById('layers');
  if (layers.join('|') !== shownLayers) {
    shownLayers = layers.join('|');
    for (const key of [...charts.keys()].filter(k => k.includes('|'))) {
      charts.delete(key);
    }
    layerBox.replaceChildren(...layers.map(layer => el('div', { class: 'layer card', 'data-layer': layer },
      el('h3', {}, layer), el('div', { class: 'grid', id: 'layer-' + layer }))));
  }
  for (const layer of layers) {
    const box = document.getElementById('layer-' + layer);
    put(`${layer}|rank`, box, { title: 'effective rank', yLabel: 'rank', width: 460 },
      RANKED.map((q, i) => ({ label: q, color: color(i), points: c.get(`${layer}|rank:${q}`) || [] })));
    put(`${layer}|angles`, box, { title: 'alignment', yLabel: 'degrees', width: 460 },
      ANGLES.map((a, i) => ({ label: a.label, color: color(i + 4), points: c.get(`${layer}|${a.key}`) || [] })));
  }
}
