// The `coslocal` command: run the server (the default), or manage accounts, sub-accounts, keys and policies in a data directory.
import { resolve } from 'node:path';
import { ADMIN_COMMANDS, type AdminCommand } from './cli/commands.ts';
import { flagLines, parseFlags, UsageError, usageFlags, type FlagSpec } from './cli/flags.ts';
import { RESET_FLAGS, RESET_SUMMARY, resetServer } from './cli/reset.ts';
import { checkMetadataUrl, configHelp } from './config.ts';
import { serve } from './main.ts';
import type { MetadataStore } from './storage/metadata.ts';
import { PostgresMetadata } from './storage/postgres/postgres-metadata.ts';
import { openMetadata } from './storage/sqlite/open.ts';
import { didYouMean } from './util/nearest.ts';
import { VERSION } from './version.ts';

const DATA_DIR: FlagSpec = { name: 'data-dir', value: 'DIR', help: 'the data directory (default ./data, or COSLOCAL_DATA_DIR)' };
const METADATA: FlagSpec = { name: 'metadata', value: 'URL', help: "the server's PostgreSQL metadata database instead (default COSLOCAL_METADATA_URL)" };
const STORE_FLAGS = [DATA_DIR, METADATA];

const SERVER_ENV = `  COSLOCAL_SECRET_ID / COSLOCAL_SECRET_KEY   the default account's key pair (else the seed's, else generated once)`;

const SERVE_HELP = `Usage: coslocal [serve] [options]

Run the server; it prints its endpoint, the default account's keys and a cos-nodejs-sdk-v5 configuration.

Options (each also read from its environment variable; flags win):
${configHelp()}
${SERVER_ENV}
`;

function overview(): string {
  const summaries: [string, string][] = [...ADMIN_COMMANDS.map((c): [string, string] => [c.name, c.summary.split('\n')[0] ?? '']), ['reset', RESET_SUMMARY]];
  const width = Math.max(...summaries.map(([name]) => name.length));
  const commands = summaries.map(([name, summary]) => `  coslocal ${name.padEnd(width)}  ${summary}`).join('\n');
  return `coslocal ${VERSION} - a local Tencent Cloud COS server

Usage:
  coslocal [serve] [options]        run the server (the default command)
${commands}
  coslocal <command> --help         a command's options
  coslocal --version

Server options (each also read from its environment variable):
${configHelp()}
${SERVER_ENV}

The admin commands but reset (which asks a running server) work on the store directly (the data directory,
default ./data or COSLOCAL_DATA_DIR, or the PostgreSQL database of --metadata or COSLOCAL_METADATA_URL),
beside running servers, which see their changes at once (a deleted key within a second).
`;
}

function commandHelp(command: AdminCommand): string {
  const flags = [...command.flags, ...STORE_FLAGS];
  return `Usage: coslocal ${command.name} ${usageFlags(flags)}\n\n${command.summary}\n\nOptions:\n${flagLines(flags)}\n`;
}

const RESET_HELP = `Usage: coslocal reset ${usageFlags(RESET_FLAGS)}\n\n${RESET_SUMMARY}\n\nOptions:\n${flagLines(RESET_FLAGS)}\n`;

async function runReset(argv: readonly string[]): Promise<void> {
  process.stdout.write(`${JSON.stringify(await resetServer(parseFlags(argv, RESET_FLAGS), process.env), null, 2)}\n`);
}

async function runAdmin(command: AdminCommand, argv: readonly string[]): Promise<void> {
  const f = parseFlags(argv, [...command.flags, ...STORE_FLAGS]);
  const meta = await openStore(f.get('metadata') ?? (process.env['COSLOCAL_METADATA_URL'] || undefined), f.get('data-dir') ?? process.env['COSLOCAL_DATA_DIR']);
  try {
    process.stdout.write(`${JSON.stringify(await command.run(meta, f), null, 2)}\n`);
  } finally {
    await meta.close();
  }
}

/** The store a server with the same --metadata and --data-dir uses. */
function openStore(metadataUrl: string | undefined, dataDir: string | undefined): Promise<MetadataStore> {
  if (metadataUrl !== undefined) return PostgresMetadata.open(checkMetadataUrl(metadataUrl), { poolSize: 1 });
  return openMetadata(resolve(dataDir ?? './data'));
}

/** The admin command the leading words name, and the arguments after them. */
function findCommand(argv: readonly string[]): { command: AdminCommand; rest: readonly string[] } {
  for (const command of ADMIN_COMMANDS) {
    const words = command.name.split(' ');
    if (words.every((word, i) => argv[i] === word)) return { command, rest: argv.slice(words.length) };
  }
  const [first = '', second] = argv;
  const asked = second === undefined || second.startsWith('-') ? first : `${first} ${second}`;
  throw new UsageError(`unknown command "${asked}"${didYouMean(asked, ['serve', ...ADMIN_COMMANDS.map((c) => c.name)])}`);
}

const wantsHelp = (argv: readonly string[]): boolean => argv.includes('--help') || argv.includes('-h');

/** What argv asks for, and the command it names (for the `--help` hint after a usage error). */
interface Invocation {
  command: string | undefined;
  run(): Promise<void>;
}

const print = (text: string) => async (): Promise<void> => void process.stdout.write(text);

function invocation(argv: readonly string[]): Invocation {
  const [first] = argv;
  if (first === '--version' || first === '-v') return { command: undefined, run: print(`${VERSION}\n`) };
  if (first === 'help' || ((first === undefined || first.startsWith('-')) && wantsHelp(argv))) return { command: undefined, run: print(overview()) };
  if (first === undefined || first === 'serve' || first.startsWith('-')) {
    const rest = first === 'serve' ? argv.slice(1) : argv;
    return { command: 'serve', run: wantsHelp(rest) ? print(SERVE_HELP) : () => serve(rest) };
  }
  if (first === 'reset') {
    const rest = argv.slice(1);
    return { command: 'reset', run: wantsHelp(rest) ? print(RESET_HELP) : () => runReset(rest) };
  }
  const { command, rest } = findCommand(argv);
  return { command: command.name, run: wantsHelp(rest) ? print(commandHelp(command)) : () => runAdmin(command, rest) };
}

function fail(error: unknown, command: string | undefined): void {
  if (error instanceof UsageError) {
    process.stderr.write(`coslocal: ${error.message}\nRun 'coslocal ${command ? `${command} ` : ''}--help' for the options.\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`coslocal: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}

try {
  const { command, run } = invocation(process.argv.slice(2));
  run().catch((error: unknown) => fail(error, command));
} catch (error) {
  fail(error, undefined);
}
