/** A dependency-free SVG line chart: time against fleet size, one panel per operation. */
export interface Series {
  name: string;
  color: string;
  points: Array<[number, number]>;
}

export interface Panel {
  title: string;
  series: Series[];
}

const W = 260;
const H = 200;
const PAD = { left: 44, right: 10, top: 26, bottom: 34 };

function panelSvg(panel: Panel, x0: number): string {
  const xs = panel.series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = panel.series.flatMap((s) => s.points.map((p) => p[1]));
  const xMax = Math.max(...xs);
  const yMax = Math.max(1, ...ys) * 1.1;
  const sx = (x: number) => x0 + PAD.left + (x / xMax) * (W - PAD.left - PAD.right);
  const sy = (y: number) => PAD.top + (1 - y / yMax) * (H - PAD.top - PAD.bottom);
  const parts: string[] = [];
  parts.push(`<text x="${x0 + W / 2}" y="16" text-anchor="middle" font-size="13" font-weight="bold">${panel.title}</text>`);
  parts.push(`<line x1="${sx(0)}" y1="${sy(0)}" x2="${sx(xMax)}" y2="${sy(0)}" stroke="#888"/>`);
  parts.push(`<line x1="${sx(0)}" y1="${sy(0)}" x2="${sx(0)}" y2="${sy(yMax)}" stroke="#888"/>`);
  for (let i = 0; i <= 4; i++) {
    const y = (yMax / 4) * i;
    parts.push(`<text x="${sx(0) - 4}" y="${sy(y) + 4}" text-anchor="end" font-size="10">${y.toFixed(y < 10 ? 1 : 0)}</text>`);
    parts.push(`<line x1="${sx(0)}" y1="${sy(y)}" x2="${sx(xMax)}" y2="${sy(y)}" stroke="#eee"/>`);
  }
  for (const x of [...new Set(xs)].sort((a, b) => a - b)) {
    parts.push(`<text x="${sx(x)}" y="${H - PAD.bottom + 14}" text-anchor="middle" font-size="10">${x}</text>`);
  }
  parts.push(`<text x="${x0 + W / 2}" y="${H - 4}" text-anchor="middle" font-size="10">orgs</text>`);
  for (const s of panel.series) {
    const d = s.points.map((p, i) => `${i === 0 ? "M" : "L"}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join(" ");
    parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"/>`);
    for (const p of s.points) parts.push(`<circle cx="${sx(p[0]).toFixed(1)}" cy="${sy(p[1]).toFixed(1)}" r="2.5" fill="${s.color}"/>`);
  }
  return parts.join("\n");
}

export function renderChart(panels: Panel[], subtitle: string): string {
  const width = W * panels.length;
  const legend = panels[0].series
    .map((s, i) => `<rect x="${10 + i * 190}" y="${H + 8}" width="12" height="12" fill="${s.color}"/><text x="${26 + i * 190}" y="${H + 18}" font-size="12">${s.name}</text>`)
    .join("\n");
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${H + 50}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...panels.map((p, i) => panelSvg(p, i * W)),
    legend,
    `<text x="10" y="${H + 42}" font-size="11" fill="#555">seconds of wall time; ${subtitle}</text>`,
    `</svg>`,
  ].join("\n");
}
