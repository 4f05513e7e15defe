// SELECT Object Content through cos-nodejs-sdk-v5 (selectObjectContent/-Stream, as its own test group
// calls them) and @aws-sdk/client-s3 (SelectObjectContentCommand): CSV with a header, JSON LINES and
// DOCUMENT, GZIP, aggregates, COS's errors before and after the 200, and nothing for a denied caller.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { SelectObjectContentCommand, type SelectObjectContentEventStream } from '@aws-sdk/client-s3';
import { errorOf, send } from '../helpers/raw.ts';
import { s3Client } from '../helpers/s3.ts';
import { codeOf, OTHER, OWNER, startTestServer, uniqueBucket, type TestServer } from '../helpers/server.ts';

let server: TestServer;
const Bucket = uniqueBucket();
let Region = '';

const PEOPLE = 'name,age,city\nalice,34,Paris\nbob,27,"New York, NY"\ncarol,41,Lima\ndave,19,Oslo\n';

before(async () => {
  server = await startTestServer();
  Region = server.region;
  const cos = server.sdk();
  await cos.putBucket({ Bucket, Region });
  await cos.putObject({ Bucket, Region, Key: 'people.csv', Body: PEOPLE });
  await cos.putObject({ Bucket, Region, Key: 'people.csv.gz', Body: gzipSync(PEOPLE) });
  const lines = Array.from({ length: 100 }, (_, i) => JSON.stringify({ name: 'cos', age: String(900 + i) })).join('\n');
  await cos.putObject({ Bucket, Region, Key: 'lines.json', Body: lines });
});
after(() => server.close());

const csvRequest = (Expression: string, extra: Record<string, unknown> = {}) => ({
  Expression,
  ExpressionType: 'SQL',
  InputSerialization: { CSV: { FileHeaderInfo: 'USE', RecordDelimiter: '\n', FieldDelimiter: ',' }, ...extra },
  OutputSerialization: { CSV: { RecordDelimiter: '\n' } },
});

async function select(Key: string, SelectRequest: Record<string, unknown>): Promise<string> {
  const result = await server.sdk().selectObjectContent({ Bucket, Region, Key, SelectType: 2, SelectRequest });
  return result.Payload?.toString() ?? '';
}

describe('SELECT Object Content through cos-nodejs-sdk-v5', () => {
  it("passes the SDK's own select group: a JSON DOCUMENT comes back as it is; a broken one is an error", async () => {
    const cos = server.sdk();
    const selectJsonOpt = {
      Bucket,
      Region,
      Key: '1.json',
      SelectType: 2,
      SelectRequest: {
        Expression: 'Select * from COSObject',
        ExpressionType: 'SQL',
        InputSerialization: { JSON: { Type: 'DOCUMENT' } },
        OutputSerialization: { JSON: { RecordDelimiter: '\n' } },
        RequestProgress: { Enabled: 'FALSE' },
      },
    };
    // The SDK pipes its parser into itself (sdk/base.js: outputStream.pipe(outputStream)), so the records
    // it decodes are fed back into it and it loses the Stats message after them: Payload is what it returns.
    const content = `{"a":123,"b":"${Date.now()}","c":{"d":456}}`;
    await cos.putObject({ Bucket, Region, Key: '1.json', Body: content });
    const data = await cos.selectObjectContent(selectJsonOpt);
    assert.equal(data.Payload?.toString(), content + '\n');

    const chunks: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      cos
        .selectObjectContentStream(selectJsonOpt, (err) => (err ? reject(err) : resolve()))
        .pipe(new Writable({ write: (chunk: Buffer, _encoding, done) => (chunks.push(chunk), done()) }));
    });
    assert.equal(Buffer.concat(chunks).toString(), content + '\n');

    await cos.putObject({ Bucket, Region, Key: '1.json', Body: content.slice(0, -1) });
    assert.equal(await codeOf(cos.selectObjectContent(selectJsonOpt)), 'JSONParsingError');
  });

  it('selects columns of a CSV with a header by name, alias and position, with WHERE', async () => {
    const rows = await select('people.csv', csvRequest("SELECT s.name, _3 FROM COSObject s WHERE CAST(s.age AS INT) > 30 AND s.city <> 'Lima'"));
    assert.equal(rows, 'alice,Paris\n');
    assert.equal(await select('people.csv', csvRequest("select name, city from COSObject where name like '%o%' or age < 20 and city = 'Oslo'")), 'bob,"New York, NY"\ncarol,Lima\ndave,Oslo\n');
    assert.equal(await select('people.csv', csvRequest('select upper(name), char_length(city) from COSObject limit 2')), 'ALICE,5\nBOB,12\n');
  });

  it('reads a GZIP object as its CSV', async () => {
    const rows = await select('people.csv.gz', csvRequest("select name from COSObject where city in ('Lima', 'Oslo')", { CompressionType: 'GZIP' }));
    assert.equal(rows, 'carol\ndave\n');
  });

  it('answers aggregates with one record', async () => {
    const rows = await select('people.csv', csvRequest('select count(*), sum(cast(age as int)), avg(age), min(age), max(name) from COSObject'));
    assert.equal(rows, '4,121,30.25,19,dave\n');
    assert.equal(await select('people.csv', csvRequest("select count(*) from COSObject where city = 'Nowhere'")), '0\n');
  });

  it('reads JSON LINES and writes CSV (the Python SDK test_select_object request)', async () => {
    const rows = await select('lines.json', {
      Expression: 'Select * from COSObject',
      ExpressionType: 'SQL',
      InputSerialization: { CompressionType: 'NONE', JSON: { Type: 'LINES' } },
      OutputSerialization: { CSV: { RecordDelimiter: '\n' } },
    });
    const lines = rows.split('\n');
    assert.equal(lines.length, 101);
    assert.equal(lines[0], 'cos,900');
    assert.equal(lines[99], 'cos,999');
  });

  it('refuses SQL it cannot parse or does not support with 400 and COS codes', async () => {
    assert.equal(await codeOf(select('people.csv', csvRequest('SELEC name FROM COSObject'))), 'ParseUnexpectedToken');
    assert.equal(await codeOf(select('people.csv', csvRequest('SELECT name FROM COSObject ORDER BY name'))), 'UnsupportedSqlStructure');
    assert.equal(await codeOf(select('people.csv', csvRequest('SELECT name FROM other'))), 'UnsupportedSqlStructure');
    assert.equal(await codeOf(select('people.csv', csvRequest('SELECT md5(name) FROM COSObject'))), 'UnsupportedFunction');
    const noHeader = { ...csvRequest('SELECT name FROM COSObject'), InputSerialization: { CSV: { FileHeaderInfo: 'NONE' } } };
    assert.equal(await codeOf(select('people.csv', noHeader)), 'MissingHeaders');
  });

  it('gives a caller without read permission AccessDenied and no records; a missing key stays hidden from it', async () => {
    const other = server.sdk(OTHER);
    const request = { Bucket, Region, SelectType: 2, SelectRequest: csvRequest('select * from COSObject') };
    const denied = await other.selectObjectContent({ ...request, Key: 'people.csv' }).catch((error: { code?: string; Payload?: unknown }) => error);
    assert.equal((denied as { code?: string }).code, 'AccessDenied');
    assert.equal((denied as { Payload?: unknown }).Payload, undefined);
    assert.equal(await codeOf(other.selectObjectContent({ ...request, Key: 'absent.csv' })), 'AccessDenied');
    assert.equal(await codeOf(server.sdk().selectObjectContent({ ...request, Key: 'absent.csv' })), 'NoSuchKey');
  });
});

