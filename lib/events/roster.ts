import { z } from 'zod';
import { employeeIdSchema, type MemberFields, memberFieldsSchema } from './schemas.js';
import { parseStrictJson } from './strict-json.js';

/**
 * The HR export the roster sync reads (`npm run reconcile -- --roster FILE`, docs/operations.md
 * "Initial load"): one row per employee, as CSV with a header or as JSON lines, with the fields
 * of an event's `member` plus the employment status and the admin role. A malformed row is
 * reported with its line number and skipped, never guessed.
 */

export const ROSTER_COLUMNS = [
  'employeeId',
  'status',
  'name',
  'email',
  'phone',
  'country',
  'account',
  'englishName',
  'deptCode',
  'title',
  'admin',
] as const;
type Column = (typeof ROSTER_COLUMNS)[number];
const REQUIRED: readonly Column[] = ['employeeId', 'status', 'name'];

/** One employee as HR's export states it. */
export interface RosterRow {
  /** Where the row starts in the file (1-based; the CSV header is line 1). */
  readonly line: number;
  readonly employeeId: string;
  readonly status: 'active' | 'terminated';
  readonly admin: boolean;
  readonly member: MemberFields;
}

export interface RosterProblem {
  readonly line: number;
  readonly message: string;
}

export interface Roster {
  readonly rows: RosterRow[];
  /** Rows refused, with why; they are left out of the sync. */
  readonly problems: RosterProblem[];
}

/** A row with the member's fields beside the roster's own (status, admin): strict, like events. */
const rowSchema = z
  .object({
    employeeId: employeeIdSchema,
    status: z.enum(['active', 'terminated']),
    admin: z.boolean().optional(),
  })
  .catchall(z.unknown())
  .transform(({ employeeId, status, admin, ...member }, ctx) => {
    const parsed = memberFieldsSchema.safeParse(member);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
      }
      return z.NEVER;
    }
    if (status === 'terminated' && admin === true) {
      ctx.addIssue({
        code: 'custom',
        message: 'a terminated employee cannot hold the admin role',
        path: ['admin'],
      });
      return z.NEVER;
    }
    return { employeeId, status, admin: admin ?? false, member: parsed.data };
  });

