/**
 * The README's expected outputs, checked against what a command really printed.
 *
 * An id in the README is a placeholder: a prefix with a digit in it and `…` (`9f86d0…`, `01jc…`).
 * The first expected output that shows a placeholder binds it to the real value found there;
 * later commands get that value in its place. Any other `…` stands for text left out.
 */

export interface CommandRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Placeholder → the real id it stands for in this run. */
export type Bindings = Map<string, string>;

const placeholderPattern = /(?<![\w-])(?=[0-9a-z]*\d)[0-9a-z]{3,}…/g;
/** `"key":value` with a scalar value; strings may hold escapes (and placeholders). */
const pairPattern =
  /"([^"\\]+)":("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/g;
const eventLine = /^event: (\S+)$/;
const exitStatusLine = /^exit status (\d+)$/;
/** Lines of an event stream other than `event:` whose content the pairs already cover or is random. */
const streamFieldLine = /^(id|data|retry):/;

/** The command with each placeholder replaced by its bound value; an unbound one is an error. */
export function substitutePlaceholders(text: string, bindings: Bindings): string {
  return text.replace(placeholderPattern, (placeholder) => {
    const value = bindings.get(placeholder);
    if (value === undefined) {
      throw new Error(
        `${placeholder} is used before an expected output shows it (write the output that gives it, as # {"id":"${placeholder}",…})`,
      );
    }
    return value;
  });
}

/**
 * What differs between the expected lines and the run (empty when it matches). New
 * placeholders found in the expected lines are bound in `bindings`.
 */
export function checkRun(
  expected: readonly string[],
  run: CommandRun,
  bindings: Bindings,
): string[] {
  const problems: string[] = [];
  const exitStatus = expected.map((line) => exitStatusLine.exec(line)).find(Boolean);
  const expectedCode = exitStatus ? Number(exitStatus[1]) : 0;
  if (run.code !== expectedCode) problems.push(`exit status ${run.code}, expected ${expectedCode}`);
  const actualPairs = jsonPairs(run.stdout);
  const actualEvents = run.stdout.split('\n').flatMap((line) => eventLine.exec(line)?.[1] ?? []);
  const isStream = actualEvents.length > 0;
  const actualLines = `${run.stdout}\n${run.stderr}`.split('\n');
  const expectedEvents: string[] = [];
  for (const line of expected) {
    const event = eventLine.exec(line)?.[1];
    if (event) {
      expectedEvents.push(event);
      continue;
    }
    const pairs = [...line.matchAll(pairPattern)];
    for (const [, key = '', rawValue = ''] of pairs) {
      const problem = checkPair(key, JSON.parse(rawValue) as unknown, actualPairs, bindings);
      if (problem) problems.push(problem);
    }
    const isText =
      pairs.length === 0 &&
      !exitStatusLine.test(line) &&
      !(isStream && streamFieldLine.test(line)) &&
      !/^\(.*\)$/.test(line) && // a remark about the output, in parentheses
      line.replaceAll('…', '').trim() !== '';
    if (isText && !matchLine(line, actualLines, bindings)) {
      problems.push(`no line of the output matches: ${line}`);
    }
  }
  if (!isSubsequence(expectedEvents, actualEvents)) {
    problems.push(
      `events ${expectedEvents.join(', ')} not in this order in: ${actualEvents.join(', ')}`,
    );
  }
  return problems;
}

type Pair = readonly [key: string, value: unknown];

/** Every key and scalar value of the JSON in an output: one document, JSON lines or `data:` lines. */
export function jsonPairs(output: string): Pair[] {
  const documents: unknown[] = [];
  const whole = parseJson(output.trim());
  if (whole.ok) documents.push(whole.value);
  else {
    for (const line of output.split('\n')) {
      const parsed = parseJson(line.replace(/^data: /, '').trim());
      if (parsed.ok) documents.push(parsed.value);
    }
  }
  const pairs: Pair[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) for (const item of value) walk(item);
    else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (inner === null || typeof inner !== 'object') pairs.push([key, inner]);
        walk(inner);
      }
    }
  };
  for (const document of documents) walk(document);
  return pairs;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (!/^[[{]/.test(text)) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function checkPair(
  key: string,
  expected: unknown,
  actualPairs: readonly Pair[],
  bindings: Bindings,
): string | undefined {
  const candidates = actualPairs.filter(([actualKey]) => actualKey === key);
  const shown = `"${key}":${JSON.stringify(expected)}`;
  if (candidates.length === 0) return `no "${key}" in the output, expected ${shown}`;
  if (typeof expected !== 'string') {
    return candidates.some(([, value]) => value === expected)
      ? undefined
      : `${shown} expected, the output has ${candidates.map(([, value]) => JSON.stringify(value)).join(', ')}`;
  }
  const { pattern, unbound } = textPattern(expected, bindings);
  for (const [, value] of candidates) {
    const match = typeof value === 'string' ? new RegExp(`^${pattern}$`).exec(value) : null;
    if (match) {
      bind(unbound, match, bindings);
      return undefined;
    }
  }
  return `${shown} expected, the output has ${candidates.map(([, value]) => JSON.stringify(value)).join(', ')}`;
}

function matchLine(line: string, actualLines: readonly string[], bindings: Bindings): boolean {
  const { pattern, unbound } = textPattern(line, bindings);
  for (const actual of actualLines) {
    const match = new RegExp(`^${pattern}$`).exec(actual.trim());
    if (match) {
      bind(unbound, match, bindings);
      return true;
    }
  }
  return false;
}

/**
 * A regular expression for an expected text: a bound placeholder is its value, an unbound
 * one captures an id (the same placeholder twice must be the same id), any other `…` is any text.
 */
function textPattern(text: string, bindings: Bindings): { pattern: string; unbound: string[] } {
  const unbound: string[] = [];
  let pattern = '';
  let last = 0;
  for (const match of text.matchAll(placeholderPattern)) {
    pattern += elided(text.slice(last, match.index));
    const placeholder = match[0];
    const value = bindings.get(placeholder);
    const seen = unbound.indexOf(placeholder);
    if (value !== undefined) pattern += literal(value);
    else if (seen >= 0) pattern += `\\${seen + 1}`;
    else {
      unbound.push(placeholder);
      pattern += '([0-9A-Za-z]+)';
    }
    last = match.index + placeholder.length;
  }
  return { pattern: pattern + elided(text.slice(last)), unbound };
}

function elided(text: string): string {
  return text.split('…').map(literal).join('[\\s\\S]*');
}

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function bind(unbound: readonly string[], match: RegExpExecArray, bindings: Bindings): void {
  unbound.forEach((placeholder, index) => {
    const value = match[index + 1];
    if (value !== undefined) bindings.set(placeholder, value);
  });
}

function isSubsequence(wanted: readonly string[], actual: readonly string[]): boolean {
  let position = 0;
  for (const item of actual) if (item === wanted[position]) position++;
  return position === wanted.length;
}
