// The admin commands of `coslocal`: accounts, sub-accounts, keys, user policies and explain, on a data directory.
import { readFileSync } from 'node:fs';
import { createAccount, createKey, createSubAccount } from '../admin/accounts.ts';
import { explain, explainConditions } from '../admin/explain.ts';
import { issueTemporaryKey } from '../admin/temporary-keys.ts';
import { attachUserPolicy } from '../admin/user-policies.ts';
import type { MetadataStore } from '../storage/metadata.ts';
import { UsageError, type FlagSpec, type Flags } from './flags.ts';

export interface AdminCommand {
  /** The words that select it: `keys create`. */
  name: string;
  /** What it does, for `--help` (may wrap). */
  summary: string;
  flags: readonly FlagSpec[];
  /** The result, printed as JSON. */
  run(meta: MetadataStore, f: Flags): Promise<unknown>;
}

const uin = (name: string, help: string, required?: true): FlagSpec => ({ name, value: 'UIN', help, numeric: true, ...(required && { required }) });
const OWNER = uin('owner', 'the root account', true);
const OF_ROOT = uin('uin', 'one of its sub-accounts (default: the root account itself)');
const SUB_ACCOUNT = uin('uin', 'the sub-account', true);
const POLICY_NAME: FlagSpec = { name: 'name', value: 'NAME', help: "the policy's name", required: true };

/** `--condition key=value` pairs, `--ip` and `--prefix` as explain's condition keys. */
function conditionFlags(f: Flags): Map<string, string[]> {
  const pairs = f.all('condition').map((pair): [string, string] => {
    const eq = pair.indexOf('=');
    if (eq < 1) throw new UsageError(`--condition takes key=value; got ${pair}`);
    return [pair.slice(0, eq), pair.slice(eq + 1)];
  });
  return explainConditions({ ip: f.get('ip'), prefix: f.get('prefix'), pairs });
}

