import type { MemberRecord, MemberStore } from './member-store.js';
import type { Behaviour, World } from './world.js';

/** Paged search of members and admins (docs/meeting-api.md §2.5, §3), shared by both dialects. */

export const SORT_FIELDS = [
  'userType',
  'adminType',
  'ldapAccount',
  'deptCode',
  'status',
  'sortLevel',
] as const;
export type SortField = (typeof SORT_FIELDS)[number];

export interface MemberFilter {
  readonly searchKey?: string;
  readonly status?: number;
  readonly deptCode?: string;
  /** Include sub-departments of deptCode (default true). */
  readonly enableSubDept?: boolean;
  readonly adminType?: number;
  readonly userTypes?: readonly number[];
  readonly enableRoom?: boolean;
  readonly sortField?: SortField;
  readonly isAsc?: boolean;
}

export interface Page<T> {
  readonly offset: number;
  readonly limit: number;
  readonly count: number;
  readonly data: T[];
}

const sortValue = (m: MemberRecord, field: SortField): string | number => {
  switch (field) {
    case 'userType':
      return 2;
    case 'ldapAccount':
      return '';
    default:
      return m[field];
  }
};

const compare = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);

// Sorting 10k members per page request would dominate a paging loop: reuse the order until
// the store changes (its version moves) or another sort is asked for.
const sortCache = new WeakMap<MemberStore, { version: number; key: string; list: MemberRecord[] }>();

const sorted = (store: MemberStore, field: SortField | undefined, asc: boolean): MemberRecord[] => {
  const key = `${field ?? ''}:${asc}`;
  const hit = sortCache.get(store);
  if (hit && hit.version === store.version && hit.key === key) return hit.list;
  const dir = asc ? 1 : -1;
  const list = [...store.all()].sort((a, b) =>
    field === undefined
      ? a.sortLevel - b.sortLevel || a.seq - b.seq
      : dir * compare(sortValue(a, field), sortValue(b, field)) || a.seq - b.seq,
  );
  sortCache.set(store, { version: store.version, key, list });
  return list;
};

/** Fuzzy match on name, phone, email, account and third-party account (case-insensitive). */
const matchesKey = (m: MemberRecord, key: string | undefined): boolean =>
  !key || [m.name, m.phone, m.email, m.account, m.thirdAccount].some((v) => v?.toLowerCase().includes(key));

export const searchMembers = (world: World, f: MemberFilter): MemberRecord[] => {
  const key = f.searchKey?.toLowerCase();
  const sub = f.enableSubDept ?? true;
  // Every member here is an enterprise user (userType 2).
  if (f.userTypes && !f.userTypes.includes(2)) return [];
  return sorted(world.members, f.sortField, f.isAsc ?? true).filter(
    (m) =>
      (f.status === undefined || m.status === f.status) &&
      (f.adminType === undefined || m.adminType === f.adminType) &&
      (f.enableRoom === undefined || m.enableRoom === f.enableRoom) &&
      (f.deptCode === undefined ||
        (sub ? world.depts.isWithin(m.deptCode, f.deptCode) : m.deptCode === f.deptCode)) &&
      matchesKey(m, key),
  );
};

export const searchAdmins = (world: World, searchKey: string | undefined): MemberRecord[] => {
  const key = searchKey?.toLowerCase();
  return world.members.admins().filter((m) => matchesKey(m, key));
};

/**
 * One page. The documented quirk: an offset at or beyond the total returns the LAST page
 * (not an empty one), so "loop until empty" never ends; callers must stop at offset >= count.
 * A page-size cap serves fewer items than asked, and reports the size served (or, with
 * `pageLimitEcho: 'requested'`, the size asked for): clients must advance by what they got.
 */
export const page = <T>(
  items: readonly T[],
  offset: number,
  requested: number,
  behaviour: Behaviour,
): Page<T> => {
  const limit = Math.min(requested, behaviour.pageSizeCap);
  const count = items.length;
  const start = count === 0 ? 0 : offset < count ? offset : Math.floor((count - 1) / limit) * limit;
  const echoed = behaviour.pageLimitEcho === 'requested' ? requested : limit;
  return { offset: start, limit: echoed, count, data: items.slice(start, start + limit) };
};
