export type Verdict = 'PASS' | 'MISS' | '';

export interface TableRow {
  section: string;
  metric: string;
  value: string;
  /** The baseline measured in the same run, or the target. */
  reference: string;
  verdict: Verdict;
}

export const verdict = (pass: boolean): Verdict => (pass ? 'PASS' : 'MISS');

export const kb = (bytes: number, digits = 2): string => `${(bytes / 1000).toFixed(digits)} KB`;
export const ms = (value: number, digits = 0): string => (Number.isFinite(value) ? `${value.toFixed(digits)} ms` : 'n/a');
export const seconds = (valueMs: number): string => `${(valueMs / 1000).toFixed(2)} s`;

/** Prints rows as a fixed-width table; long cells wrap onto continuation lines. */
export function formatTable(rows: readonly TableRow[]): string {
  const headers: TableRow = { section: 'section', metric: 'metric', value: 'measured', reference: 'baseline / target', verdict: '' };
  const limits = { section: 14, metric: 46, value: 30, reference: 44 };
  const columns = ['section', 'metric', 'value', 'reference', 'verdict'] as const;
  const wrap = (text: string, width: number): string[] => {
    const lines: string[] = [];
    let line = '';
    for (const word of text.split(' ')) {
      if (line !== '' && line.length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else {
        line = line === '' ? word : `${line} ${word}`;
      }
    }
    lines.push(line);
    return lines;
  };
  const widths = Object.fromEntries(
    columns.map((column) => {
      const limit = column === 'verdict' ? 7 : limits[column];
      const longest = Math.max(...[headers, ...rows].map((row) => Math.min(limit, row[column].length)));
      return [column, longest];
    }),
  ) as Record<(typeof columns)[number], number>;
  const render = (row: TableRow): string[] => {
    const cells = columns.map((column) => wrap(row[column], widths[column]));
    const height = Math.max(...cells.map((cell) => cell.length));
    return Array.from({ length: height }, (_, index) =>
      columns
        .map((column, at) => (cells[at]?.[index] ?? '').padEnd(widths[column]))
        .join(' │ ')
        .trimEnd(),
    );
  };
  const separator = columns.map((column) => '─'.repeat(widths[column])).join('─┼─');
  const out: string[] = [...render(headers), separator];
  let lastSection = '';
  for (const row of rows) {
    if (lastSection !== '' && row.section !== lastSection) out.push(separator);
    out.push(...render(row.section === lastSection ? { ...row, section: '' } : row));
    lastSection = row.section;
  }
  return out.join('\n');
}
