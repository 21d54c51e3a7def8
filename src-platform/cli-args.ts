/**
 * Command-line flags for the project's entry points (`npm run platform`, the browser host, `npm run
 * bench`): `--help` prints the usage and exits 0; an unknown or malformed flag prints the problem
 * and the usage and exits 2, never a stack trace.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses `argv` against `options` (plus `--help`/`-h`); `usage` is printed for help and for mistakes. */
export function parseCommandLine<O extends Options>(usage: string, options: O, argv: string[] = process.argv.slice(2)) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false });
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n\n${usage}`);
    process.exit(2);
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(usage);
    process.exit(0);
  }
  return parsed.values as ReturnType<typeof parseArgs<{ options: O }>>['values'];
}
