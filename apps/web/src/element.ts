export type Child = Node | string | number | null | undefined | false;
type AttributeValue = string | number | boolean | null | undefined;
type Listener = (event: Event) => void;
export type Attributes = Record<string, AttributeValue | Listener>;

/**
 * Build an element: `on…` attributes become listeners, `true` an empty attribute, and
 * `false`/`null`/`undefined` leave the attribute out. Strings are text, never HTML.
 */
export function element<Tag extends keyof HTMLElementTagNameMap>(
  tag: Tag,
  attributes: Attributes = {},
  ...children: Array<Child | Child[]>
): HTMLElementTagNameMap[Tag] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'function') {
      node.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (value === true) {
      node.setAttribute(name, '');
    } else if (value !== false && value !== null && value !== undefined) {
      node.setAttribute(name, String(value));
    }
  }
  node.append(...flatten(children));
  return node;
}

function flatten(children: Array<Child | Child[]>): Array<Node | string> {
  const nodes: Array<Node | string> = [];
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    nodes.push(typeof child === 'number' ? String(child) : child);
  }
  return nodes;
}

let lastId = 0;
/** A document-unique id, to tie labels and descriptions to their controls. */
export function uniqueId(prefix: string): string {
  lastId += 1;
  return `${prefix}-${lastId}`;
}
