import type { ModelBody } from '@llmq/contracts';
import { element } from './element.ts';
import { findModel, modelChoices, preselectedModel, unavailableHint } from './model-choices.ts';

export interface ModelSelect {
  readonly element: HTMLSelectElement;
  /** What the field's hint says: which models cannot run and why; absent when all can. */
  readonly hint: string | undefined;
  /** The picked model; undefined for a conversation's model this server no longer lists. */
  chosen(): ModelBody | undefined;
  /** Why the picked model cannot run, for the form to say instead of sending a refused prompt. */
  refusal(): string | undefined;
}

/**
 * The model picker of the prompt and batch forms: starts on the server's default, shows models
 * without their key disabled. Given a conversation's model, it is fixed to that one.
 */
export function createModelSelect(
  models: readonly ModelBody[],
  conversationModel?: string,
): ModelSelect {
  const fixed = conversationModel !== undefined;
  const continued = findModel(models, conversationModel);
  const select = element(
    'select',
    { name: 'model', disabled: fixed },
    modelChoices(models).map((choice) =>
      element(
        'option',
        { value: choice.value, disabled: choice.disabled, title: choice.reason },
        choice.label,
      ),
    ),
    // Still sent, so that the server says what became of it rather than the console guessing.
    fixed && !continued ? element('option', { value: conversationModel }, conversationModel) : null,
  );
  const start = fixed ? (continued?.id ?? conversationModel) : preselectedModel(models)?.id;
  if (start !== undefined) select.value = start;
  const chosen = () => models.find((model) => model.id === select.value);
  const hint = fixed
    ? continued && !continued.available
      ? unavailableHint([continued])
      : undefined
    : unavailableHint(models);
  return {
    element: select,
    hint,
    chosen,
    refusal: () => {
      const model = chosen();
      if (!model || model.available) return undefined;
      return `${model.id} cannot run: ${model.unavailable_reason ?? 'it is unavailable'}.`;
    },
  };
}
