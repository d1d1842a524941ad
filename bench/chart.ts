/**
 * A dependency-free SVG line chart: time against fleet size, one panel per operation, both axes on
 * a log scale so that growth reads as slope (a line twice as steep grows with the square of the fleet).
 */
export interface Series {
  name: string;
  color: string;
  dashed?: boolean;
  points: Array<[number, number]>;
}

export interface Panel {
  title: string;
  series: Series[];
}

const W = 270;
const H = 220;
const PAD = { left: 46, right: 12, top: 26, bottom: 34 };

const decades = (lo: number, hi: number) => {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) for (const m of [1, 2, 5]) ticks.push(m * 10 ** e);
  return ticks.filter((t) => t >= lo && t <= hi);
};

const label = (v: number) => (v >= 1000 ? `${v / 1000}k` : v < 1 ? v.toFixed(1) : String(v));

function panelSvg(panel: Panel, x0: number): string {
  const points = panel.series.flatMap((s) => s.points).filter(([x, y]) => x > 0 && y > 0);
  if (points.length === 0) return `<text x="${x0 + W / 2}" y="16" text-anchor="middle" font-size="13">${panel.title}: nothing measured</text>`;
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const [xLo, xHi] = [Math.min(...xs) / 1.3, Math.max(...xs) * 1.3];
  const [yLo, yHi] = [Math.max(0.05, Math.min(...ys) / 1.5), Math.max(...ys) * 1.5];
  const sx = (x: number) => x0 + PAD.left + ((Math.log(x) - Math.log(xLo)) / (Math.log(xHi) - Math.log(xLo))) * (W - PAD.left - PAD.right);
  const sy = (y: number) => PAD.top + (1 - (Math.log(y) - Math.log(yLo)) / (Math.log(yHi) - Math.log(yLo))) * (H - PAD.top - PAD.bottom);
  const parts: string[] = [];
  parts.push(`<text x="${x0 + W / 2}" y="16" text-anchor="middle" font-size="13" font-weight="bold">${panel.title}</text>`);
  parts.push(`<line x1="${sx(xLo)}" y1="${sy(yLo)}" x2="${sx(xHi)}" y2="${sy(yLo)}" stroke="#888"/>`);
  parts.push(`<line x1="${sx(xLo)}" y1="${sy(yLo)}" x2="${sx(xLo)}" y2="${sy(yHi)}" stroke="#888"/>`);
  for (const y of decades(yLo, yHi)) {
    parts.push(`<text x="${sx(xLo) - 4}" y="${sy(y) + 4}" text-anchor="end" font-size="10">${label(y)}</text>`);
    parts.push(`<line x1="${sx(xLo)}" y1="${sy(y)}" x2="${sx(xHi)}" y2="${sy(y)}" stroke="#eee"/>`);
  }
  for (const x of [...new Set(xs)].sort((a, b) => a - b)) {
    parts.push(`<text x="${sx(x)}" y="${H - PAD.bottom + 14}" text-anchor="middle" font-size="10">${label(x)}</text>`);
  }
  parts.push(`<text x="${x0 + W / 2}" y="${H - 4}" text-anchor="middle" font-size="10">orgs (log)</text>`);
  for (const s of panel.series) {
    const own = s.points.filter(([x, y]) => x > 0 && y > 0).sort((a, b) => a[0] - b[0]);
    if (own.length === 0) continue;
    const d = own.map((p, i) => `${i === 0 ? "M" : "L"}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join(" ");
    parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5,3"' : ""}/>`);
    for (const p of own) parts.push(`<circle cx="${sx(p[0]).toFixed(1)}" cy="${sy(p[1]).toFixed(1)}" r="2.5" fill="${s.color}"/>`);
  }
  return parts.join("\n");
}

export function renderChart(panels: Panel[], subtitle: string): string {
  const width = Math.max(W * panels.length, 800);
  const names = [...new Map(panels.flatMap((p) => p.series).map((s) => [s.name, s])).values()];
  const legend = names
    .map((s, i) => {
      const x = 10 + (i % 4) * 260;
      const y = H + 8 + Math.floor(i / 4) * 18;
      return `<line x1="${x}" y1="${y + 6}" x2="${x + 22}" y2="${y + 6}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5,3"' : ""}/><text x="${x + 28}" y="${y + 10}" font-size="12">${s.name}</text>`;
    })
    .join("\n");
  const legendRows = Math.ceil(names.length / 4);
  const height = H + 18 + legendRows * 18 + 16;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...panels.map((p, i) => panelSvg(p, i * W)),
    legend,
    `<text x="10" y="${height - 6}" font-size="11" fill="#555">seconds of wall time (log scale); ${subtitle}</text>`,
    `</svg>`,
  ].join("\n");
}
