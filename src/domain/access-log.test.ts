import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatAccessLog, logObjectKey, logPeriodOf, type AccessLogRecord } from './access-log.ts';

const RECORD: AccessLogRecord = {
  bucket: 'examplebucket-1250000000',
  region: 'ap-beijing',
  endedAt: Date.parse('2018-12-01T11:02:33.456Z'),
  host: 'examplebucket-1250000000.cos.ap-beijing.myqcloud.com',
  operation: 'UploadPart',
  remoteIp: '192.168.0.1',
  secretId: 'AKIDexample',
  requestBytes: 83886080,
  path: '/folder/text.txt',
  method: 'PUT',
  userAgent: 'cos-go-sdk-v5.2.9',
  status: 404,
  errorCode: 'NoSuchKey',
  errorMessage: 'The specified key does not exist.',
  responseBytes: 197,
  totalMs: 4295.4,
  accountId: '100000000001',
  requester: '100000000001:100000000001',
  requestId: 'NWQ1M2Y3Y2M=',
  requestUri: '/folder/text.txt?partNumber=1&uploadId=x',
};

test('a line holds the documented fields in order, absent ones as -', () => {
  assert.equal(
    formatAccessLog(RECORD),
    '1.0 examplebucket-1250000000 ap-beijing 2018-12-01T11:02:33Z examplebucket-1250000000.cos.ap-beijing.myqcloud.com UploadPart 192.168.0.1 AKIDexample - 83886080 - /folder/text.txt put cos-go-sdk-v5.2.9 404 NoSuchKey The%20specified%20key%20does%20not%20exist. 197 4295 USER - 100000000001 4295 100000000001:100000000001 NWQ1M2Y3Y2M= - - - - /folder/text.txt?partNumber=1&uploadId=x',
  );
});

test('a value never splits into two fields, and its encoding can be undone', () => {
  const line = formatAccessLog({ ...RECORD, userAgent: 'Mozilla/5.0 (X11; 100%)\n', path: '/键 a' });
  const fields = line.split(' ');
  assert.equal(fields.length, 30);
  assert.equal(decodeURIComponent(fields[13] ?? ''), 'Mozilla/5.0 (X11; 100%)\n');
  assert.equal(decodeURIComponent(fields[11] ?? ''), '/键 a');
});

test('log files are named by their period under the prefix; the same lines give the same name', () => {
  const period = logPeriodOf(Date.parse('2018-12-01T11:04:59.999Z'));
  assert.equal(period, Date.parse('2018-12-01T11:00:00Z'));
  const key = logObjectKey('logs/', RECORD.bucket, period, 7);
  assert.match(key, /^logs\/2018\/12\/01\/20181201110000_[0-9a-f]{8}_0$/);
  assert.equal(logObjectKey('logs/', RECORD.bucket, period, 7), key);
  assert.notEqual(logObjectKey('logs/', RECORD.bucket, period, 8), key, 'another batch of lines, another file');
  assert.notEqual(logObjectKey('logs/', 'other-1250000000', period, 7), key, 'another source bucket, another file');
});
