// How a PostgreSQL URL is shown (banner, health, logs): with its password hidden.

export function describePostgresUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== '') parsed.password = '***';
  return parsed.toString();
}
