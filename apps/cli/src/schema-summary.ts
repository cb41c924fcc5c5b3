type SchemaNode = { readonly [key: string]: unknown };

function isNode(value: unknown): value is SchemaNode {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * A schema in one line, as `llm schemas` shows it: an object's field names in braces, a list's
 * items in brackets, nested ones written out (`{name, items: [{title}]}`).
 */
export function schemaSummary(schema: unknown): string {
  if (!isNode(schema)) return '';
  if (schema.type === 'object') {
    const properties = isNode(schema.properties) ? schema.properties : {};
    const fields = inAuthorOrder(Object.entries(properties), schema.required).map(
      ([name, property]) => {
        const type = isNode(property) ? property.type : undefined;
        if (type === 'array') return `${name}: [${schemaSummary((property as SchemaNode).items)}]`;
        if (type === 'object') return `${name}: ${schemaSummary(property)}`;
        return name;
      },
    );
    return `{${fields.join(', ')}}`;
  }
  if (schema.type === 'array') return `[${schemaSummary(schema.items)}]`;
  return '';
}

/**
 * Fields in the order the schema's author listed them: a stored schema comes back from
 * PostgreSQL's jsonb with its keys reordered, but `required` is a list and keeps its order
 * (llm's concise syntax lists every field there). Fields it does not name keep their place after.
 */
function inAuthorOrder(
  entries: Array<[string, unknown]>,
  required: unknown,
): Array<[string, unknown]> {
  if (!Array.isArray(required)) return entries;
  const position = (name: string) => {
    const index = required.indexOf(name);
    return index === -1 ? required.length : index;
  };
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort(
      (left, right) =>
        position(left.entry[0]) - position(right.entry[0]) || left.index - right.index,
    )
    .map(({ entry }) => entry);
}
