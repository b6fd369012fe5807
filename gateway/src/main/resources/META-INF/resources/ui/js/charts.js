// Curves with uPlot (the npm package, served from the gateway's jar: no CDN). One chart per quantity; x is the
// training step. Series of different runs are joined on their steps (gaps spanned), so runs probed at different
// steps overlay. A band series pair (mean - spread, mean + spread) is filled between.
import uPlot from '/webjars/uplot/dist/uPlot.esm.js';

export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf',
  '#bcbd22', '#7f7f7f'];

export function color(i) {
  return PALETTE[i % PALETTE.length];
}

/**
 * A chart in `parent`: {title, yLabel, width, height}. Returns {set(lines, marks)} where lines is
 * [{label, color, points: [[step, value], ...], band: [[step, lo, hi], ...] (optional), dash}] and marks the steps
 * to draw as warning lines.
 */
export function chart(parent, { title, yLabel = '', width = 420, height = 220, legend = true }) {
  const box = document.createElement('div');
  box.className = 'chart';
  box.dataset.title = title;
  box.dataset.points = '0';
  parent.append(box);
  let plot = null;
  let shape = '';
  let marks = [];

  const warningLines = {
    hooks: {
      draw: [u => {
        if (!marks.length) {
          return;
        }
        const { ctx, bbox } = u;
        ctx.save();
        ctx.strokeStyle = '#e8590c';
        ctx.setLineDash([4, 3]);
        ctx.lineWidth = 1.5 * devicePixelRatio;
        for (const step of marks) {
          const x = u.valToPos(step, 'x', true);
          if (x >= bbox.left && x <= bbox.left + bbox.width) {
            ctx.beginPath();
            ctx.moveTo(x, bbox.top);
            ctx.lineTo(x, bbox.top + bbox.height);
            ctx.stroke();
          }
        }
        ctx.restore();
      }],
    },
  };

  function set(lines, warningSteps = []) {
    marks = warningSteps;
    const tables = [];
    const series = [{ label: 'step' }];
    const bands = [];
    for (const line of lines) {
      tables.push(columns(line.points));
      series.push({ label: line.label, stroke: line.color, width: 1.5, spanGaps: true, dash: line.dash,
        points: { show: line.points.length < 40, size: 4 } });
      if (line.band) {
        const lo = series.length;
        tables.push(columns(line.band.map(([x, l]) => [x, l])));
        tables.push(columns(line.band.map(([x, , h]) => [x, h])));
        series.push({ label: line.label + ' -', stroke: 'transparent', spanGaps: true, points: { show: false } });
        series.push({ label: line.label + ' +', stroke: 'transparent', spanGaps: true, points: { show: false } });
        bands.push({ series: [lo + 1, lo], fill: line.color + '33' });
      }
    }
    const count = lines.reduce((n, l) => n + l.points.length, 0);
    box.dataset.points = String(count);
    if (count === 0) {
      // uPlot keeps the scales of a chart made without data: make it when the first point comes
      plot?.destroy();
      plot = null;
      box.classList.add('empty');
      box.replaceChildren(Object.assign(document.createElement('div'), { className: 'u-title', textContent: title }),
        Object.assign(document.createElement('p'), { className: 'muted small', textContent: 'no points yet' }));
      return;
    }
    if (box.classList.contains('empty')) {
      box.classList.remove('empty');
      box.replaceChildren();
    }
    const data = uPlot.join(tables);
    const nextShape = series.map(s => s.label).join('\u0000') + '|' + bands.length;
    if (plot && nextShape === shape) {
      plot.setData(data);  // rescales and redraws (a redraw() on top of it would draw the old scales)
      return;
    }
    shape = nextShape;
    plot?.destroy();
    plot = new uPlot({
      title, width, height, series, bands, plugins: [warningLines],
      legend: { show: legend, live: false },
      cursor: { drag: { x: true, y: false } },
      scales: { x: { time: false } },
      axes: [{ label: 'step', size: 36 }, { label: yLabel, size: 52 }],
    }, data, box);
    // a band's two edges are drawn as its fill only: not in the legend
    const rows = box.querySelectorAll('.u-legend .u-series');
    series.forEach((s, i) => {
      if (s.stroke === 'transparent' && rows[i - 1]) {
        rows[i - 1].style.display = 'none';
      }
    });
  }

  return { set, element: box };
}

function columns(points) {
  return [points.map(p => p[0]), points.map(p => p[1])];
}

/** Mean and sample standard deviation (0 for one value) of the numbers given. */
export function meanStd(values) {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
  return [mean, Math.sqrt(variance)];
}
