import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectRosterFormat, parseRoster, RosterFormatError } from '../../lib/events/roster.js';

const HEADER = 'employeeId,status,name,email,phone,country,account,englishName,deptCode,title,admin';
const root = join(import.meta.dirname, '..', '..');

describe('parseRoster: CSV', () => {
  it('reads rows as HR states them: empty cells absent, admin true/false (empty: false), quoted fields', () => {
    const text = [
      `\uFEFF${HEADER}`,
      'E1,active,Ann,ann@corp.example,,,ann.a,Ann A,D-1,Engineer,true',
      'E2,terminated,"Smith, Bob",,+8613800000001,chinaPR,,,,,',
      // A quoted field may span lines, but a name may not: refused at the row's first line.
      'E3,active,"Line ""Q"" one',
      'two",c@corp.example,,,,,,,false',
      'E4,active,"Line ""Q"" one",c@corp.example,,,,,,,false',
      '',
    ].join('\r\n');
    const roster = parseRoster(text);
    expect(roster.problems).toEqual([
      { line: 4, message: 'name: must not contain control characters (U+0000-U+001F, U+007F-U+009F)' },
    ]);
    expect(roster.rows).toEqual([
      {
        line: 2,
        employeeId: 'E1',
        status: 'active',
        admin: true,
        member: {
          name: 'Ann',
          email: 'ann@corp.example',
          account: 'ann.a',
          englishName: 'Ann A',
          deptCode: 'D-1',
          title: 'Engineer',
        },
      },
      {
        line: 3,
        employeeId: 'E2',
        status: 'terminated',
        admin: false,
        member: { name: 'Smith, Bob', phone: '+8613800000001', country: 'chinaPR' },
      },
      {
        line: 6,
        employeeId: 'E4',
        status: 'active',
        admin: false,
        member: { name: 'Line "Q" one', email: 'c@corp.example' },
      },
    ]);
  });

  it('accepts the columns in any order, and only the required ones', () => {
    const roster = parseRoster('name,status,employeeId,email\nAnn,active,E1,ann@corp.example\n');
    expect(roster.rows.map((r) => [r.employeeId, r.member.name])).toEqual([['E1', 'Ann']]);
  });

  it('reports each malformed row with its line number and skips it, never guessing', () => {
    const text = [
      HEADER,
      'E1,active,Ann,ann@corp.example,,,,,,,', // fine
      'E2,employed,Bob,bob@corp.example,,,,,,,', // status
      'E3,active,Cy,cy@corp.example,,,,,,,yes', // admin
      'E4,active,,d@corp.example,,,,,,,', // name
      'E5,active,Eve,,,,,,,,', // no contact
      'E6,active,Fay,f@corp.example,+86138,,,,,,', // phone without country
      'E7,terminated,Gus,g@corp.example,,,,,,,true', // leaver with admin
      'E8,active,Hal,h@corp.example', // cells
      'bad id!,active,Ivy,i@corp.example,,,,,,,',
      'E9,active,Jo,jo@corp.example,,,,,,,',
      'E9,active,Jo again,jo@corp.example,,,,,,,',
      'E10,active,Kim,not-an-email,,,,,,,',
    ].join('\n');
    const { rows, problems } = parseRoster(text);
    expect(rows.map((r) => r.employeeId)).toEqual(['E1']);
    expect(problems.map((p) => p.line)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    const at = (line: number) => problems.find((p) => p.line === line)?.message;
    expect(at(3)).toMatch(/^status: /);
    expect(at(4)).toBe('admin: "yes" is neither true nor false');
    expect(at(5)).toMatch(/^name: /);
    expect(at(6)).toMatch(/email or phone is required/);
    expect(at(7)).toMatch(/phone requires country/);
    expect(at(8)).toBe('admin: a terminated employee cannot hold the admin role');
    expect(at(9)).toBe('4 cells, the header has 11');
    expect(at(10)).toMatch(/^employeeId: /);
    expect(at(11)).toBe('employee E9 is listed again on line 12');
    expect(at(12)).toBe('employee E9 is listed again on line 11');
    expect(at(13)).toMatch(/^email: /);
  });

  it('refuses a header with unknown, missing or repeated columns as a whole', () => {
    expect(() => parseRoster('employeeId,status,name,mail\n')).toThrow(RosterFormatError);
    expect(() => parseRoster('employeeId,status,name,mail\n')).toThrow(/unknown column\(s\) mail/);
    expect(() => parseRoster('employeeId,name\n')).toThrow(/missing column\(s\) status/);
    expect(() => parseRoster('employeeId,status,name,name\n')).toThrow(/repeated column\(s\) name/);
    expect(parseRoster('')).toEqual({ rows: [], problems: [] });
  });
});

describe('parseRoster: JSON lines', () => {
  it('reads one object per line with the same fields, and refuses anything else by line', () => {
    const text = [
      '{"employeeId":"E1","status":"active","name":"Ann","email":"ann@corp.example","admin":true}',
      '',
      '{"employeeId":"E2","status":"terminated","name":"Bob","phone":"+8613800000002","country":"chinaPR"}',
      '{"employeeId":"E3","status":"active","name":"Cy","email":"c@corp.example","mail":"x"}',
      '{"employeeId":"E4","status":"active","name":"Di","email":"d@corp.example","name":"Dup"}',
      '[1]',
      '{not json',
      '{"employeeId":"E5","status":"active","name":"Ed","email":"e@corp.example","admin":"true"}',
    ].join('\n');
    expect(detectRosterFormat(text)).toBe('jsonl');
    const { rows, problems } = parseRoster(text);
    expect(rows.map((r) => [r.line, r.employeeId, r.admin])).toEqual([
      [1, 'E1', true],
      [3, 'E2', false],
    ]);
    expect(problems).toEqual([
      { line: 4, message: 'unknown field(s) mail' },
      { line: 5, message: 'duplicate key $.name' },
      { line: 6, message: 'not a JSON object' },
      { line: 7, message: 'not valid JSON' },
      { line: 8, message: expect.stringMatching(/^admin: /) },
    ]);
  });
});

describe('the sample rosters (events/roster)', () => {
  it.each(['sample.csv', 'sample.jsonl'])('%s parses without a problem', (file) => {
    const roster = parseRoster(readFileSync(join(root, 'events', 'roster', file), 'utf8'));
    expect(roster.problems).toEqual([]);
    expect(roster.rows.length).toBeGreaterThan(2);
  });

  it('are one roster in two formats: the same rows', () => {
    // Line numbers differ by the CSV's header; the rows are the same.
    const read = (file: string) =>
      parseRoster(readFileSync(join(root, 'events', 'roster', file), 'utf8')).rows.map(
        ({ line: _, ...row }) => row,
      );
    expect(read('sample.jsonl')).toEqual(read('sample.csv'));
  });
});
