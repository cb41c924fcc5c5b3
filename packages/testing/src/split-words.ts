/** Split text into words that keep their following whitespace, so the pieces join back exactly. */
export function splitWords(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [text];
}

/** The words in a text, as the local server counts tokens. */
export function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}
