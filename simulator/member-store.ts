import { FOREIGN_ACCOUNTS } from './constants.js';
import { alreadyExists } from './errors.js';
import { ACCOUNT_TYPE, type AccountType } from './validation.js';

export const ADMIN_TYPE = { default: 0, common: 1, none: 2 } as const;
export type AdminType = (typeof ADMIN_TYPE)[keyof typeof ADMIN_TYPE];

export interface MemberRecord {
  readonly id: string;
  readonly account: string;
  readonly thirdAccount: string | undefined;
  name: string;
  englishName: string | undefined;
  phone: string | undefined;
  country: string;
  email: string | undefined;
  /** Only ever compared at login; never rendered. */
  password: string | undefined;
  deptCode: string;
  signature: string | undefined;
  title: string | undefined;
  desc: string | undefined;
  status: 0 | 1;
  sortLevel: number;
  hidePhone: boolean;
  vmrId: string;
  readonly sipNum: string;
  enableRoom: boolean;
  adminType: AdminType;
  /** Insertion order: the stable tie-break for listings. */
  readonly seq: number;
  readonly createdAt: number;
  updatedAt: number;
}

/**
 * Enterprise members with O(1) lookup by id, Meeting account and third-party account.
 * Admins are members whose adminType is 0/1; `#admins` keeps them in the order granted.
 */
export class MemberStore {
  readonly #byId = new Map<string, MemberRecord>();
  readonly #byAccount = new Map<string, MemberRecord>();
  readonly #byThird = new Map<string, MemberRecord>();
  readonly #admins = new Map<string, MemberRecord>();
  readonly #foreign = new Set(FOREIGN_ACCOUNTS);
  #seq = 0;
  #version = 0;

  get size(): number {
    return this.#byId.size;
  }

  /** Bumped on every change, so listings can reuse their sorted order until something changes. */
  get version(): number {
    return this.#version;
  }

  /** Records are mutated in place by the operations; they call this afterwards. */
  touch(): void {
    this.#version++;
  }

  nextSeq(): number {
    return ++this.#seq;
  }

  /** Throws USG.201040001 if the id, account (system-wide) or thirdAccount is taken. */
  assertFree(id: string | undefined, account: string | undefined, thirdAccount: string | undefined): void {
    if (account !== undefined && (this.#byAccount.has(account) || this.#foreign.has(account))) {
      throw alreadyExists(account);
    }
    if (thirdAccount !== undefined && this.#byThird.has(thirdAccount)) throw alreadyExists(thirdAccount);
    if (id !== undefined && this.#byId.has(id)) throw alreadyExists(id);
  }

  add(member: MemberRecord): void {
    this.assertFree(member.id, member.account, member.thirdAccount);
    this.#byId.set(member.id, member);
    this.#byAccount.set(member.account, member);
    if (member.thirdAccount !== undefined) this.#byThird.set(member.thirdAccount, member);
    if (member.adminType !== ADMIN_TYPE.none) this.#admins.set(member.id, member);
    this.#version++;
  }

  remove(member: MemberRecord): void {
    this.#byId.delete(member.id);
    this.#byAccount.delete(member.account);
    if (member.thirdAccount !== undefined) this.#byThird.delete(member.thirdAccount);
    this.#admins.delete(member.id);
    this.#version++;
  }

  byId(id: string): MemberRecord | undefined {
    return this.#byId.get(id);
  }

  byThirdAccount(thirdAccount: string): MemberRecord | undefined {
    return this.#byThird.get(thirdAccount);
  }

  find(key: string, accountType: AccountType): MemberRecord | undefined {
    return accountType === ACCOUNT_TYPE.thirdAccount ? this.#byThird.get(key) : this.#byAccount.get(key);
  }

  all(): IterableIterator<MemberRecord> {
    return this.#byId.values();
  }

  setAdminType(member: MemberRecord, adminType: AdminType): void {
    member.adminType = adminType;
    if (adminType === ADMIN_TYPE.none) this.#admins.delete(member.id);
    else this.#admins.set(member.id, member);
    this.#version++;
  }

  /** Default admin first, then common admins in the order they were granted. */
  admins(): MemberRecord[] {
    const list = [...this.#admins.values()];
    return [
      ...list.filter((m) => m.adminType === ADMIN_TYPE.default),
      ...list.filter((m) => m.adminType !== ADMIN_TYPE.default),
    ];
  }
}
