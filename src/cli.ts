// The `coslocal` command: run the server, or manage accounts, sub-accounts and keys in a data directory.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createAccount, createKey, createSubAccount } from './admin/accounts.ts';
import { explain, explainConditions } from './admin/explain.ts';
import { issueTemporaryKey } from './admin/temporary-keys.ts';
import { attachUserPolicy } from './admin/user-policies.ts';
import { openMetadata } from './storage/sqlite/open.ts';
import { configHelp } from './config.ts';
import { serve } from './main.ts';

const HELP = `coslocal - a local Tencent Cloud COS server

Usage:
  coslocal [serve] [options]                 run the server (the default command)
  coslocal accounts list [--data-dir DIR]    list root accounts, sub-accounts and their keys
  coslocal accounts create --uin UIN --appid APPID [--name NAME] [--data-dir DIR]
  coslocal subaccounts create --owner UIN --uin UIN [--name NAME] [--data-dir DIR]
  coslocal keys create --owner UIN [--uin UIN] [--data-dir DIR]
                                             new SecretId/SecretKey for a root account (or its sub-account)
  coslocal keys list --uin UIN [--data-dir DIR]
                                             the permanent keys of a root account or sub-account
  coslocal keys delete --secret-id ID [--data-dir DIR]
                                             revoke a key (permanent or temporary); a running server
                                             refuses it within a second (InvalidAccessKeyId)
  coslocal keys temporary --owner UIN [--uin UIN] [--duration SECONDS] [--policy FILE] [--data-dir DIR]
                                             a temporary SecretId/SecretKey/token (30 min to 36 h, default
                                             1800 s), bounded by the session policy in FILE if given
  coslocal policies attach --owner UIN --uin SUB --name NAME --file FILE [--data-dir DIR]
                                             attach (or replace) a user policy of a sub-account
  coslocal policies detach --owner UIN --uin SUB --name NAME [--data-dir DIR]
  coslocal policies list --uin SUB [--data-dir DIR]
  coslocal explain --as WHO --action API --bucket BUCKET [--key KEY] [--prefix P] [--ip ADDR]
                  [--condition key=value ...] [--session-policy FILE] [--data-dir DIR]
                                             decide a hypothetical request against the live data and
                                             print the decision and its reason. WHO: anonymous, <uin>,
                                             <root>/<sub> or qcs::cam::uin/<root>:uin/<uin>
  coslocal --help

Server options (each also read from its environment variable):
${configHelp()}
  COSLOCAL_SECRET_ID / COSLOCAL_SECRET_KEY   the default account's key pair (else generated once)

The admin commands work on the data directory directly (default ./data, or COSLOCAL_DATA_DIR), beside
a running server, which sees their changes at once (a deleted key within a second).
`;

/** `--name value` pairs; `--condition` may repeat, so every flag keeps all its values. */
function flags(argv: readonly string[]): Map<string, string> & { all(name: string): string[] } {
  const all = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i] ?? '');
    if (!match?.[1]) throw new Error(`unexpected argument ${argv[i]}`);
    const value = match[2] ?? argv[++i];
    if (value === undefined) throw new Error(`--${match[1]} needs a value`);
    all.set(match[1], [...(all.get(match[1]) ?? []), value]);
  }
  const last = new Map([...all].map(([k, v]) => [k, v[v.length - 1] ?? ''])) as Map<string, string> & { all(name: string): string[] };
  last.all = (name) => all.get(name) ?? [];
  return last;
}

/** `--condition key=value` pairs, `--ip` and `--prefix` as explain's condition keys. */
function conditionFlags(f: ReturnType<typeof flags>): Map<string, string[]> {
  const pairs = f.all('condition').map((pair): [string, string] => {
    const eq = pair.indexOf('=');
    if (eq < 1) throw new Error(`--condition takes key=value; got ${pair}`);
    return [pair.slice(0, eq), pair.slice(eq + 1)];
  });
  return explainConditions({ ip: f.get('ip'), prefix: f.get('prefix'), pairs });
}

function required(f: Map<string, string>, name: string): string {
  const value = f.get(name);
  if (value === undefined) throw new Error(`--${name} is required`);
  if (['uin', 'owner', 'appid'].includes(name) && !/^\d+$/.test(value)) throw new Error(`--${name} must be numeric`);
  return value;
}