describe('SELECT Object Content through @aws-sdk/client-s3', () => {
  async function events(Key: string, Expression: string, extra: Record<string, unknown> = {}): Promise<SelectObjectContentEventStream[]> {
    const out = await s3Client(server).send(
      new SelectObjectContentCommand({
        Bucket,
        Key,
        Expression,
        ExpressionType: 'SQL',
        InputSerialization: { JSON: { Type: 'LINES' } },
        OutputSerialization: { JSON: {} },
        ...extra,
      }),
    );
    const seen: SelectObjectContentEventStream[] = [];
    for await (const event of out.Payload ?? []) seen.push(event);
    return seen;
  }

  it('streams Records, Progress when asked, Stats and End', async () => {
    const seen = await events('lines.json', "select s.age as a from COSObject s where s.age between '990' and '992'", { RequestProgress: { Enabled: true } });
    const records = seen.flatMap((event) => (event.Records?.Payload ? [Buffer.from(event.Records.Payload).toString()] : [])).join('');
    assert.equal(records, '{"a":"990"}\n{"a":"991"}\n{"a":"992"}\n');
    assert.ok(seen.some((event) => event.Progress), 'a Progress event');
    const stats = seen.find((event) => event.Stats)?.Stats?.Details;
    assert.equal(stats?.BytesReturned, Buffer.byteLength(records));
    assert.ok(seen.at(-1)?.End, 'End comes last');
  });

  it("counts a GZIP object's compressed bytes as scanned and its CSV as processed", async () => {
    const seen = await events('people.csv.gz', 'select count(*) from COSObject', {
      InputSerialization: { CompressionType: 'GZIP', CSV: { FileHeaderInfo: 'USE' } },
      OutputSerialization: { CSV: {} },
    });
    const stats = seen.find((event) => event.Stats)?.Stats?.Details;
    assert.equal(stats?.BytesScanned, gzipSync(PEOPLE).length);
    assert.equal(stats?.BytesProcessed, Buffer.byteLength(PEOPLE));
    assert.equal(stats?.BytesReturned, 2);
  });

  it('sends a failure after the 200 as an error message in the stream', async () => {
    // More than one Records chunk (64 KiB) of good lines, then a broken one.
    const good = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ i, pad: 'x'.repeat(20) })).join('\n');
    await server.sdk().putObject({ Bucket, Region, Key: 'late-error.json', Body: `${good}\n{"broken": \n` });
    await assert.rejects(events('late-error.json', 'select * from COSObject'), (error: Error) => error.name === 'JSONParsingError');
  });

  it('reads the object as a stream: LIMIT stops the scan long before the end of a large object', async () => {
    const line = JSON.stringify({ pad: 'y'.repeat(100) });
    const body = Array.from({ length: 80_000 }, () => line).join('\n');
    await server.sdk().putObject({ Bucket, Region, Key: 'large.json', Body: body });
    const seen = await events('large.json', 'select * from COSObject limit 2');
    const records = seen.flatMap((event) => (event.Records?.Payload ? [Buffer.from(event.Records.Payload).toString()] : [])).join('');
    assert.equal(records.split('\n').length, 3);
    const scanned = seen.find((event) => event.Stats)?.Stats?.Details?.BytesScanned ?? Infinity;
    assert.ok(scanned < body.length / 2, `scanned ${scanned} of ${body.length} bytes`);
  });

  it('selects from the version versionId names', async () => {
    const versioned = await server.newBucket();
    const cos = server.sdk();
    await cos.putBucketVersioning({ Bucket: versioned, Region, VersioningConfiguration: { Status: 'Enabled' } });
    const first = await cos.putObject({ Bucket: versioned, Region, Key: 'v.json', Body: '{"v":1}' });
    await cos.putObject({ Bucket: versioned, Region, Key: 'v.json', Body: '{"v":2}' });
    const out = await s3Client(server).send(
      new SelectObjectContentCommand({
        Bucket: versioned,
        Key: 'v.json',
        Expression: 'select s.v from COSObject s',
        ExpressionType: 'SQL',
        InputSerialization: { JSON: { Type: 'DOCUMENT' } },
        OutputSerialization: { CSV: {} },
      }),
    );
    let records = '';
    for await (const event of out.Payload ?? []) records += event.Records?.Payload ? Buffer.from(event.Records.Payload).toString() : '';
    assert.equal(records, '2\n');
    const old = await cos.selectObjectContent({
      Bucket: versioned,
      Region,
      Key: 'v.json',
      VersionId: first.VersionId ?? '',
      SelectType: 2,
      SelectRequest: { Expression: 'select s.v from COSObject s', ExpressionType: 'SQL', InputSerialization: { JSON: { Type: 'DOCUMENT' } }, OutputSerialization: { CSV: {} } },
    });
    assert.equal(old.Payload?.toString(), '1\n');
  });

  it('refuses a bad request with the COS codes, before any stream', async () => {
    const post = (body: string) => send(server.hostPort, { method: 'POST', url: `/${Bucket}/people.csv?select&select-type=2`, body, signAs: OWNER });
    const wrap = (inner: string) => `<SelectRequest>${inner}</SelectRequest>`;
    const io = '<InputSerialization><CSV/></InputSerialization><OutputSerialization><CSV/></OutputSerialization>';
    const cases: [string, string][] = [
      [wrap(`<Expression>select * from COSObject</Expression><ExpressionType>XPATH</ExpressionType>${io}`), 'InvalidExpressionType'],
      [wrap(`<ExpressionType>SQL</ExpressionType>${io}`), 'MissingRequiredParameter'],
      [wrap(`<Expression>select * from COSObject</Expression><ExpressionType>SQL</ExpressionType><InputSerialization><CSV><FileHeaderInfo>FIRST</FileHeaderInfo></CSV></InputSerialization><OutputSerialization><CSV/></OutputSerialization>`), 'InvalidFileHeaderInfo'],
      [wrap(`<Expression>select * from COSObject</Expression><ExpressionType>SQL</ExpressionType><InputSerialization><CSV/><JSON/></InputSerialization><OutputSerialization><CSV/></OutputSerialization>`), 'ObjectSerializationConflict'],
      ['<Select/>', 'MalformedXML'],
    ];
    for (const [body, code] of cases) {
      const res = await post(body);
      assert.equal(res.status, 400, res.text);
      assert.equal(errorOf(res)['Code'], code);
      assert.ok(errorOf(res)['RequestId']);
    }
    const good = wrap(`<Expression>select * from COSObject</Expression><ExpressionType>SQL</ExpressionType>${io}`);
    const wrongMd5 = await send(server.hostPort, {
      method: 'POST',
      url: `/${Bucket}/people.csv?select&select-type=2`,
      body: good,
      headers: { 'content-md5': createHash('md5').update('other').digest('base64') },
      signAs: OWNER,
    });
    assert.equal(errorOf(wrongMd5)['Code'], 'BadDigest');
    const noType = await send(server.hostPort, { method: 'POST', url: `/${Bucket}/people.csv?select`, body: good, signAs: OWNER });
    assert.equal(errorOf(noType)['Code'], 'InvalidArgument');
  });
});
