import type { CodeOptions } from 'ajv';
import { RE2JS } from 're2js';

// ajv names these types without exporting them.
type RegExpEngine = NonNullable<CodeOptions['regExp']>;
type RegExpLike = ReturnType<RegExpEngine>;

/**
 * ajv's regular expression engine for `pattern`, `patternProperties` and the like: RE2 (re2js,
 * pure JavaScript), whose matching takes time linear in the text. V8's own engine backtracks, so
 * a schema's `^(a+)+$` against forty `a`s and a `!` would hold the worker's thread for good (and
 * echo answers a JSON prompt verbatim, so one request could freeze a worker). RE2 has no
 * backreferences or lookarounds: a pattern using them cannot compile, and the schema is refused
 * naming it. The `u` flag ajv passes needs no translating: RE2 matches code points.
 */
export const linearRegExp: RegExpEngine = Object.assign(
  (pattern: string, flags: string): RegExpLike => {
    let compiled: RE2JS;
    try {
      compiled = RE2JS.compile(RE2JS.translateRegExp(pattern));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(
        `the pattern ${JSON.stringify(pattern)} is not supported (patterns run on a linear-time engine, RE2: no backreferences or lookarounds): ${reason}`,
      );
    }
    const matcher: RegExpLike & { toString(): string } = {
      // JSON Schema's `pattern` matches anywhere in the text, as RegExp's `test` does.
      test: (text: string) => compiled.test(text),
      // ajv shares one compiled pattern per distinct `toString()` within a schema.
      toString: () => `/${pattern}/${flags}`,
    };
    return matcher;
  },
  // Only read for standalone code, which llmq does not generate.
  { code: 'linearRegExp' },
);
