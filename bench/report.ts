/** One benchmark's outcome: our path, the floor or peer measured in the same run, and the target. */
export interface BenchResult {
  id: number;
  name: string;
  /** What is measured, e.g. "median ms" or "p95 ms" or "MB". */
  unit: string;
  ours: number;
  /** The floor or peer measured in the same run, on the same data (null when there is none). */
  baseline: number | null;
  baselineName: string | null;
  /** ours / baseline (for throughput: baseline / ours, so that lower is better everywhere). */
  ratio: number | null;
  target: string;
  met: boolean | null;
  notes: string;
}

const fmt = (n: number | null, digits = 2): string => (n === null || Number.isNaN(n) ? '—' : n.toFixed(digits));

/** Renders results as a fixed-width table for the terminal and the README. */
export function renderTable(results: readonly BenchResult[]): string {
  const rows = results.map((r) => [
    String(r.id),
    r.name,
    `${fmt(r.ours)} ${r.unit}`,
    r.baselineName ? `${fmt(r.baseline)} (${r.baselineName})` : '—',
    // Ratios far below 1 (ours much faster than the peer) keep two significant digits.
    r.ratio !== null && r.ratio < 0.1 ? r.ratio.toPrecision(2) : fmt(r.ratio),
    r.target,
    r.met === null ? 'report' : r.met ? 'met' : 'NOT met',
  ]);
  const head = ['#', 'benchmark', 'ours', 'floor / peer', 'ratio', 'target', 'result'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
  return [line(head), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...rows.map(line)].join('\n');
}
