// Command-line flags on node:util.parseArgs: the server's options (config.ts) and every admin command's (cli/commands.ts).
import { parseArgs } from 'node:util';
import { didYouMean } from '../util/nearest.ts';

export interface FlagSpec {
  name: string;
  /** The value's placeholder in usage lines (`--owner UIN`); absent for a switch. */
  value?: string;
  help: string;
  /** A switch: `--flag` alone is true; `--flag=false` (or `=true`, `=0`, `=1`) says so explicitly. */
  switch?: true;
  required?: true;
  /** May repeat; every value is kept. */
  multiple?: true;
  /** Digits only (uins, APPIDs). */
  numeric?: true;
}

/** The command line is wrong: the message says how, and the command's `--help` the rest. */
export class UsageError extends Error {}

/** `true`/`1` and `false`/`0`, as switches are written in flags and environment variables; else undefined. */
export function parseSwitch(text: string): boolean | undefined {
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  return undefined;
}

/** The flags given, by name: every value of a repeated flag, a switch as `true`/`false`. */
export class Flags {
  constructor(private readonly values: ReadonlyMap<string, readonly string[]>) {}

  /** The last value given, or undefined. */
  get(name: string): string | undefined {
    return this.values.get(name)?.at(-1);
  }

  all(name: string): readonly string[] {
    return this.values.get(name) ?? [];
  }

  /** A flag its spec marks required (parseFlags has checked it is there). */
  required(name: string): string {
    const value = this.get(name);
    if (value === undefined) throw new UsageError(`--${name} is required`);
    return value;
  }
}

/**
 * parseArgs tokenizes (`--name value`, `--name=value`, `--`); its non-strict mode hands over every token, so
 * the messages below can name the flag and suggest the nearest known one, which its strict errors do not.
 */
export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[]): Flags {
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  const { tokens } = parseArgs({
    args: [...argv],
    options: Object.fromEntries(specs.map((spec) => [spec.name, { type: spec.switch ? 'boolean' : 'string' }] as const)),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const values = new Map<string, string[]>();
  for (const token of tokens) {
    if (token.kind === 'positional') throw new UsageError(`unexpected argument ${token.value}`);
    if (token.kind === 'option-terminator') continue;
    const spec = byName.get(token.name);
    if (!spec) throw new UsageError(`unknown option ${token.rawName}${didYouMean(token.name, byName.keys(), (name) => `--${name}`)}`);
    const value = flagValue(spec, token.value, token.inlineValue === true);
    const previous = values.get(spec.name);
    values.set(spec.name, spec.multiple && previous ? [...previous, value] : [value]);
  }
  for (const spec of specs) {
    if (spec.required && !values.has(spec.name)) throw new UsageError(`--${spec.name} is required`);
  }
  return new Flags(values);
}

function flagValue(spec: FlagSpec, value: string | undefined, inline: boolean): string {
  if (spec.switch) {
    const on = value === undefined ? true : parseSwitch(value);
    if (on === undefined) throw new UsageError(`bad --${spec.name}=${value ?? ''}: true or false`);
    return String(on);
  }
  // In non-strict mode parseArgs takes the next argument whatever it is; `--port --host x` is a missing value
  // (strict parseArgs calls it ambiguous too). `--key=--odd` still passes such a value.
  if (value === undefined || (!inline && value.startsWith('-'))) throw new UsageError(`--${spec.name} needs a value`);
  if (spec.numeric && !/^\d+$/.test(value)) throw new UsageError(`--${spec.name} must be numeric`);
  return value;
}

/** `--owner UIN [--uin UIN]`: required flags bare, the others in brackets. */
export function usageFlags(specs: readonly FlagSpec[]): string {
  return specs
    .map((spec) => {
      const flag = `--${spec.name}${spec.value ? ` ${spec.value}` : ''}${spec.multiple ? ' ...' : ''}`;
      return spec.required ? flag : `[${flag}]`;
    })
    .join(' ');
}

/** One aligned line per flag: `  --owner UIN   the root account's uin`. */
export function flagLines(specs: readonly FlagSpec[]): string {
  const names = specs.map((spec) => `--${spec.name}${spec.value ? ` ${spec.value}` : ''}`);
  const width = Math.max(...names.map((name) => name.length));
  return specs.map((spec, i) => `  ${(names[i] ?? '').padEnd(width)}  ${spec.help}`).join('\n');
}
