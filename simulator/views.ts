import { DEMO_CORP, REFRESH_VALID_SECONDS } from './constants.js';
import type { DeptRecord, DeptStore } from './dept-store.js';
import type { MemberRecord } from './member-store.js';
import type { TokenRecord } from './token-store.js';
import type { World } from './world.js';

/**
 * Wire shapes (docs/meeting-api.md §1.3, §2.5, §2.8, §2.9, §3, §4, §7), as Huawei's documented
 * examples show them (docs/meeting-api.md §0): every field of the object is present, unset ones as JSON null
 * (`"email": null`, `"corp": null`, `"visionAccount": null`, a `devType` of nulls), with the
 * fields a client never sent (`vmrList`, `sipNum`, `activeTime`, `license`, ...). Where the
 * examples disagree, each view follows its own example: the current user object prints
 * `vmrList[].status` as the string "0" (user-details example), the legacy one as the number 0
 * (legacy add-user example). Passwords are never rendered.
 */

type Json = Record<string, unknown>;

/** Unset fields are sent as null, as in the documented examples. */
const nulls = (o: Json): Json => {
  for (const key of Object.keys(o)) if (o[key] === undefined) o[key] = null;
  return o;
};

/** Drops undefined fields (objects whose documented example leaves them out). */
const defined = (o: Json): Json => {
  for (const key of Object.keys(o)) if (o[key] === undefined) delete o[key];
  return o;
};

const namePath = (depts: DeptStore, code: string) =>
  depts
    .chain(code)
    .map((d) => d.deptName)
    .join('/');

/** UserVmrDTO: the personal meeting ID; `status` "0" (string) in the current example, 0 in the legacy one. */
const vmrList = (m: MemberRecord, status: string | number) => [
  {
    id: `vmr-${m.id}`,
    status,
    vmrId: m.vmrId,
    vmrName: `${m.name}'s cloud meeting room`,
    vmrPkgId: null,
    vmrPkgLength: null,
    vmrPkgName: null,
    vmrPkgParties: null,
  },
];

/** User object of add / modify / detail (docs/meeting-api.md §2.9), shaped like the user-details example. */
export const memberView = (m: MemberRecord, depts: DeptStore): Json =>
  nulls({
    activeTime: m.createdAt,
    adminType: m.adminType,
    // Only when users query themselves (docs/meeting-api.md §2.9): an admin reading a member gets null.
    corp: null,
    country: m.country,
    deptCode: m.deptCode,
    deptName: depts.get(m.deptCode)?.deptName,
    deptNamePath: namePath(depts, m.deptCode),
    desc: m.desc,
    devType: { deviceSize: null, model: null, purchaseChannel: null },
    email: m.email,
    englishName: m.englishName,
    function: { enableRoom: m.enableRoom },
    hidePhone: m.hidePhone,
    id: m.id,
    license: 0,
    name: m.name,
    phone: m.phone,
    signature: m.signature,
    sipNum: m.sipNum,
    sortLevel: m.sortLevel,
    status: m.status,
    thirdAccount: m.thirdAccount,
    title: m.title,
    userAccount: m.account,
    userType: 2,
    visionAccount: null,
    vmrList: vmrList(m, '0'),
  });

/** SearchUserResultDTO (docs/meeting-api.md §2.5): no vmrList, no deptName, no sipNum. */
export const memberSummaryView = (m: MemberRecord, depts: DeptStore): Json =>
  nulls({
    id: m.id,
    userAccount: m.account,
    name: m.name,
    englishName: m.englishName,
    phone: m.phone,
    country: m.country,
    email: m.email,
    vmrId: m.vmrId,
    deptCode: m.deptCode,
    deptNamePath: namePath(depts, m.deptCode),
    userType: 2,
    adminType: m.adminType,
    signature: m.signature,
    title: m.title,
    desc: m.desc,
    status: m.status,
    sortLevel: m.sortLevel,
    hidePhone: m.hidePhone,
    thirdAccount: m.thirdAccount,
    visionAccount: null,
    license: 0,
    activeTime: m.createdAt,
    activeCodeExpireTime: null,
    expireTime: null,
    activeCode: null,
  });

/** Legacy QueryUserResultDTO (docs/meeting-api.md §7), shaped like the legacy add-user example: no thirdAccount, title, desc. */
export const legacyMemberView = (m: MemberRecord, depts: DeptStore): Json =>
  nulls({
    id: m.id,
    userAccount: m.account,
    name: m.name,
    phone: m.phone,
    country: m.country,
    email: m.email,
    sipNum: m.sipNum,
    vmrList: vmrList(m, 0),
    deptCode: m.deptCode,
    deptName: depts.get(m.deptCode)?.deptName,
    deptNamePath: namePath(depts, m.deptCode),
    userType: 2,
    adminType: m.adminType,
    signature: m.signature,
    corp: null,
    status: m.status,
  });

/**
 * UserDTO of batch details (docs/meeting-api.md §2.8). `id` echoes the requested id (UUID or third-party
 * account) so callers can correlate; statusCode 0 = found, 2 = does not exist.
 */
