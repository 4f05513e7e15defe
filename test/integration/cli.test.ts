// The coslocal command: --help, --version, usage errors, and the account/sub-account/key admin commands against a data directory.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, it } from 'node:test';
import { freshDatabase } from '../helpers/postgres.ts';
import { onDiskOnly, TEST_ENGINE } from '../helpers/server.ts';

const run = promisify(execFile);
const dataDir = await mkdtemp(join(tmpdir(), 'coslocal-cli-'));
after(() => rm(dataDir, { recursive: true, force: true }));
/** The store the admin commands work on: the data directory's, or a PostgreSQL database (--metadata). */
const store = TEST_ENGINE === 'postgres' ? ['--metadata', await freshDatabase()] : ['--data-dir', dataDir];

const coslocal = async (...args: string[]): Promise<string> => (await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args, ...store])).stdout;

/** Runs the command as typed, failing or not: exit code, stdout, stderr. */
async function invoke(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    return { code: 0, ...(await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args])) };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

it('prints help', async () => {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', '--help']);
  for (const word of ['--port', '--data-dir', '--seed', 'COSLOCAL_SECRET_ID', 'accounts create', 'keys create', 'coslocal <command> --help']) assert.ok(stdout.includes(word), word);
});

it('prints the package version', async () => {
  const { version } = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
  assert.deepEqual(await invoke('--version'), { code: 0, stdout: `${version}\n`, stderr: '' });
});

it("prints a command's own help, and runs nothing", async () => {
  const emptyDir = await mkdtemp(join(tmpdir(), 'coslocal-cli-help-'));
  try {
    const keys = await invoke('keys', 'create', '--owner', '100000000001', '--help', '--data-dir', emptyDir);
    assert.equal(keys.code, 0);
    assert.match(keys.stdout, /^Usage: coslocal keys create --owner UIN \[--uin UIN\] \[--data-dir DIR\] \[--metadata URL\]\n/);
    assert.match(keys.stdout, /--metadata URL +the server's PostgreSQL metadata database/);
    assert.match(keys.stdout, /--uin UIN +one of its sub-accounts/);
    assert.deepEqual(await readdir(emptyDir), [], 'no data directory opened');
    const serve = await invoke('serve', '--help');
    assert.match(serve.stdout, /^Usage: coslocal \[serve\] \[options\]/);
    assert.match(serve.stdout, /--idle-timeout/);
    assert.doesNotMatch(serve.stdout, /accounts create/);
  } finally {
    await rm(emptyDir, { recursive: true, force: true });
  }
});

it('refuses a wrong command line with the nearest names and exit status 2, before touching the data directory', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['keys', 'craete', '--owner', '100000000001'], /unknown command "keys craete" \(did you mean keys create or keys delete\?\)\nRun 'coslocal --help'/],
    [['--prot', '0'], /unknown option --prot \(did you mean --port\?\)\nRun 'coslocal serve --help'/],
    [['serve', '--port'], /--port needs a value/],
    [['serve', '--strict-cos-s3=maybe'], /bad --strict-cos-s3=maybe: true or false/],
    [['keys', 'list', '--uin', 'abc'], /--uin must be numeric\nRun 'coslocal keys list --help'/],
    [['keys', 'list', '--uin', '--data-dir', dataDir], /--uin needs a value/],
    [['keys', 'create', '--uin', '100000000011'], /--owner is required/],
    [['accounts', 'list', 'extra'], /unexpected argument extra/],
  ];
  for (const [args, message] of cases) {
    const { code, stdout, stderr } = await invoke(...args);
    assert.equal(code, 2, args.join(' '));
    assert.equal(stdout, '', args.join(' '));
    assert.match(stderr, message, args.join(' '));
  }
});

