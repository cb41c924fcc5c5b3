import { announce } from './announce.ts';
import { element } from './element.ts';

export interface Page {
  readonly title: string;
  readonly content: HTMLElement;
}

/** A page: built from the path's parameters; `signal` aborts when the page is left. */
export type PageRenderer = (parameters: string[], signal: AbortSignal) => Promise<Page>;

export interface Route {
  readonly pattern: RegExp;
  /** Which top-bar link is current on this page. */
  readonly section: string;
  readonly render: PageRenderer;
}

/**
 * History-API routing: links to this origin are followed in the page, the back button works,
 * and each page's streams close when it is left. The api answers these paths with index.html.
 */
export function startRouter(routes: readonly Route[], main: HTMLElement): void {
  let current: AbortController | undefined;
  let firstRender = true;

  async function render() {
    current?.abort();
    const controller = new AbortController();
    current = controller;
    const path = location.pathname;
    const route = routes.find((candidate) => candidate.pattern.test(path));
    for (const link of document.querySelectorAll<HTMLAnchorElement>('[data-nav]')) {
      if (route && link.dataset.nav === route.section) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    main.setAttribute('aria-busy', 'true');
    let page: Page;
    if (!route) {
      page = notFoundPage(`There is no page at ${path}.`);
    } else {
      try {
        const parameters = (route.pattern.exec(path) ?? []).slice(1).map(decodeURIComponent);
        page = await route.render(parameters, controller.signal);
      } catch (error) {
        page =
          error instanceof URIError
            ? notFoundPage(`There is no page at ${path}: the address is malformed.`)
            : {
                title: 'Error',
                content: element(
                  'section',
                  {},
                  element('h1', {}, 'Something went wrong'),
                  element('p', { role: 'alert' }, (error as Error).message),
                ),
              };
      }
    }
    if (controller.signal.aborted) return;
    main.replaceChildren(page.content);
    main.removeAttribute('aria-busy');
    document.title = `${page.title} · llmq`;
    // Moving focus to the new page tells screen-reader users that the page changed.
    if (!firstRender) {
      main.focus();
      announce(page.title);
    }
    firstRender = false;
  }

  document.addEventListener('click', (event) => {
    const link = (event.target as Element | null)?.closest('a');
    if (
      !link ||
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey ||
      link.target ||
      link.hasAttribute('download') ||
      link.origin !== location.origin ||
      link.pathname.startsWith('/v1/')
    ) {
      return;
    }
    if (link.hash && link.pathname === location.pathname && link.search === location.search) {
      // A link within the page, such as the skip link: rendering the page again would lose
      // what was typed and stop its streams, and the address need not change to move focus.
      const target = document.getElementById(link.hash.slice(1));
      if (target) {
        event.preventDefault();
        target.focus();
      }
      return;
    }
    event.preventDefault();
    navigate(`${link.pathname}${link.search}`);
  });
  window.addEventListener('popstate', () => void render());
  navigateTo = (path: string) => {
    history.pushState(null, '', path);
    void render();
  };
  void render();
}

function notFoundPage(message: string): Page {
  return {
    title: 'Not found',
    content: element('section', {}, element('h1', {}, 'Not found'), element('p', {}, message)),
  };
}

let navigateTo: (path: string) => void = (path) => location.assign(path);

/** Go to a page of the console without reloading it. */
export function navigate(path: string): void {
  navigateTo(path);
}