export const detailView = (requestedId: string, m: MemberRecord | undefined, depts: DeptStore): Json =>
  m === undefined
    ? { id: requestedId, statusCode: 2 }
    : nulls({
        id: requestedId,
        statusCode: 0,
        account: m.account,
        name: m.name,
        englishName: m.englishName,
        email: m.email,
        phone: m.phone,
        deptName: depts.get(m.deptCode)?.deptName,
        deptCodes: [m.deptCode],
        number: m.sipNum,
        updateTime: m.updatedAt,
        vmrId: m.vmrId,
        signature: m.signature,
        title: m.title,
        description: m.desc,
        hidePhone: m.hidePhone,
        type: 'NORMAL_USER',
        isHardTerminal: false,
      });

/** QueryCorpAdminResultDTO (docs/meeting-api.md §3). */
export const adminView = (m: MemberRecord, depts: DeptStore): Json => {
  const dept = depts.get(m.deptCode);
  return nulls({
    id: m.id,
    account: m.account,
    name: m.name,
    adminType: m.adminType,
    email: m.email,
    phone: m.phone,
    country: m.country,
    // The root department has no parent: parentDeptCode null.
    dept: nulls({
      deptCode: m.deptCode,
      corpId: DEMO_CORP.id,
      deptName: dept?.deptName,
      deptNamePath: namePath(depts, m.deptCode),
      parentDeptCode: dept?.parentDeptCode,
    }),
  });
};

const bySortLevel = (depts: DeptStore, codes: Iterable<string>): DeptRecord[] =>
  [...codes].map((c) => depts.get(c)!).sort((a, b) => a.sortLevel - b.sortLevel);

/** QueryDeptResultDTO (docs/meeting-api.md §4). */
export const deptView = (d: DeptRecord, depts: DeptStore): Json =>
  nulls({
    corpId: DEMO_CORP.id,
    deptCode: d.deptCode,
    deptLevel: d.level,
    deptName: d.deptName,
    deptNamePath: namePath(depts, d.deptCode),
    isLeafNode: d.children.size === 0,
    parentDeptCode: d.parentDeptCode,
    deptCodePath: depts
      .chain(d.deptCode)
      .map((x) => x.deptCode)
      .join('/'),
    note: d.note || undefined,
    inPermission: d.inPermission,
    outPermission: d.outPermission,
    designatedOutDeptCodes: d.designatedOutDeptCodes.map((id) => ({ id, mark: depts.get(id)?.deptName })),
    sortLevel: d.sortLevel,
  });

export const deptWithChildrenView = (d: DeptRecord, depts: DeptStore): Json => ({
  ...deptView(d, depts),
  childDepts: bySortLevel(depts, d.children).map((c) => deptView(c, depts)),
});

/** ShowDepartment (GET /v1/usg/abs/departments/{code}). */
export const deptBriefView = (d: DeptRecord, depts: DeptStore): Json => ({
  deptCode: d.deptCode,
  deptName: d.deptName,
  isLeafNodes: d.children.size === 0,
  childDepts: bySortLevel(depts, d.children).map((c) => ({
    deptCode: c.deptCode,
    deptName: c.deptName,
    isLeafNodes: c.children.size === 0,
  })),
});

/** UserInfo inside the token object (docs/meeting-api.md §1.3); password-like fields are null. */
const userInfoView = (m: MemberRecord, appId: string | undefined): Json =>
  nulls({
    userId: m.id,
    ucloginAccount: m.account,
    serviceAccount: `sip:${m.sipNum}@meeting.sim`,
    companyId: DEMO_CORP.id,
    companyDomain: 'meeting.sim',
    userType: 2,
    adminType: m.adminType,
    name: m.name,
    nameEn: m.englishName,
    isBindPhone: m.phone !== undefined,
    freeUser: false,
    thirdAccount: m.thirdAccount,
    visionAccount: null,
    headPictureUrl: null,
    password: null,
    status: m.status,
    paidAccount: null,
    paidPassword: null,
    weLinkUser: false,
    appId,
    corpType: 0,
    cloudUserId: '',
    grayUser: false,
  });

/**
 * Token object (docs/meeting-api.md §1.3): validPeriod s, expireTime s, createTime ms, all from the same instant.
 * Like the documented App ID example: forceLoginInd and proxyToken null, no delayDelete.
 */
export const tokenView = (t: TokenRecord, world: World, withUser = true): Json => {
  const member = world.members.byId(t.identity.memberId);
  return defined({
    accessToken: t.accessToken,
    validPeriod: t.validSeconds,
    expireTime: t.expiresAt / 1000,
    createTime: t.createdAt,
    refreshToken: t.refreshToken,
    refreshValidPeriod: REFRESH_VALID_SECONDS,
    refreshExpireTime: t.refreshExpiresAt / 1000,
    refreshCreateTime: t.createdAt,
    tokenIp: t.ip,
    clientType: t.identity.clientType,
    tokenType: 0,
    forceLoginInd: null,
    firstLogin: false,
    pwdExpired: false,
    daysPwdAvailable: 90,
    proxyToken: null,
    user: withUser && member ? userInfoView(member, t.identity.appId) : undefined,
  });
};