it('creates accounts, sub-accounts and keys, and lists them', async () => {
  const account = JSON.parse(await coslocal('accounts', 'create', '--uin', '100000000005', '--appid', '1250000005', '--name', 'five')) as { secretId: string };
  assert.match(account.secretId, /^AKID[A-Za-z0-9]{32}$/);
  const sub = JSON.parse(await coslocal('subaccounts', 'create', '--owner', '100000000005', '--uin', '100000000055', '--name', 'dev')) as { uin: string };
  assert.equal(sub.uin, '100000000055');
  const key = JSON.parse(await coslocal('keys', 'create', '--owner', '100000000005')) as { uin: string };
  assert.equal(key.uin, '100000000005');
  const listed = JSON.parse(await coslocal('accounts', 'list')) as { accounts: Array<{ uin: string; keys: unknown[]; subAccounts: Array<{ uin: string; keys: unknown[] }> }> };
  const five = listed.accounts.find((a) => a.uin === '100000000005');
  assert.equal(five?.keys.length, 2);
  assert.equal(five?.subAccounts[0]?.uin, '100000000055');
  assert.equal(five?.subAccounts[0]?.keys.length, 1);
  await assert.rejects(coslocal('keys', 'create', '--owner', '100000000005', '--uin', '999'), /no sub-account/);
});

it('explains an allowed and a denied request against the live data', { skip: onDiskOnly('the CLI on a data directory') }, async () => {
  const { startTestServer, OWNER, OTHER, uniqueBucket } = await import('../helpers/server.ts');
  const { send } = await import('../helpers/raw.ts');
  const server = await startTestServer();
  try {
    const bucket = uniqueBucket();
    assert.equal((await send(server.hostPort, { method: 'PUT', url: `/${bucket}/`, signAs: OWNER })).status, 200);
    const policy = JSON.stringify({
      version: '2.0',
      statement: [
        {
          sid: 'partner-reads-docs',
          principal: { qcs: [`qcs::cam::uin/${OTHER.uin}:uin/${OTHER.uin}`] },
          effect: 'allow',
          action: ['name/cos:GetObject'],
          resource: [`qcs::cos:${server.region}:uid/${OWNER.appid}:${bucket}/docs/*`],
          condition: { ip_equal: { 'qcs:ip': ['10.0.0.0/8'] } },
        },
      ],
    });
    assert.equal((await send(server.hostPort, { method: 'PUT', url: `/${bucket}/?policy`, body: policy, signAs: OWNER })).status, 204);
    const explainAs = async (...extra: string[]) =>
      JSON.parse(
        (await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'explain', '--as', OTHER.uin, '--action', 'GetObject', '--bucket', bucket, ...server.storeArgs, ...extra])).stdout,
      ) as { action: string; decision: { effect: string; reason: string } };
    const allowed = await explainAs('--key', 'docs/a.txt', '--ip', '10.1.2.3');
    assert.equal(allowed.decision.effect, 'allow');
    assert.match(allowed.decision.reason, /partner-reads-docs/);
    const deniedIp = await explainAs('--key', 'docs/a.txt', '--ip', '192.168.1.1');
    assert.equal(deniedIp.decision.effect, 'deny');
    assert.match(deniedIp.decision.reason, /no policy statement allows/);

    // S3 action names are decided as the COS action they cover.
    const s3 = await explainAs('--key', 'docs/a.txt', '--ip', '10.1.2.3', '--action', 's3:GetObject');
    assert.deepEqual([s3.action, s3.decision.effect], ['name/cos:GetObject', 'allow']);
  } finally {
    await server.close();
  }
});

it('refuses to explain a misspelt action or a missing bucket instead of answering a plain deny', async () => {
  const explainRaw = (action: string) => invoke('explain', '--as', 'anonymous', '--action', action, '--bucket', 'nosuchbucket-1250000000', '--data-dir', dataDir);
  assert.deepEqual(await explainRaw('GetObjekt'), { code: 1, stdout: '', stderr: 'coslocal: unknown action GetObjekt (did you mean GetObject or PutObject?)\n' });
  assert.deepEqual(await explainRaw('GetObject'), { code: 1, stdout: '', stderr: 'coslocal: no bucket nosuchbucket-1250000000\n' });
});
