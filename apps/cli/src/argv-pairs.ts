/** Options that take two values, as llm's do: `-o KEY VALUE`, `--at PATH TYPE`. */
const pairOptions = new Set(['-o', '--option', '--at', '--attachment-type']);

/**
 * Join each two-value option's values into one (`KEY\u0000VALUE`), so an argument parser that
 * knows one value per option reads them; `splitPair` takes them apart again.
 */
export function joinPairOptions(argv: readonly string[]): string[] {
  const joined: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] as string;
    if (pairOptions.has(argument) && index + 2 < argv.length) {
      joined.push(argument, `${argv[index + 1]}\u0000${argv[index + 2]}`);
      index += 2;
    } else {
      joined.push(argument);
    }
  }
  return joined;
}

export function splitPair(value: string, option: string): [string, string] {
  const separator = value.indexOf('\u0000');
  if (separator < 0) throw new Error(`${option} takes two values, like ${option} temperature 0.5`);
  return [value.slice(0, separator), value.slice(separator + 1)];
}
