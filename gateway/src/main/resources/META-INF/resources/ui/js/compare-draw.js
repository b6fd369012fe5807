// Overlaid curves of many runs, one chart per quantity and layer; runs grouped (a sweep's cells equal but for seed)
// are drawn as their mean over seeds with a band of +/- one standard deviation. No network: the compare page and
// the browser test's timing both call drawComparison with runs already loaded.
import { chart, color, meanStd } from './charts.js';
import { el } from './layout.js';
import { chartKeys, curvesOf, label } from './series.js';

/**
 * Draws into `container` (emptied first). `entries`: [{run, metrics}] (run as GET /api/v1/runs/{id} answers);
 * `groupOf`: run id -> group label, or null to draw each run on its own. Returns the number of charts drawn.
 */
export function drawComparison(container, entries, groupOf = null) {
  const parsed = entries.map(e => ({ run: e.run, ...curvesOf(e.run, e.metrics) }));
  const layers = [];
  for (const p of parsed) {
    for (const layer of p.layers) {
      if (!layers.includes(layer)) {
        layers.push(layer);
      }
    }
  }
  const lines = groupOf ? grouped(parsed, groupOf) : parsed.map((p, i) => ({
    label: label(p.run) + (parsed.filter(q => label(q.run) === label(p.run)).length > 1 ? ' ' + p.run.id : ''),
    color: color(i), curve: key => ({ points: p.curves.get(key) || [] }),
  }));
  container.replaceChildren();
  const legend = lines.length <= 12;
  let section = null;
  let sectionLayer;
  let drawn = 0;
  for (const k of chartKeys(layers)) {
    if (!section || k.layer !== sectionLayer) {
      sectionLayer = k.layer;
      section = el('div', { class: 'grid' });
      container.append(el('div', { class: 'layer card', 'data-layer': k.layer || 'run' },
        el('h3', {}, k.layer ? 'layer ' + k.layer : 'training'), section));
    }
    const curves = lines.map(line => ({ label: line.label, color: line.color, ...line.curve(k.key) }));
    if (!curves.some(c => c.points.length)) {
      continue;  // a quantity none of the runs has (angles of BP runs, accuracy before the first epoch)
    }
    chart(section, { title: k.title, yLabel: k.y, width: 380, height: 200, legend }).set(curves);
    drawn++;
  }
  return drawn;
}

/** One line per group: at each step, mean and spread over the group's runs that have the step. */
function grouped(parsed, groupOf) {
  const groups = new Map();
  for (const p of parsed) {
    const name = groupOf(p.run.id) ?? p.run.id;
    if (!groups.has(name)) {
      groups.set(name, []);
    }
    groups.get(name).push(p);
  }
  return [...groups.entries()].map(([name, members], i) => ({
    label: `${name} (${members.length})`, color: color(i),
    curve: key => {
      const byStep = new Map();
      for (const m of members) {
        for (const [step, value] of m.curves.get(key) || []) {
          if (!byStep.has(step)) {
            byStep.set(step, []);
          }
          byStep.get(step).push(value);
        }
      }
      const steps = [...byStep.keys()].sort((a, b) => a - b);
      const stats = steps.map(s => [s, ...meanStd(byStep.get(s))]);
      const points = stats.map(([s, mean]) => [s, mean]);
      return members.length > 1
        ? { points, band: stats.map(([s, mean, sd]) => [s, mean - sd, mean + sd]) }
        : { points };
    },
  }));
}
