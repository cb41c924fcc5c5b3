import type { WebhookDeliveryBody } from '@llmq/contracts';

/** One line per delivery: what it reports, where it stands, and what the receiver last said. */
export function formatWebhookTable(deliveries: readonly WebhookDeliveryBody[]): string {
  if (deliveries.length === 0) return 'No webhook deliveries.\n';
  const rows = [
    ['ID', 'EVENT', 'SUBJECT', 'STATUS', 'ATTEMPTS', 'LAST ANSWER'],
    ...deliveries.map((delivery) => {
      const last = delivery.attempts.at(-1);
      return [
        delivery.id,
        delivery.event_type,
        delivery.subject_id,
        delivery.status,
        String(delivery.attempts.length),
        last ? (last.error ?? String(last.status_code)) : '-',
      ];
    }),
  ];
  const widths = rows[0]?.map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length)),
  ) as number[];
  return rows
    .map((row) =>
      row
        .map((cell, column) =>
          column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0),
        )
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}
