// Small live line charts on a canvas: the last POINTS samples of one or more series.
import { h } from './dom.js';

const POINTS = 60;
export const COLORS = ['#2f6fde', '#d9483b', '#1e9e6a', '#b8860b'];

export class LineChart {
  constructor(id, title, series, format) {
    this.series = series;
    this.format = format;
    this.data = series.map(() => []);
    this.canvas = h('canvas', { 'aria-hidden': 'true' });
    this.legend = h('div.legend');
    this.element = h('figure.chart', { id }, h('figcaption', title), this.canvas, this.legend);
    this.drawLegend();
  }

  push(values) {
    values.forEach((v, i) => {
      this.data[i].push(v);
      if (this.data[i].length > POINTS) this.data[i].shift();
    });
    this.draw();
  }

  drawLegend() {
    this.legend.replaceChildren(...this.series.map((s, i) => {
      const last = this.data[i][this.data[i].length - 1];
      const swatch = h('span.swatch');
      swatch.style.background = COLORS[i % COLORS.length];
      return h('span.item', swatch, `${s} `, h('strong', { class: 'value' }, last == null ? '—' : this.format(last)));
    }));
  }

  draw() {
    this.drawLegend();
    const ratio = window.devicePixelRatio || 1;
    const width = this.canvas.clientWidth || 300;
    const height = this.canvas.clientHeight || 140;
    this.canvas.width = Math.round(width * ratio);
    this.canvas.height = Math.round(height * ratio);
    const g = this.canvas.getContext('2d');
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    let max = 0;
    for (const d of this.data) for (const v of d) if (v != null && v > max) max = v;
    max = max > 0 ? max * 1.15 : 1;
    const left = 4;
    const top = 14;
    const bottom = height - 4;
    g.strokeStyle = '#e3e6ea';
    g.fillStyle = '#6b7280';
    g.font = '11px system-ui, sans-serif';
    g.lineWidth = 1;
    for (const f of [0, 0.5, 1]) {
      const y = bottom - (bottom - top) * f;
      g.beginPath();
      g.moveTo(left, y);
      g.lineTo(width, y);
      g.stroke();
      if (f > 0) g.fillText(this.format(max * f), left + 2, y - 2);
    }
    const step = (width - left) / (POINTS - 1);
    this.data.forEach((d, i) => {
      g.strokeStyle = COLORS[i % COLORS.length];
      g.lineWidth = 2;
      g.beginPath();
      let pen = false;
      d.forEach((v, k) => {
        const x = left + (POINTS - d.length + k) * step;
        if (v == null) {
          pen = false;
          return;
        }
        const y = bottom - ((bottom - top) * v) / max;
        if (pen) g.lineTo(x, y); else g.moveTo(x, y);
        pen = true;
      });
      g.stroke();
    });
  }
}
