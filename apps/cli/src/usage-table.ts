import type { UsageGroupBody, UsageReportBody } from '@llmq/contracts';

const dimensionColumns = [
  { name: 'day', heading: 'DAY', of: (group: UsageGroupBody) => group.day },
  { name: 'model', heading: 'MODEL', of: (group: UsageGroupBody) => group.model },
  { name: 'key', heading: 'KEY', of: (group: UsageGroupBody) => group.key_id ?? '(admin)' },
  { name: 'owner', heading: 'OWNER', of: (group: UsageGroupBody) => group.owner ?? '(none)' },
] as const;

/** USD with enough digits for a cheap model's cents: four decimals, six below a cent. */
export function formatUsd(dollars: number): string {
  return `$${dollars.toFixed(dollars !== 0 && Math.abs(dollars) < 0.01 ? 6 : 4)}`;
}

const count = (value: number) => value.toLocaleString('en-US');

/**
 * `llmq usage` as text: a row per group (its dimensions, then requests, tokens in and out, and
 * cost), right-aligned numbers, then the totals of the range.
 */
export function formatUsageTable(report: UsageReportBody): string {
  const dimensions = dimensionColumns.filter((column) => report.group_by.includes(column.name));
  const heading = [
    ...dimensions.map((column) => column.heading),
    'REQUESTS',
    'INPUT',
    'OUTPUT',
    'COST',
  ];
  const amounts = (row: UsageReportBody['total']) => [
    count(row.requests),
    count(row.input_tokens),
    count(row.output_tokens),
    formatUsd(row.cost_usd),
  ];
  const rows = report.data.map((group) => [
    ...dimensions.map((column) => String(column.of(group) ?? '')),
    ...amounts(group),
  ]);
  const totalRow = [
    ...dimensions.map((_, index) => (index === 0 ? 'TOTAL' : '')),
    ...amounts(report.total),
  ];
  const lines: string[] = [`Usage from ${report.from} to ${report.to} (UTC days, USD)`];
  if (dimensions.length === 0) {
    lines.push(
      `requests: ${count(report.total.requests)}`,
      `input tokens: ${count(report.total.input_tokens)}`,
      `output tokens: ${count(report.total.output_tokens)}`,
      `cost: ${formatUsd(report.total.cost_usd)}`,
    );
    return `${lines.join('\n')}\n`;
  }
  const table = [heading, ...rows, totalRow];
  const widths = heading.map((_, column) =>
    Math.max(...table.map((row) => (row[column] ?? '').length)),
  );
  const numeric = (column: number) => column >= dimensions.length;
  const render = (row: readonly string[]) =>
    row
      .map((cell, column) =>
        numeric(column) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  lines.push('', render(heading), ...rows.map(render));
  if (rows.length === 0) lines.push('(nothing in this range)');
  lines.push(render(totalRow));
  return `${lines.join('\n')}\n`;
}
