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
    const fields = Object.entries(properties).map(([name, property]) => {
      const type = isNode(property) ? property.type : undefined;
      if (type === 'array') return `${name}: [${schemaSummary((property as SchemaNode).items)}]`;
      if (type === 'object') return `${name}: ${schemaSummary(property)}`;
      return name;
    });
    return `{${fields.join(', ')}}`;
  }
  if (schema.type === 'array') return `[${schemaSummary(schema.items)}]`;
  return '';
}
