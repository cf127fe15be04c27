import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const eventsDir = join(repoRoot, 'events');

export const readJson = (...path: string[]): unknown =>
  JSON.parse(readFileSync(join(eventsDir, ...path), 'utf8'));
export const listJson = (...path: string[]): string[] =>
  readdirSync(join(eventsDir, ...path))
    .filter((name) => name.endsWith('.json'))
    .sort();

/** A valid bare event; override any field. */
export const hire = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'employee.hired',
  id: 'evt-1',
  employeeId: 'E1',
  version: 1,
  member: { name: '张伟', email: 'zhang.wei@example.com' },
  ...overrides,
});

/** The same event as a CloudEvents envelope. */
export const cloudHire = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  specversion: '1.0',
  id: 'evt-ce-1',
  source: '/hr',
  type: 'employee.hired',
  time: '2026-01-05T09:30:00+08:00',
  data: {
    employeeId: 'E2',
    version: 7,
    member: { name: '王芳', phone: '+8613700137000', country: 'chinaPR' },
  },
  ...overrides,
});
