import { DEMO_CORP, DEMO_CREDENTIALS, ROOT_DEPT } from './constants.js';
import { DeptStore } from './dept-store.js';
import { ADMIN_TYPE, type MemberRecord, MemberStore } from './member-store.js';
import { TokenStore } from './token-store.js';

/** Answers the start options choose where the real service's behaviour is unconfirmed. */
export interface Behaviour {
  /** Largest page served (LIMITS.pageMax unless capped). */
  readonly pageSizeCap: number;
  readonly pageLimitEcho: 'served' | 'requested';
  /** undefined: the default per case (see SimulatorOptions.alreadyDone). */
  readonly alreadyDone: 'ok' | 'code' | undefined;
}

/** Everything a handler may read or change; replaced wholesale by reset(). */
export interface World {
  readonly members: MemberStore;
  readonly depts: DeptStore;
  readonly tokens: TokenStore;
  /** The injected clock, epoch ms. */
  readonly now: () => number;
  /** The demo account: default admin (adminType 0), member of root, target of appauth without userId. */
  readonly owner: MemberRecord;
  readonly behaviour: Behaviour;
}

export interface WorldOptions {
  readonly now: () => number;
  readonly tokenValidSeconds: number;
  readonly tokenCap: number;
  readonly behaviour: Behaviour;
}

export const createWorld = (options: WorldOptions): World => {
  const members = new MemberStore();
  const depts = new DeptStore(DEMO_CORP.name);
  const tokens = new TokenStore({
    now: options.now,
    validSeconds: options.tokenValidSeconds,
    cap: options.tokenCap,
  });
  const createdAt = options.now();
  const owner: MemberRecord = {
    id: '00000000-0000-4000-8000-000000000001',
    account: DEMO_CREDENTIALS.account,
    thirdAccount: undefined,
    name: DEMO_CORP.adminName,
    englishName: undefined,
    phone: undefined,
    country: 'chinaPR',
    email: 'admin@demo.example',
    password: DEMO_CREDENTIALS.password,
    deptCode: ROOT_DEPT,
    signature: undefined,
    title: undefined,
    desc: undefined,
    status: 0,
    sortLevel: 1,
    hidePhone: false,
    vmrId: '9000000001',
    sipNum: '+991000000001',
    enableRoom: false,
    adminType: ADMIN_TYPE.default,
    seq: members.nextSeq(),
    createdAt,
    updatedAt: createdAt,
  };
  members.add(owner);
  return { members, depts, tokens, now: options.now, owner, behaviour: options.behaviour };
};
