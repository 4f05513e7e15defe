// Generates SecretId/SecretKey pairs shaped like Tencent Cloud's (AKID + 32 characters; 32-character key).
import { randomInt } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

const randomText = (length: number): string => Array.from({ length }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

export const newSecretId = (): string => `AKID${randomText(32)}`;
export const newSecretKey = (): string => randomText(32);
