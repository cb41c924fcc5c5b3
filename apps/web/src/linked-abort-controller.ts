/**
 * An AbortController that also aborts when `parent` does, for work that may end before the page
 * does (an answer replaced by the next one, a search overtaken by another). Once aborted it lets
 * go of `parent`, so that a long-lived page does not gather one listener per child.
 */
export function linkedAbortController(parent: AbortSignal): AbortController {
  const controller = new AbortController();
  if (parent.aborted) {
    controller.abort(parent.reason);
    return controller;
  }
  const abort = () => controller.abort(parent.reason);
  parent.addEventListener('abort', abort, { once: true });
  controller.signal.addEventListener('abort', () => parent.removeEventListener('abort', abort), {
    once: true,
  });
  return controller;
}
