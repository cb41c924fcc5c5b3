import type { ModelBody } from '@llmq/contracts';

/** One entry of a model picker: what it sends, what it says, and whether it can be picked. */
export interface ModelChoice {
  readonly value: string;
  readonly label: string;
  /** A model without its key: prompts for it are refused (422), so it cannot be picked. */
  readonly disabled: boolean;
  /** Why it cannot be picked, as the server says it; shown as the option's tooltip. */
  readonly reason: string | undefined;
}

/** The model an id or alias names, as the server resolves both. */
export function findModel(
  models: readonly ModelBody[],
  name: string | undefined,
): ModelBody | undefined {
  if (name === undefined) return undefined;
  return models.find((model) => model.id === name || model.aliases.includes(name));
}

/**
 * The model a picker for a new prompt or batch starts on: the server's default when it can run,
 * so that the console sends where a prompt naming no model would go. When the default cannot run
 * (its key is missing), the first model that can is better than a preselected refusal. (A
 * continued conversation keeps its own model: see findModel.)
 */
export function preselectedModel(models: readonly ModelBody[]): ModelBody | undefined {
  const byDefault = models.find((model) => model.default);
  if (byDefault?.available) return byDefault;
  return models.find((model) => model.available) ?? byDefault ?? models[0];
}

/**
 * A picker's entries: each model with its aliases, marked when it is the default or cannot run.
 * The label stays short (a phone-wide select shows it whole); the reason goes to the hint.
 */
export function modelChoices(models: readonly ModelBody[]): ModelChoice[] {
  return models.map((model) => {
    const marks = [model.default ? 'default' : '', model.available ? '' : 'unavailable'].filter(
      Boolean,
    );
    const aliases = model.aliases.length > 0 ? ` (${model.aliases.join(', ')})` : '';
    return {
      value: model.id,
      label: `${model.id}${aliases}${marks.length > 0 ? ` — ${marks.join(', ')}` : ''}`,
      disabled: !model.available,
      reason: model.available ? undefined : (model.unavailable_reason ?? 'It cannot run.'),
    };
  });
}

/**
 * The picker's hint: which models cannot run and why, in text (an option's tooltip is not shown
 * on every device). Models with the same reason (the same missing key) share one sentence.
 */
export function unavailableHint(models: readonly ModelBody[]): string | undefined {
  const byReason = new Map<string, string[]>();
  for (const choice of modelChoices(models)) {
    if (!choice.reason) continue;
    byReason.set(choice.reason, [...(byReason.get(choice.reason) ?? []), choice.value]);
  }
  if (byReason.size === 0) return undefined;
  return [...byReason]
    .map(([reason, ids]) => `Unavailable: ${ids.join(', ')} (${reason}).`)
    .join(' ');
}
