import { paramInvalid } from './errors.js';
import { asObject, type Obj, optBool, optInt, optStr, reqStr } from './validation.js';

/** Field rules of add / modify (docs/meeting-api.md §2.1, legacy differences §7). */

import type { Dialect } from './route-types.js';

export interface MemberPatch {
  name?: string;
  englishName?: string;
  phone?: string;
  country?: string;
  email?: string;
  deptCode?: string;
  signature?: string;
  title?: string;
  desc?: string;
  status?: 0 | 1;
  sortLevel?: number;
  hidePhone?: boolean;
  vmrId?: string;
}

export interface NewMember extends MemberPatch {
  name: string;
  /** Legacy add only: caller-chosen member id. */
  id?: string;
  account?: string;
  thirdAccount?: string;
  pwd?: string;
  enableRoom?: boolean;
}

// "only A-Z a-z 0-9 _ - . @; not all digits; no '.' after '@'" — the conservative reading.
const ACCOUNT_RE = /^(?!\d+$)(?!.*@.*\.)[A-Za-z0-9_.@-]{1,64}$/;
const PHONE_RE = /^\+[0-9]+$/;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SPECIAL = '`~!@#$%^&*()-_=+|[{}];:",\'<.>/?';

/** Empty strings mean "not given" (docs allow 0-length fields). */
const nonEmpty = (v: string | undefined) => (v === '' ? undefined : v);

const checkAccount = (account: string | undefined) => {
  if (account !== undefined && !ACCOUNT_RE.test(account)) {
    throw paramInvalid('account: 1-64 of A-Z a-z 0-9 _ - . @, not all digits, no "." after "@"');
  }
};

/** 8-32; not the account or its reverse; at least two of lower, upper, digit, special. */
const checkPassword = (pwd: string | undefined, account: string | undefined) => {
  if (pwd === undefined) return;
  if (account !== undefined && (pwd === account || pwd === [...account].reverse().join(''))) {
    throw paramInvalid('pwd: must differ from the account and the reversed account');
  }
  const chars = [...pwd];
  const classes = [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u].filter((re) => chars.some((c) => re.test(c))).length;
  const special = chars.some((c) => SPECIAL.includes(c)) ? 1 : 0;
  if (classes + special < 2)
    throw paramInvalid('pwd: needs at least two of lower case, upper case, digit, special');
};

const parsePatch = (o: Obj, dialect: Dialect, signatureMax: number): MemberPatch => {
  const phone = optStr(o, 'phone', 32);
  if (phone && !PHONE_RE.test(phone)) throw paramInvalid('phone: "+" and country prefix, then digits only');
  const email = optStr(o, 'email', 255);
  if (email && !EMAIL_RE.test(email)) throw paramInvalid('email: not a valid e-mail address');
  const country = optStr(o, 'country', 255);
  if (phone && !country) throw paramInvalid('country: is required when phone is given');
  const status = optInt(o, 'status', 0, 1) as 0 | 1 | undefined;
  return {
    englishName: optStr(o, 'englishName', 64),
    phone,
    country: nonEmpty(country),
    email,
    deptCode: nonEmpty(optStr(o, 'deptCode', 32)),
    signature: optStr(o, 'signature', signatureMax),
    // Legacy has no title/desc: ignored like any unknown field.
    title: dialect === 'current' ? optStr(o, 'title', 32) : undefined,
    desc: dialect === 'current' ? optStr(o, 'desc', 128) : undefined,
    status,
    sortLevel: optInt(o, 'sortLevel', 1, 10000),
    hidePhone: optBool(o, 'hidePhone'),
    vmrId: optStr(o, 'vmrId', 32),
  };
};

/** AddUserDTO (current) / legacy add body. */
export const parseNewMember = (body: unknown, dialect: Dialect): NewMember => {
  const o = asObject(body);
  const name = reqStr(o, 'name', 64);
  const patch = parsePatch(o, dialect, dialect === 'legacy' ? 128 : 512);
  if (!nonEmpty(patch.phone) && !nonEmpty(patch.email)) throw paramInvalid('phone or email: one is required');
  const account = nonEmpty(optStr(o, 'account', 64));
  checkAccount(account);
  const pwd = optStr(o, 'pwd', 32, 8);
  checkPassword(pwd, account);
  const fn = o.function;
  if (fn !== undefined && fn !== null) asObject(fn, 'function');
  optStr(o, 'sendNotify', 64); // validated only: the simulator sends no notices
  return {
    ...patch,
    name,
    phone: nonEmpty(patch.phone),
    email: nonEmpty(patch.email),
    id: dialect === 'legacy' ? nonEmpty(optStr(o, 'id', 64)) : undefined,
    account,
    thirdAccount: dialect === 'current' ? nonEmpty(optStr(o, 'thirdAccount', 64)) : undefined,
    pwd,
    enableRoom: fn ? optBool(fn as Obj, 'enableRoom') : undefined,
  };
};

/** ModUserDTO: everything optional in the current API; `name` required in legacy (docs/meeting-api.md §8 D6). */
export const parseMemberPatch = (body: unknown, dialect: Dialect): MemberPatch => {
  const o = asObject(body);
  const name = dialect === 'legacy' ? reqStr(o, 'name', 64) : optStr(o, 'name', 64, 1);
  return { ...parsePatch(o, dialect, 512), name };
};

/** Batch status path value: 0 enable, 1 disable (docs/meeting-api.md §2.6). */
export const parseStatusValue = (raw: string | undefined): 0 | 1 => {
  if (raw !== '0' && raw !== '1') throw paramInvalid('value: status must be 0 or 1');
  return raw === '1' ? 1 : 0;
};