export const ADMIN_COMMANDS: readonly AdminCommand[] = [
  {
    name: 'accounts list',
    summary: 'list root accounts, sub-accounts and their keys',
    flags: [],
    async run(meta) {
      const accounts = [];
      for (const account of await meta.listAccounts()) {
        const subAccounts = [];
        for (const sub of await meta.listSubAccounts(account.uin)) subAccounts.push({ ...sub, keys: await meta.listCredentials(sub.uin) });
        accounts.push({ ...account, keys: await meta.listCredentials(account.uin), subAccounts });
      }
      return { accounts };
    },
  },
  {
    name: 'accounts create',
    summary: 'create a root account with a first key pair',
    flags: [uin('uin', 'its uin', true), { name: 'appid', value: 'APPID', help: 'its APPID (bucket names end with -APPID)', required: true, numeric: true }, { name: 'name', value: 'NAME', help: 'a display name' }],
    run: (meta, f) => createAccount(meta, { uin: f.required('uin'), appid: f.required('appid'), name: f.get('name') ?? '' }),
  },
  {
    name: 'subaccounts create',
    summary: 'create a sub-account of a root account, with a first key pair',
    flags: [OWNER, uin('uin', "the sub-account's uin", true), { name: 'name', value: 'NAME', help: 'a display name' }],
    run: (meta, f) => createSubAccount(meta, f.required('owner'), f.required('uin'), f.get('name') ?? ''),
  },
  {
    name: 'keys create',
    summary: 'a new SecretId/SecretKey for a root account (or its sub-account)',
    flags: [OWNER, OF_ROOT],
    run: (meta, f) => createKey(meta, f.required('owner'), f.get('uin') ?? f.required('owner')),
  },
  {
    name: 'keys list',
    summary: 'the permanent keys of a root account or sub-account',
    flags: [uin('uin', 'the account or sub-account', true)],
    run: async (meta, f) => ({ keys: await meta.listCredentials(f.required('uin')) }),
  },
  {
    name: 'keys delete',
    summary: 'revoke a key (permanent or temporary); a running server refuses it within a second (InvalidAccessKeyId)',
    flags: [{ name: 'secret-id', value: 'ID', help: 'the SecretId', required: true }],
    async run(meta, f) {
      const secretId = f.required('secret-id');
      const key = await meta.tx(async (tx) => {
        const found = await tx.getCredential(secretId);
        if (found) await tx.deleteCredential(secretId);
        return found;
      });
      if (!key) throw new Error(`no key ${secretId}`);
      return { deleted: { secretId, uin: key.uin } };
    },
  },
  {
    name: 'keys temporary',
    summary: 'a temporary SecretId/SecretKey/token (30 min to 36 h), bounded by the session policy in FILE if given',
    flags: [
      OWNER,
      OF_ROOT,
      { name: 'duration', value: 'SECONDS', help: 'how long it is valid (default 1800)', numeric: true },
      { name: 'policy', value: 'FILE', help: 'a session policy (JSON)' },
    ],
    run(meta, f) {
      const policy = f.get('policy');
      return issueTemporaryKey(meta, {
        ownerUin: f.required('owner'),
        uin: f.get('uin') ?? f.required('owner'),
        durationSeconds: Number(f.get('duration') ?? 1800),
        ...(policy !== undefined && { policy: readFileSync(policy, 'utf8') }),
        now: Math.floor(Date.now() / 1000),
      });
    },
  },
  {
    name: 'policies attach',
    summary: 'attach (or replace) a user policy of a sub-account',
    flags: [OWNER, SUB_ACCOUNT, POLICY_NAME, { name: 'file', value: 'FILE', help: 'the policy document (JSON)', required: true }],
    async run(meta, f) {
      const policy = { uin: f.required('uin'), name: f.required('name'), document: readFileSync(f.required('file'), 'utf8') };
      await meta.tx((tx) => attachUserPolicy(tx, f.required('owner'), policy));
      return { attached: { uin: policy.uin, name: policy.name } };
    },
  },
  {
    name: 'policies detach',
    summary: 'detach a user policy from a sub-account',
    flags: [OWNER, SUB_ACCOUNT, POLICY_NAME],
    async run(meta, f) {
      const [owner, sub, name] = [f.required('owner'), f.required('uin'), f.required('name')];
      if ((await meta.getSubAccount(sub))?.ownerUin !== owner) throw new Error(`no sub-account ${sub} under ${owner}`);
      if (!(await meta.tx((tx) => tx.deleteUserPolicy(sub, name)))) throw new Error(`sub-account ${sub} has no policy ${name}`);
      return { detached: { uin: sub, name } };
    },
  },
  {
    name: 'policies list',
    summary: 'the user policies of a sub-account',
    flags: [SUB_ACCOUNT],
    run: async (meta, f) => ({
      policies: (await meta.listUserPolicies(f.required('uin'))).map((p) => ({ name: p.name, policy: JSON.parse(p.document) as unknown })),
    }),
  },
  {
    name: 'explain',
    summary: [
      'decide a hypothetical request against the live data and print the decision and its reason.',
      'ACTION: a COS action (GetObject, name/cos:GetObject), an operation (ListObjectsV2) or an S3',
      'action (s3:ListBucket, decided as the first COS action it covers: GetBucket).',
    ].join('\n'),
    flags: [
      { name: 'as', value: 'WHO', help: 'anonymous, <uin>, <root>/<sub> or qcs::cam::uin/<root>:uin/<uin>', required: true },
      { name: 'action', value: 'ACTION', help: 'what the request does (above)', required: true },
      { name: 'bucket', value: 'BUCKET', help: 'an existing bucket', required: true },
      { name: 'key', value: 'KEY', help: 'the object key, for object actions' },
      { name: 'prefix', value: 'P', help: 'the listing prefix (cos:prefix)' },
      { name: 'ip', value: 'ADDR', help: 'the client address (qcs:ip, default 127.0.0.1)' },
      { name: 'condition', value: 'KEY=VALUE', help: 'another condition key', multiple: true },
      { name: 'session-policy', value: 'FILE', help: 'as made with a temporary key issued with this session policy' },
      { name: 'referer', value: 'URL', help: "the Referer header, checked against the bucket's hotlink protection" },
    ],
    run(meta, f) {
      const [key, prefix, session, referer] = [f.get('key'), f.get('prefix'), f.get('session-policy'), f.get('referer')];
      return explain(meta, {
        as: f.required('as'),
        action: f.required('action'),
        bucket: f.required('bucket'),
        ...(key !== undefined && { key }),
        ...(prefix !== undefined && { prefix }),
        conditions: conditionFlags(f),
        ...(session !== undefined && { sessionPolicy: readFileSync(session, 'utf8') }),
        ...(referer !== undefined && { referer }),
        now: Date.now(),
      });
    },
  },
];
