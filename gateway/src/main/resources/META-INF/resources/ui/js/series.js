// A run's answer (GET /api/v1/runs/{id}) and metric history as the curves the pages draw, keyed by what a chart
// shows: 'loss', 'accuracy', and per layer 'rank:<quantity>' and the two angles.

/** The quantities whose effective rank the analysis service measures, in the order the charts show them. */
export const RANKED = ['error-signal', 'bp-error-signal', 'activity', 'update'];
export const ANGLES = [
  { key: 'errorSignalAngleToBp', label: 'error signal vs BP (deg)' },
  { key: 'weightFeedbackAngle', label: 'W vs B (deg)' },
];

/** {layers: [name...] by layer index, curves: Map key -> [[step, value]...]} of one run. */
export function curvesOf(run, metrics) {
  const curves = new Map();
  const add = (key, step, value) => {
    if (value === null || value === undefined || Number.isNaN(value)) {
      return;
    }
    if (!curves.has(key)) {
      curves.set(key, []);
    }
    curves.get(key).push([step, value]);
  };
  for (const m of metrics || []) {
    add('loss', m.step, m.trainLoss);
    add('accuracy', m.step, m.testAccuracy);
  }
  const layerIndex = new Map();
  for (const a of run.analysis || []) {
    layerIndex.set(a.layer, a.layerIndex);
    add(`${a.layer}|rank:${a.quantity}`, a.step, a.effectiveRank);
  }
  for (const a of run.alignment || []) {
    layerIndex.set(a.layer, a.layerIndex);
    for (const angle of ANGLES) {
      add(`${a.layer}|${angle.key}`, a.step, a[angle.key]);
    }
  }
  for (const points of curves.values()) {
    points.sort((p, q) => p[0] - q[0]);
  }
  const layers = [...layerIndex.entries()].sort((a, b) => a[1] - b[1]).map(e => e[0]);
  return { layers, curves };
}

/** The charts a set of runs needs: loss, accuracy, then per layer each ranked quantity and each angle. */
export function chartKeys(layers) {
  const keys = [{ key: 'loss', title: 'train loss', y: 'loss' }, { key: 'accuracy', title: 'test accuracy', y: 'accuracy' }];
  for (const layer of layers) {
    for (const q of RANKED) {
      keys.push({ key: `${layer}|rank:${q}`, title: `${layer}: effective rank of ${q}`, y: 'rank', layer });
    }
    for (const angle of ANGLES) {
      keys.push({ key: `${layer}|${angle.key}`, title: `${layer}: ${angle.label}`, y: 'degrees', layer });
    }
  }
  return keys;
}

/** A short label of a run: method, optimizer, norm, seed. */
export function label(run) {
  const s = run.spec || {};
  return [s.method, s.optimizer, s.norm && s.norm !== 'none' ? s.norm : null, s.seed != null ? 'seed ' + s.seed : null]
    .filter(Boolean).join(' ') || run.id;
}
