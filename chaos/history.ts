import { EVENT_TYPES, type EventType, type HrEvent, type MemberFields } from '../lib/events/schemas.js';
import { createPrng, deriveSeed, type Prng } from './prng.js';

/**
 * Seeded HR histories: per employee a plausible life (hire first, then changes; some leave,
 * some come back, some leave again; a few are unknown to us and start with a termination or an
 * update), interleaved into one HR-wide stream whose position is the event's version.
 */

export interface Department {
  readonly deptCode: string;
  readonly deptName: string;
}

export const CHAOS_DEPARTMENTS: readonly Department[] = [
  { deptCode: 'C-ENG', deptName: 'Engineering' },
  { deptCode: 'C-SALES', deptName: 'Sales' },
  { deptCode: 'C-OPS', deptName: 'Operations' },
  { deptCode: 'C-HR', deptName: 'People' },
];

const TITLES = ['Engineer', 'Senior Engineer', 'Analyst', 'Manager', 'Director', 'Intern', 'Consultant'];
const NICKNAMES = ['Alex', 'Sam', 'Kim', 'Lee', 'Max', 'Robin'];

export interface EmployeeHistory {
  readonly employeeId: string;
  /** HR order (ascending version). */
  readonly events: readonly HrEvent[];
}

/** An employee whose Meeting account is already held by another HR id: every event must dead-letter. */
export interface PoisonEmployee extends EmployeeHistory {
  readonly foreign: { readonly thirdAccount: string; readonly name: string; readonly email: string };
}

export interface History {
  readonly employees: readonly EmployeeHistory[];
  readonly poison: readonly PoisonEmployee[];
  /** Every event, HR order. */
  readonly events: readonly HrEvent[];
}

export interface HistoryOptions {
  readonly seed: number;
  readonly events: number;
  readonly employees: number;
  readonly poisonEmployees: number;
}

/** Versions look like HR change timestamps (ms) and are fixed per seed, not taken from the clock. */
export const VERSION_BASE = 1_750_000_000_000;
const VERSION_STEP = 1_000;

type Life = 'new' | 'active' | 'left' | 'unknownLeft';
/** `status`: the state after the change, stated by senders that follow the current contract. */
type Draft = { type: EventType; member: MemberFields; status?: 'active' | 'terminated' };

const pad = (n: number) => String(n).padStart(5, '0');
export const employeeIdOf = (n: number) => `C${pad(n)}`;
export const poisonIdOf = (n: number) => `X${pad(n)}`;

const initialMember = (prng: Prng, employeeId: string, n: number): MemberFields => ({
  name: `Employee ${n}`,
  englishName: `Employee ${n}`,
  email: `${employeeId.toLowerCase()}@corp.example`,
  phone: `+86138${String(10_000_000 + n).slice(-8)}`,
  country: 'chinaPR',
  deptCode: prng.pick(CHAOS_DEPARTMENTS).deptCode,
  title: prng.pick(TITLES),
});

/** A profile change: a transfer, a promotion, or a new name. */
const changed = (prng: Prng, m: MemberFields, n: number): MemberFields => {
  switch (prng.weighted({ transfer: 4, title: 4, name: 2 })) {
    case 'transfer':
      return {
        ...m,
        deptCode: prng.pick(CHAOS_DEPARTMENTS.filter((d) => d.deptCode !== m.deptCode)).deptCode,
      };
    case 'title':
      return { ...m, title: prng.pick(TITLES.filter((t) => t !== m.title)) };
    default:
      return { ...m, name: `${prng.pick(NICKNAMES)} Employee ${n}` };
  }
};

