/**
 * The bench's outputs: the console table (cli-table3), `bench/results.json`, and the chart
 * `bench/results.svg` (Apache ECharts, rendered to an SVG string on the server side).
 */
import Table from 'cli-table3';
import * as echarts from 'echarts';

/** How a figure's value is judged: `>=` (at least), `<=` (at most), `<` (under), `==` (exactly). */
export interface Target {
  op: '>=' | '<=' | '<' | '==';
  limit: number;
}

export interface Figure {
  id: string;
  /** What is measured. */
  figure: string;
  /** A short name for the chart. */
  short?: string | undefined;
  /** Figures shown in a table of their own (the link cases), not in the main one. */
  group?: 'links' | undefined;
  /** What it is divided by, measured in the same run; empty when it stands alone. */
  baseline: string;
  /** The figure's value: a ratio (×) or an absolute number in `unit`. */
  value: number;
  unit: string;
  /** Its target; none when the figure is for the record only. */
  target?: Target | undefined;
  /** Whether it meets the target; null when it has none (or could not be measured). */
  pass: boolean | null;
  /** How many rounds the value is the median (or maximum, see `detail`) of. */
  rounds: number;
  /** The numbers behind it, in words (throughputs, times). */
  detail: string;
  /** The raw per-round samples of `value`. */
  samples: number[];
  /** Shown instead of the formatted value (e.g. "none" for no long task). */
  display?: string | undefined;
}

export interface Throughput {
  label: string;
  /** MiB/s, median of rounds. */
  mibPerSecond: number;
}

export interface Results {
  date: string;
  machine: Record<string, string | number>;
  durationSeconds: number;
  figures: Figure[];
  throughput: Throughput[];
  notes: string[];
  /** The link cases: every row with its runs' timelines and requests (see bench/cases/links.ts). */
  links?: unknown[];
}

export function judge(value: number, target: Target | undefined): boolean | null {
  if (!target || !Number.isFinite(value)) return null;
  switch (target.op) {
    case '>=':
      return value >= target.limit;
    case '<=':
      return value <= target.limit;
    case '<':
      return value < target.limit;
    case '==':
      return value === target.limit;
  }
}

const OP: Record<Target['op'], string> = { '>=': '≥', '<=': '≤', '<': '<', '==': '=' };

export function formatValue(value: number, unit: string): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (unit === '×') return `${value.toFixed(2)}×`;
  if (unit === 'ms') return `${value < 10 ? value.toFixed(1) : value.toFixed(0)} ms`;
  if (unit === 'MiB') return `${value.toFixed(1)} MiB`;
  if (unit === 'KiB') return `${value.toFixed(1)} KiB`;
  return `${value} ${unit}`;
}

export function formatTarget(f: Pick<Figure, 'target' | 'unit'>): string {
  if (!f.target) return 'for the record';
  return `${OP[f.target.op]} ${formatValue(f.target.limit, f.unit)}`;
}

export const shown = (f: Figure): string => f.display ?? formatValue(f.value, f.unit);

export function verdict(f: Figure): string {
  return f.pass === null ? '—' : f.pass ? 'pass' : 'FAIL';
}

/** The console table. */
export function consoleTable(figures: Figure[]): string {
  const table = new Table({
    head: ['figure', 'measured', 'target', 'result', 'rounds', 'baseline (same run) and details'],
    colWidths: [34, 12, 15, 8, 8, 60],
    wordWrap: true,
    style: { head: ['cyan'] },
  });
  for (const f of figures.filter((g) => !g.group)) {
    table.push([f.figure, shown(f), formatTarget(f), verdict(f), String(f.rounds), [f.baseline, f.detail].filter(Boolean).join('; ')]);
  }
  return table.toString();
}

