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

/**
 * Resolves as soon as the part named `file` starts (COS requires it last; fields after it are
 * ignored, as S3 does) or when the body ends without one. Other file parts are an error: a COS form
 * uploads exactly one file.
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
    parser.on('field', (name: string, value: string, info: busboy.FieldInfo) => {
      if (settled) return;
      if (info.nameTruncated || info.valueTruncated) return fail(malformed(`field ${name} over ${FORM_LIMITS.fieldBytes} bytes`));
      fieldBytes += name.length + value.length;
      if (fieldBytes > FORM_LIMITS.totalFieldBytes) return fail(malformed(`form fields over ${FORM_LIMITS.totalFieldBytes} bytes`));
      const lower = name.toLowerCase();
      if (!fields.has(lower)) fields.set(lower, value);
    });
    parser.on('file', (name: string, stream: Readable, info: busboy.FileInfo) => {
      if (settled) {
        stream.resume();
        return;
      }
      if (name.toLowerCase() !== 'file') {
        stream.resume();
        return fail(cosError('IncorrectNumberOfFilesInPostRequest', { detail: `file part named ${name}` }));
      }
      settled = true;
      file = { stream, filename: info.filename ?? '' };
      resolve({ fields, file, discard });
    });
    parser.on('fieldsLimit', () => fail(malformed(`more than ${FORM_LIMITS.fields} fields`)));
    parser.on('partsLimit', () => fail(malformed('too many parts')));
    parser.on('error', (error: unknown) => fail(malformed(error instanceof Error ? error.message : String(error))));
    parser.on('close', () => {
      if (settled) return;
      settled = true;
      resolve({ fields, file: undefined, discard });
    });
    req.on('error', fail);
    req.pipe(parser);
  });
}