async function admin(command: string, argv: readonly string[]): Promise<void> {
  const f = flags(argv);
  const meta = await openMetadata(resolve(f.get('data-dir') ?? process.env['COSLOCAL_DATA_DIR'] ?? './data'));
  try {
    const print = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    switch (command) {
      case 'accounts list': {
        const accounts = [];
        for (const account of await meta.listAccounts()) {
          const subAccounts = [];
          for (const sub of await meta.listSubAccounts(account.uin)) {
            subAccounts.push({ ...sub, keys: await meta.listCredentials(sub.uin) });
          }
          accounts.push({ ...account, keys: await meta.listCredentials(account.uin), subAccounts });
        }
        return print({ accounts });
      }
      case 'accounts create':
        return print(await createAccount(meta, { uin: required(f, 'uin'), appid: required(f, 'appid'), name: f.get('name') ?? '' }));
      case 'subaccounts create':
        return print(await createSubAccount(meta, required(f, 'owner'), required(f, 'uin'), f.get('name') ?? ''));
      case 'keys create': {
        const owner = required(f, 'owner');
        return print(await createKey(meta, owner, f.get('uin') ?? owner));
      }
      case 'keys list':
        return print({ keys: await meta.listCredentials(required(f, 'uin')) });
      case 'keys delete': {
        const secretId = required(f, 'secret-id');
        const key = await meta.tx(async (tx) => {
          const found = await tx.getCredential(secretId);
          if (found) await tx.deleteCredential(secretId);
          return found;
        });
        if (!key) throw new Error(`no key ${secretId}`);
        return print({ deleted: { secretId, uin: key.uin } });
      }
      case 'keys temporary': {
        const owner = required(f, 'owner');
        const policy = f.get('policy');
        return print(
          await issueTemporaryKey(meta, {
            ownerUin: owner,
            uin: f.get('uin') ?? owner,
            durationSeconds: Number(f.get('duration') ?? 1800),
            ...(policy !== undefined && { policy: readFileSync(policy, 'utf8') }),
            now: Math.floor(Date.now() / 1000),
          }),
        );
      }
      case 'policies attach': {
        const policy = { uin: required(f, 'uin'), name: required(f, 'name'), document: readFileSync(required(f, 'file'), 'utf8') };
        await meta.tx((tx) => attachUserPolicy(tx, required(f, 'owner'), policy));
        return print({ attached: { uin: policy.uin, name: policy.name } });
      }
      case 'policies detach': {
        const [uin, name] = [required(f, 'uin'), required(f, 'name')];
        const sub = await meta.getSubAccount(uin);
        if (sub?.ownerUin !== required(f, 'owner')) throw new Error(`no sub-account ${uin} under ${f.get('owner') ?? ''}`);
        if (!(await meta.tx((tx) => tx.deleteUserPolicy(uin, name)))) throw new Error(`sub-account ${uin} has no policy ${name}`);
        return print({ detached: { uin, name } });
      }
      case 'policies list':
        return print({ policies: (await meta.listUserPolicies(required(f, 'uin'))).map((p) => ({ name: p.name, policy: JSON.parse(p.document) as unknown })) });
      case 'explain': {
        const key = f.get('key');
        const prefix = f.get('prefix');
        const session = f.get('session-policy');
        return print(
          await explain(meta, {
            as: required(f, 'as'),
            action: required(f, 'action'),
            bucket: required(f, 'bucket'),
            ...(key !== undefined && { key }),
            ...(prefix !== undefined && { prefix }),
            conditions: conditionFlags(f),
            ...(session !== undefined && { sessionPolicy: readFileSync(session, 'utf8') }),
            now: Date.now(),
          }),
        );
      }
      default:
        throw new Error(`unknown command "${command}"; see coslocal --help`);
    }
  } finally {
    await meta.close();
  }
}

async function main(argv: readonly string[]): Promise<void> {
  const [first, second] = argv;
  if (first === '--help' || first === '-h' || first === 'help' || argv.includes('--help')) {
    process.stdout.write(HELP);
    return;
  }
  if (first === undefined || first === 'serve' || first.startsWith('--')) {
    await serve(first === 'serve' ? argv.slice(1) : argv);
    return;
  }
  if (first === 'explain') await admin('explain', argv.slice(1));
  else await admin(`${first} ${second ?? ''}`.trim(), argv.slice(2));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`coslocal: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