/** The same table in Markdown, for the README. */
export function markdownTable(figures: Figure[]): string {
  const rows = figures
    .filter((f) => !f.group)
    .map(
      (f) =>
        `| ${f.figure} | ${[f.baseline, f.detail].filter(Boolean).join('; ')} | **${shown(f)}** | ${formatTarget(f)} | ${verdict(f)} | ${f.rounds} |`,
    );
  return [
    '| figure | baseline in the same run; details | measured | target | result | rounds |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** The figures that have a target, in short cells (for docs/performance.md). */
export function shortMarkdownTable(figures: Figure[]): string {
  const rows = figures
    .filter((f) => !f.group && f.target)
    .map((f) => `| ${f.short ?? f.figure} | ${shown(f)} | ${formatTarget(f)} | ${f.pass ? 'pass' : '**fail**'} |`);
  return ['| figure | measured | target | result |', '|---|---|---|---|', ...rows].join('\n');
}

/**
 * How much of its budget a figure uses: measured ÷ limit for "at most" targets, limit ÷
 * measured for "at least" ones; 1 is the target, under 1 meets it.
 */
function budgetUsed(f: Figure): number | undefined {
  if (!f.target || f.target.op === '==' || !Number.isFinite(f.value)) return undefined;
  if (f.target.op === '>=') return f.value > 0 ? f.target.limit / f.value : Infinity;
  return f.value / f.target.limit;
}

/** The chart: each target figure against its budget, and MD5 throughputs. */
export function svgChart(results: Results): string {
  const judged = results.figures.filter((f) => budgetUsed(f) !== undefined).reverse();
  const width = 960;
  const top = 64 + judged.length * 34;
  const bottom = results.throughput.length * 30;
  const height = top + bottom + 130;
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  const green = '#2f9e44';
  const red = '#e03131';
  chart.setOption({
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: 'system-ui, sans-serif' },
    title: [
      {
        text: 'mixpeek-uploader bench: each figure against its target',
        subtext: `share of the budget used (measured ÷ limit, or limit ÷ measured for "at least" targets): under 1 meets it · ${results.date.slice(0, 10)} · ${results.machine.cpus} × ${results.machine.cpu}`,
        left: 10,
        top: 6,
        textStyle: { fontSize: 15 },
        subtextStyle: { fontSize: 11 },
      },
      { text: 'MD5 throughput, MiB/s (median of rounds)', left: 10, top: top + 40, textStyle: { fontSize: 14 } },
    ],
    grid: [
      { left: 270, right: 170, top: 64, height: top - 64 },
      { left: 270, right: 170, top: top + 74, height: bottom },
    ],
    xAxis: [
      {
        gridIndex: 0,
        type: 'value',
        min: 0,
        max: (v: { max: number }) => Math.max(1.5, Math.ceil(v.max * 2) / 2),
        splitLine: { lineStyle: { color: '#eee' } },
      },
      { gridIndex: 1, type: 'value', min: 0, splitLine: { lineStyle: { color: '#eee' } } },
    ],
    yAxis: [
      {
        gridIndex: 0,
        type: 'category',
        data: judged.map((f) => f.short ?? f.figure),
        axisLabel: { width: 250, overflow: 'truncate', fontSize: 11 },
      },
      {
        gridIndex: 1,
        type: 'category',
        data: results.throughput.map((t) => t.label).reverse(),
        axisLabel: { width: 250, overflow: 'truncate', fontSize: 11 },
      },
    ],
    series: [
      {
        type: 'bar',
        xAxisIndex: 0,
        yAxisIndex: 0,
        barWidth: 18,
        data: judged.map((f) => ({
          value: Math.max(Math.min(budgetUsed(f)!, 3), 0.01),
          itemStyle: { color: f.pass ? green : red },
          label: { show: true, position: 'right', fontSize: 11, formatter: `${shown(f)} (${formatTarget(f)})` },
        })),
        markLine: {
          symbol: 'none',
          silent: true,
          lineStyle: { color: '#555', type: 'dashed' },
          label: { formatter: 'target' },
          data: [{ xAxis: 1 }],
        },
      },
      {
        type: 'bar',
        xAxisIndex: 1,
        yAxisIndex: 1,
        barWidth: 16,
        itemStyle: { color: '#3b5bdb' },
        label: { show: true, position: 'right', fontSize: 11, formatter: (p: { value: number }) => `${p.value.toFixed(0)} MiB/s` },
        data: results.throughput.map((t) => Number(t.mibPerSecond.toFixed(1))).reverse(),
      },
    ],
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}
