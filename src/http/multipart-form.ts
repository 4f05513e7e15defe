// Streams a multipart/form-data body (busboy): small fields are collected, the file part is handed over unread.
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { cosError } from '../errors/cos-error.ts';

/** [recommended] Bounds on what precedes the file: a COS form is a few dozen short fields and one policy. */
export const FORM_LIMITS = { fields: 100, fieldBytes: 64 * 1024, totalFieldBytes: 256 * 1024 };

export interface FormFile {
  /** The file's bytes, not yet read: whoever takes the form must consume or discard it. */
  stream: Readable;
  filename: string;
}

export interface FormUntilFile {
  /** Fields before the file part, names lower-cased (form field names are case-insensitive in COS); first value wins. */
  fields: ReadonlyMap<string, string>;
  /** Undefined when the body ended without a part named `file`. */
  file: FormFile | undefined;
  /** Reads and drops the rest of the body (the file included), for answering with an error. */
  discard(): void;
}

const malformed = (detail: string) => cosError('MalformedPOSTRequest', { detail });

/** Reads a field sent as a file part, up to the size of a field: `truncated` says it was longer. */
function readFieldPart(stream: Readable, done: (value: string, truncated: boolean) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  stream.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= FORM_LIMITS.fieldBytes) chunks.push(chunk);
  });
  stream.on('end', () => done(Buffer.concat(chunks).toString('utf8'), size > FORM_LIMITS.fieldBytes));
  // A body cut inside the part errors this stream and the parser: the parser's error answers.
  stream.on('error', () => undefined);
}

/**
 * Resolves as soon as the part named `file` starts (COS requires it last; fields after it are
 * ignored, as S3 does) or when the body ends without one.
 */
export function readFormUntilFile(req: Readable, headers: IncomingHttpHeaders, maxFileBytes: number): Promise<FormUntilFile> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers,
      limits: { fields: FORM_LIMITS.fields, fieldSize: FORM_LIMITS.fieldBytes, fileSize: maxFileBytes + 1, parts: FORM_LIMITS.fields + 2 },
    });
  } catch (error) {
    req.resume();
    return Promise.reject(malformed(error instanceof Error ? error.message : String(error)));
  }
  const fields = new Map<string, string>();
  let fieldBytes = 0;
  let settled = false;
  let file: FormFile | undefined;
  // Fields sent as file parts whose bytes are still arriving: the form is complete once they are read.
  let reading = 0;
  const discard = (): void => {
    file?.stream.resume();
    parser.removeAllListeners('file');
    parser.on('file', (_name: string, stream: Readable) => stream.resume());
    parser.on('error', () => undefined);
    req.resume();
  };
  return new Promise<FormUntilFile>((resolve, reject) => {
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      discard();
      reject(error);
    };
    const settle = (): void => {
      if (settled || reading > 0) return;
      settled = true;
      resolve({ fields, file, discard });
    };
    const addField = (name: string, value: string, truncated: boolean): void => {
      if (settled) return;
      if (truncated) return fail(malformed(`field ${name} over ${FORM_LIMITS.fieldBytes} bytes`));
      fieldBytes += name.length + value.length;
      if (fieldBytes > FORM_LIMITS.totalFieldBytes) return fail(malformed(`form fields over ${FORM_LIMITS.totalFieldBytes} bytes`));
      const lower = name.toLowerCase();
      if (!fields.has(lower)) fields.set(lower, value);
    };
    parser.on('field', (name: string, value: string, info: busboy.FieldInfo) => {
      if (!file) addField(name, value, info.nameTruncated || info.valueTruncated);
    });
    parser.on('file', (name: string, stream: Readable, info: busboy.FileInfo) => {
      if (settled || file) {
        stream.resume();
        return;
      }
      // Only the part named `file` is the file [S3, COS]; another part with a filename is a field. Python's
      // requests sends every entry of `files=` that way, as ceph s3-tests' form posts do.
      if (name.toLowerCase() !== 'file') {
        reading++;
        readFieldPart(stream, (value, truncated) => {
          reading--;
          addField(name, value, truncated);
          if (file) settle();
        });
        return;
      }
      file = { stream, filename: info.filename ?? '' };
      settle();
    });
    parser.on('fieldsLimit', () => fail(malformed(`more than ${FORM_LIMITS.fields} fields`)));
    parser.on('partsLimit', () => fail(malformed('too many parts')));
    parser.on('error', (error: unknown) => fail(malformed(error instanceof Error ? error.message : String(error))));
    // busboy closes once every part is read: no field is still arriving, and no file came.
    parser.on('close', settle);
    req.on('error', fail);
    req.pipe(parser);
  });
}