const describe = (error: z.ZodError): string =>
  error.issues.map((i) => `${i.path.length > 0 ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; ');

/** Empty CSV cells are absent; `admin` is `true` or `false` (empty: false). */
const fromCells = (cells: Partial<Record<Column, string>>): Record<string, unknown> | string => {
  const out: Record<string, unknown> = {};
  for (const [column, raw] of Object.entries(cells) as [Column, string][]) {
    const value = raw.trim();
    if (value === '') continue;
    if (column === 'admin') {
      if (value !== 'true' && value !== 'false') return `admin: "${value}" is neither true nor false`;
      out.admin = value === 'true';
    } else out[column] = value;
  }
  return out;
};

/** RFC 4180 records: quoted fields may hold commas, quotes ("") and line breaks. */
const csvRecords = (text: string): { line: number; cells: string[] }[] => {
  const records: { line: number; cells: string[] }[] = [];
  let line = 1;
  let start = 1;
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let touched = false;
  const endRecord = () => {
    if (touched || cell !== '' || cells.length > 0) records.push({ line: start, cells: [...cells, cell] });
    cells = [];
    cell = '';
    touched = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        cell += c;
      }
    } else if (c === '"' && cell.trim() === '') {
      quoted = true;
      touched = true;
      cell = '';
    } else if (c === ',') {
      cells.push(cell);
      cell = '';
      touched = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      start = line;
    } else cell += c;
  }
  endRecord();
  return records;
};

const parseCsv = (text: string, problems: RosterProblem[]) => {
  const [header, ...records] = csvRecords(text);
  if (!header) return [];
  const columns = header.cells.map((c) => c.trim());
  const unknown = columns.filter((c) => !(ROSTER_COLUMNS as readonly string[]).includes(c));
  const missing = REQUIRED.filter((c) => !columns.includes(c));
  const repeated = columns.filter((c, i) => columns.indexOf(c) !== i);
  if (unknown.length + missing.length + repeated.length > 0) {
    const parts = [
      unknown.length > 0 && `unknown column(s) ${unknown.join(', ')}`,
      missing.length > 0 && `missing column(s) ${missing.join(', ')}`,
      repeated.length > 0 && `repeated column(s) ${repeated.join(', ')}`,
    ].filter(Boolean);
    throw new RosterFormatError(
      `line 1: the header ${parts.join('; ')} (expected ${ROSTER_COLUMNS.join(',')})`,
    );
  }
  return records.flatMap(({ line, cells }) => {
    if (cells.length === 1 && cells[0]!.trim() === '') return [];
    if (cells.length !== columns.length) {
      problems.push({ line, message: `${cells.length} cells, the header has ${columns.length}` });
      return [];
    }
    const row = fromCells(Object.fromEntries(columns.map((c, i) => [c, cells[i]!])));
    if (typeof row === 'string') {
      problems.push({ line, message: row });
      return [];
    }
    return [{ line, value: row as unknown }];
  });
};

const parseJsonLines = (text: string, problems: RosterProblem[]) =>
  text.split(/\r?\n/).flatMap((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return [];
    const json = parseStrictJson(raw);
    if (!json.ok) {
      problems.push({
        line,
        message: json.problem === 'syntax' ? 'not valid JSON' : `duplicate key ${json.path}`,
      });
      return [];
    }
    if (typeof json.value !== 'object' || json.value === null || Array.isArray(json.value)) {
      problems.push({ line, message: 'not a JSON object' });
      return [];
    }
    // Roster fields only: a typo never passes silently.
    const extra = Object.keys(json.value).filter((k) => !(ROSTER_COLUMNS as readonly string[]).includes(k));
    if (extra.length > 0) {
      problems.push({ line, message: `unknown field(s) ${extra.join(', ')}` });
      return [];
    }
    return [{ line, value: json.value }];
  });

/** The whole file cannot be read as a roster (its header is wrong): nothing is synced. */
export class RosterFormatError extends Error {
  override readonly name = 'RosterFormatError';
  readonly retryable = false;
}

export type RosterFormat = 'csv' | 'jsonl';

/** JSON lines when the first non-blank character opens an object, else CSV. */
export const detectRosterFormat = (text: string): RosterFormat =>
  text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .startsWith('{')
    ? 'jsonl'
    : 'csv';

/**
 * Reads an HR export. Every row is checked like an event's fields (docs/events.md); an employee
 * listed twice is refused on every line that lists them, since neither row can be trusted.
 */
export const parseRoster = (text: string, format: RosterFormat = detectRosterFormat(text)): Roster => {
  const body = text.replace(/^\uFEFF/, '');
  const problems: RosterProblem[] = [];
  const candidates = format === 'csv' ? parseCsv(body, problems) : parseJsonLines(body, problems);
  const parsed = candidates.flatMap(({ line, value }) => {
    const result = rowSchema.safeParse(value);
    if (!result.success) {
      problems.push({ line, message: describe(result.error) });
      return [];
    }
    return [{ line, ...result.data }];
  });
  const lines = new Map<string, number[]>();
  for (const row of parsed) lines.set(row.employeeId, [...(lines.get(row.employeeId) ?? []), row.line]);
  const rows: RosterRow[] = [];
  for (const row of parsed) {
    const seen = lines.get(row.employeeId)!;
    if (seen.length === 1) rows.push(row);
    else {
      const others = seen.filter((l) => l !== row.line).join(', ');
      problems.push({
        line: row.line,
        message: `employee ${row.employeeId} is listed again on line ${others}`,
      });
    }
  }
  problems.sort((a, b) => a.line - b.line);
  return { rows, problems };
};