/** One employee's life of `count` events, HR order, before versions are assigned. */
const lifeOf = (prng: Prng, employeeId: string, n: number, count: number): Draft[] => {
  let member = initialMember(prng, employeeId, n);
  let life: Life = 'new';
  let admin = false;
  const drafts: Draft[] = [];
  // Half the events state the employment status after the change (the current contract); the rest
  // leave it to the type, as older senders do. A late admin grant for a leaver states nothing.
  const emit = (type: EventType) => {
    const status = life === 'active' ? 'active' : life === 'new' ? undefined : 'terminated';
    const stated =
      status && prng.chance(0.5) && !(type === EVENT_TYPES.adminGranted && status === 'terminated');
    drafts.push({ type, member, ...(stated && { status }) });
  };
  // A few employees predate the integration: HR's first word about them is a leave or a change.
  if (count > 0 && prng.chance(0.03)) {
    const first = prng.weighted({ terminated: 3, updated: 1, adminRevoked: 1 });
    life = first === 'terminated' ? 'unknownLeft' : first === 'updated' ? 'active' : 'new';
    emit(EVENT_TYPES[first]);
  }
  while (drafts.length < count) {
    if (life === 'new' || life === 'unknownLeft') {
      life = 'active';
      emit(EVENT_TYPES.hired);
      continue;
    }
    if (life === 'active') {
      const next = prng.weighted({ updated: 50, terminated: 20, admin: 18, rehired: 4 });
      if (next === 'updated') {
        member = changed(prng, member, n);
        emit(EVENT_TYPES.updated);
      } else if (next === 'terminated') {
        life = 'left';
        admin = false;
        emit(EVENT_TYPES.terminated);
      } else if (next === 'admin') {
        emit(admin ? EVENT_TYPES.adminRevoked : EVENT_TYPES.adminGranted);
        admin = !admin;
      } else {
        emit(EVENT_TYPES.rehired); // HR re-sends a rehire for someone already back
      }
      continue;
    }
    // Left: back again, a leaver's record corrected, a late admin request, or the termination re-sent.
    const next = prng.weighted({ rehired: 45, updated: 30, adminGranted: 12, terminated: 13 });
    if (next === 'rehired') {
      if (prng.chance(0.5)) member = changed(prng, member, n);
      life = 'active';
    }
    if (next === 'updated') member = changed(prng, member, n);
    emit(EVENT_TYPES[next]);
  }
  return drafts;
};

/** How many events each employee gets: at least one, the rest spread at random. */
const eventCounts = (prng: Prng, employees: number, events: number): number[] => {
  const counts = Array.from({ length: employees }, () => 1);
  for (let i = employees; i < events; i++) counts[prng.int(employees)]!++;
  return counts;
};

export const generateHistory = (options: HistoryOptions): History => {
  const prng = createPrng(deriveSeed(options.seed, 'history'));
  const poisonCount = Math.min(options.poisonEmployees, Math.max(0, options.events - 1));
  // The first poison employee also gets a later update: it waits behind the dead hire in its group.
  const poisonEvents = poisonCount === 0 ? 0 : poisonCount + 1;
  const regularEvents = Math.max(0, options.events - poisonEvents);
  const employees = Math.max(0, Math.min(options.employees, regularEvents));

  const lives: { employeeId: string; drafts: Draft[]; poison?: PoisonEmployee['foreign'] }[] = [];
  const counts = eventCounts(prng, employees, regularEvents);
  for (let n = 0; n < employees; n++) {
    const employeeId = employeeIdOf(n + 1);
    lives.push({ employeeId, drafts: lifeOf(prng, employeeId, n + 1, counts[n]!) });
  }
  for (let p = 0; p < poisonCount; p++) {
    const employeeId = poisonIdOf(p + 1);
    const member = initialMember(prng, employeeId, 90_000 + p);
    const drafts: Draft[] = [{ type: EVENT_TYPES.hired, member }];
    if (p === 0) drafts.push({ type: EVENT_TYPES.updated, member: changed(prng, member, 90_000 + p) });
    const foreign = {
      thirdAccount: `foreign-${p + 1}`,
      name: `Contractor ${p + 1}`,
      email: `contractor${p + 1}@other.example`,
    };
    lives.push({ employeeId, drafts, poison: foreign });
  }

  // Interleave: a shuffled list of employee slots; each employee's k-th slot gets its k-th event.
  const slots = prng.shuffle(lives.flatMap((life, index) => life.drafts.map(() => index)));
  const next = lives.map(() => 0);
  const byEmployee = lives.map((): HrEvent[] => []);
  const events: HrEvent[] = slots.map((index, position) => {
    const life = lives[index]!;
    const draft = life.drafts[next[index]!++]!;
    const version = VERSION_BASE + position * VERSION_STEP;
    const event = {
      id: `chaos-${options.seed}-${position + 1}`,
      type: draft.type,
      employeeId: life.employeeId,
      version,
      occurredAt: new Date(version).toISOString(),
      ...(draft.status && { status: draft.status }),
      member: draft.member,
    } as HrEvent;
    byEmployee[index]!.push(event);
    return event;
  });

  const histories = lives.map((life, index) => ({ employeeId: life.employeeId, events: byEmployee[index]! }));
  return {
    employees: histories.filter((_, index) => !lives[index]!.poison),
    poison: histories.flatMap((h, index) =>
      lives[index]!.poison ? [{ ...h, foreign: lives[index]!.poison! }] : [],
    ),
    events,
  };
};
