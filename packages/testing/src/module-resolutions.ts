import { execFileSync } from 'node:child_process';

/**
 * Run `script` (the body of an ES module) in a fresh Node process that collects every module
 * specifier it resolves matching `watched` in a Set named `resolved`, which the script can
 * read; returns what the process printed. Shows which packages a piece of code loads, and when.
 */
export function runWatchingResolutions(watched: RegExp, script: string): string {
  const prelude = `
    import { registerHooks } from 'node:module';
    const resolved = new Set();
    const watched = new RegExp(${JSON.stringify(watched.source)}, ${JSON.stringify(watched.flags)});
    registerHooks({
      resolve(specifier, context, next) {
        if (watched.test(specifier)) resolved.add(specifier);
        return next(specifier, context);
      },
    });`;
  return execFileSync(process.execPath, ['--input-type=module', '-e', `${prelude}\n${script}`], {
    encoding: 'utf8',
    timeout: 15_000,
  });
}
