import type { UsageReportBody } from '@llmq/contracts';
import { api } from './api-client.ts';
import { element, uniqueId } from './element.ts';
import { formatUsd } from './format-usd.ts';
import { navigate, type PageRenderer } from './router.ts';
import { daysBetween, type SpendChartModel, spendChart } from './spend-chart.ts';
import { daysInRange, maxUsageDays, usageQuery, usageRange, validDay } from './usage-range.ts';

const svgNamespace = 'http://www.w3.org/2000/svg';

const count = (value: number) => value.toLocaleString('en-US');

/**
 * Spend and tokens over a range of UTC days (the last 30 by default; `?from=&to=`): a bar per
 * day, and a table per model. An owner key sees its own owner's usage; an admin key everyone's.
 */
export const usagePage: PageRenderer = async (_parameters, signal) => {
  const range = usageRange(
    new URLSearchParams(location.search),
    new Date().toISOString().slice(0, 10),
  );
  const [byDay, byModel] = await Promise.all([
    api<UsageReportBody>(`/v1/usage?${usageQuery(range, 'day')}`, { signal }),
    api<UsageReportBody>(`/v1/usage?${usageQuery(range, 'model')}`, { signal }),
  ]);
  const { total } = byDay;
  const chart = spendChart(
    byDay.data.map((group) => ({ day: group.day ?? '', cost_usd: group.cost_usd })),
    byDay.from,
    byDay.to,
  );
  return {
    title: 'Usage',
    content: element(
      'section',
      { class: 'usage' },
      element('h1', {}, 'Usage'),
      rangeForm(byDay.from, byDay.to),
      ...(range.askedFrom === undefined
        ? []
        : [
            element(
              'p',
              { class: 'usage-narrowed', role: 'status' },
              `The page shows at most ${maxUsageDays} days at a time: of ${range.askedFrom} to ${byDay.to}, the last ${maxUsageDays}, from ${byDay.from}.`,
            ),
          ]),
      element(
        'p',
        { class: 'usage-total' },
        `${formatUsd(total.cost_usd)} for ${count(total.requests)} answer${total.requests === 1 ? '' : 's'} (${count(total.input_tokens)} tokens in, ${count(total.output_tokens)} out), UTC days ${byDay.from} to ${byDay.to}.`,
      ),
      element('h2', {}, 'Spend per day'),
      spendFigure(chart),
      element('h2', {}, 'Per model'),
      modelTable(byModel),
    ),
  };
};

function rangeForm(from: string, to: string): HTMLElement {
  const fromInput = element('input', { type: 'date', name: 'from', value: from, required: true });
  const toInput = element('input', { type: 'date', name: 'to', value: to, required: true });
  const error = element('p', { class: 'field-error', role: 'alert' });
  const field = (label: string, input: HTMLInputElement) => {
    input.id = uniqueId('usage-field');
    return element('div', { class: 'field' }, element('label', { for: input.id }, label), input);
  };
  const form = element(
    'form',
    { class: 'usage-range', 'aria-label': 'Days' },
    field('From', fromInput),
    field('To', toInput),
    element('div', { class: 'actions' }, element('button', { type: 'submit' }, 'Show')),
    error,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const from = validDay(fromInput.value);
    const to = validDay(toInput.value);
    if (!from || !to) {
      error.textContent = 'Days run from 0001-01-01 to 9999-12-31.';
      return;
    }
    if (from > to) {
      error.textContent = 'The first day must be on or before the last.';
      return;
    }
    if (daysInRange(from, to) > maxUsageDays) {
      error.textContent = `Choose at most ${maxUsageDays} days.`;
      return;
    }
    navigate(`/usage?${new URLSearchParams({ from, to })}`);
  });
  return form;
}

function svg<Tag extends keyof SVGElementTagNameMap>(
  tag: Tag,
  attributes: Record<string, string | number>,
  ...children: Array<Node | string>
): SVGElementTagNameMap[Tag] {
  const node = document.createElementNS(svgNamespace, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  node.append(...children);
  return node;
}

/** The bars as an inline SVG: each bar's title says its day and spend (hover, screen readers). */
function spendFigure(chart: SpendChartModel): HTMLElement {
  const captionId = uniqueId('usage-chart');
  const first = chart.bars[0]?.day ?? '';
  const last = chart.bars.at(-1)?.day ?? '';
  const drawing = svg(
    'svg',
    {
      class: 'spend-chart',
      viewBox: `0 0 ${chart.width} ${chart.height}`,
      role: 'img',
      'aria-labelledby': captionId,
      preserveAspectRatio: 'none',
    },
    svg('line', {
      x1: 0,
      y1: chart.height,
      x2: chart.width,
      y2: chart.height,
      class: 'spend-axis',
    }),
    ...chart.bars.map((bar) =>
      svg(
        'rect',
        {
          class: 'spend-bar',
          x: bar.x,
          y: bar.y,
          width: bar.width,
          // A day without spend still shows as a sliver on the axis.
          height: Math.max(bar.height, 0.5),
          'data-day': bar.day,
          'data-cost': bar.costUsd,
        },
        svg('title', {}, `${bar.day}: ${formatUsd(bar.costUsd)}`),
      ),
    ),
  );
  const days = daysBetween(first, last).length;
  const busiest = chart.bars.reduce<(typeof chart.bars)[number] | undefined>(
    (top, bar) => (!top || bar.costUsd > top.costUsd ? bar : top),
    undefined,
  );
  return element(
    'figure',
    { class: 'spend-figure' },
    element(
      'p',
      { class: 'muted spend-scale' },
      `Top of the scale: ${formatUsd(chart.maxUsd)} a day`,
    ),
    drawing,
    // Apart from the drawing, which stretches to the page's width: the text keeps its shape.
    element(
      'div',
      { class: 'spend-days muted', 'aria-hidden': 'true' },
      element('span', {}, first),
      element('span', {}, last),
    ),
    element(
      'figcaption',
      { id: captionId, class: 'muted' },
      chart.maxUsd > 0 && busiest
        ? `Spend per UTC day over ${days} days, ${first} to ${last}; the most, ${formatUsd(busiest.costUsd)}, on ${busiest.day}.`
        : `No spend over the ${days} days from ${first} to ${last}.`,
    ),
  );
}

function modelTable(report: UsageReportBody): HTMLElement {
  if (report.data.length === 0) {
    return element('p', { class: 'muted' }, 'No answers in these days.');
  }
  const number = (value: string) => element('td', { class: 'number' }, value);
  const heading = (text: string, numeric = false) =>
    element('th', { scope: 'col', class: numeric ? 'number' : null }, text);
  return element(
    'div',
    { class: 'table-scroll' },
    element(
      'table',
      { class: 'data-table usage-models' },
      element(
        'thead',
        {},
        element(
          'tr',
          {},
          heading('Model'),
          heading('Answers', true),
          heading('Tokens in', true),
          heading('Tokens out', true),
          heading('Cost', true),
        ),
      ),
      element(
        'tbody',
        {},
        report.data.map((group) =>
          element(
            'tr',
            {},
            element('th', { scope: 'row' }, group.model ?? ''),
            number(count(group.requests)),
            number(count(group.input_tokens)),
            number(count(group.output_tokens)),
            number(formatUsd(group.cost_usd)),
          ),
        ),
      ),
      element(
        'tfoot',
        {},
        element(
          'tr',
          {},
          element('th', { scope: 'row' }, 'Total'),
          number(count(report.total.requests)),
          number(count(report.total.input_tokens)),
          number(count(report.total.output_tokens)),
          number(formatUsd(report.total.cost_usd)),
        ),
      ),
    ),
  );
}
