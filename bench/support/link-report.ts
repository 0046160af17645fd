/**
 * The link cases' tables: the issue's targets with pass or fail, each contender's median time,
 * and the element's timeline and requests (from its median run).
 */
import Table from 'cli-table3';
import { CONTENDER_NAMES, type Contender, type LinkRow, type LinkRun, median } from '../cases/links.ts';
import { formatTarget, judge, type Target } from './report.ts';

const ratio = (xs: number[]) => (Number.isFinite(median(xs)) ? `${median(xs).toFixed(2)}×` : 'n/a');
const secs = (ms: number | undefined) => (ms === undefined || !Number.isFinite(ms) ? '–' : (ms / 1000).toFixed(2));
const targetText = (target: Target | undefined) => formatTarget({ target, unit: '×' });
const verdict = (xs: number[], t: Target | undefined) => {
  const pass = judge(median(xs), t);
  return pass === null ? '—' : pass ? 'pass' : 'FAIL';
};

/** The run of `contender` whose time is the median (or the nearest to it). */
export function medianRun(row: LinkRow, contender: Contender): LinkRun | undefined {
  const runs = row.runs.filter((r) => r.contender === contender);
  const m = median(runs.map((r) => r.ms));
  return runs.sort((a, b) => Math.abs(a.ms - m) - Math.abs(b.ms - m))[0];
}

/** `first create 0.03 · first PUT 0.05 · last PUT 3.40 · last MD5 3.41 · last confirm 3.52 · end 4.60 s`. */
export function timelineText(run: LinkRun | undefined): string {
  if (!run) return '–';
  const t = run.timeline;
  const parts = [`first PUT ${secs(t.firstPut)}`, `last PUT ${secs(t.lastPut)}`];
  if (t.firstCreate !== undefined) parts.unshift(`first create ${secs(t.firstCreate)}`);
  if (t.lastMd5 !== undefined) parts.push(`last MD5 ${secs(t.lastMd5)}`);
  if (t.lastConfirm !== undefined) parts.push(`last confirm ${secs(t.lastConfirm)}`);
  if (t.uploadsConfirmed !== undefined) parts.push(`all confirmed (event) ${secs(t.uploadsConfirmed)}`);
  parts.push(`end ${secs(t.end)} s`);
  return parts.join(' · ');
}

/** `2 batch create, 2 batch confirm, 3 task poll (+4 API, 200 storage preflights), 200 PUT`. */
export function requestsText(run: LinkRun | undefined): string {
  if (!run) return '–';
  const r = run.requests;
  const api = Object.entries(r)
    .filter(([k]) => !['PUT', 'API preflight', 'storage preflight'].includes(k))
    .map(([k, n]) => `${n} ${k}`);
  return `${api.join(', ') || 'no API call'}, ${r.PUT ?? 0} PUT; preflights: ${r['API preflight'] ?? 0} API, ${r['storage preflight'] ?? 0} storage`;
}

export function linksConsoleTable(rows: LinkRow[]): string {
  const table = new Table({
    head: [
      'link',
      'workload',
      'element ÷ bare',
      'target',
      'Uppy ÷ bare',
      'element ÷ Uppy',
      'target',
      'median s (element, Uppy, bare)',
      'element timeline, median run',
    ],
    colWidths: [13, 11, 10, 8, 8, 10, 8, 16, 42],
    wordWrap: true,
    style: { head: ['cyan'] },
  });
  for (const row of rows) {
    table.push([
      row.linkLabel,
      row.workloadLabel,
      `${ratio(row.ratios.elementBare)} ${verdict(row.ratios.elementBare, row.targets.bare)}`,
      targetText(row.targets.bare),
      ratio(row.ratios.uppyBare),
      `${ratio(row.ratios.elementUppy)} ${verdict(row.ratios.elementUppy, row.targets.uppy)}`,
      targetText(row.targets.uppy),
      `${secs(row.medianMs.element)}, ${secs(row.medianMs.uppy)}, ${secs(row.medianMs.bare)}`,
      timelineText(medianRun(row, 'element')),
    ]);
  }
  return table.toString();
}

/** Requests per run, each contender's median run. */
export function linksRequestsLines(rows: LinkRow[]): string[] {
  return rows.flatMap((row) =>
    (['element', 'uppy', 'bare'] as const).map(
      (c) => `${row.linkLabel}, ${row.workloadLabel}, ${CONTENDER_NAMES[c]}: ${requestsText(medianRun(row, c))}`,
    ),
  );
}

/** The targets table in Markdown, short cells (for docs/performance.md). */
export function linksMarkdown(rows: LinkRow[]): string {
  const cell = (xs: number[], t: Target | undefined) => {
    const v = verdict(xs, t);
    return t ? `${ratio(xs)} (${targetText(t)}) ${v === 'pass' ? 'pass' : '**fail**'}` : ratio(xs);
  };
  return [
    '| link | workload | element ÷ bare | element ÷ Uppy glue | Uppy glue ÷ bare | element, Uppy glue, bare (s) |',
    '|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.linkLabel} | ${r.workloadLabel} | ${cell(r.ratios.elementBare, r.targets.bare)} | ${cell(r.ratios.elementUppy, r.targets.uppy)} | ${ratio(r.ratios.uppyBare)} | ${secs(r.medianMs.element)}, ${secs(r.medianMs.uppy)}, ${secs(r.medianMs.bare)} |`,
    ),
  ].join('\n');
}

/** The element's timeline per row in Markdown. */
export function timelinesMarkdown(rows: LinkRow[]): string {
  return [
    '| link | workload | element (median run), s from its start | Uppy glue | bare |',
    '|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.linkLabel} | ${r.workloadLabel} | ${timelineText(medianRun(r, 'element'))} | ${timelineText(medianRun(r, 'uppy'))} | ${timelineText(medianRun(r, 'bare'))} |`,
    ),
  ].join('\n');
}
