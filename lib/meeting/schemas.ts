import { z } from 'zod';
import { wireBool, wireInt, wireKey, wireText } from '../http/wire.js';
import { once } from '../shared/once.js';
import { meetingAccountSchema } from './account.js';

/**
 * Wire contracts of the Meeting API (docs/meeting-api.md §1-§4), field names exactly as the API
 * spells them. Requests are validated strictly before sending; responses are parsed tolerantly
 * (docs/meeting-api.md §0, lib/http/wire.ts): null = absent, unknown fields ignored, documented
 * type variants accepted, and only the fields we act on required.
 */

export { meetingAccountSchema } from './account.js';

export const ACCOUNT_TYPE = { meetingAccount: 0, thirdAccount: 1 } as const;
export type AccountType = (typeof ACCOUNT_TYPE)[keyof typeof ACCOUNT_TYPE];

export const MEMBER_STATUS = { normal: 0, disabled: 1 } as const;

/** adminType of user and admin objects (docs/meeting-api.md §1.3, §3): 0 default admin, 1 common admin, 2 not an admin. */
export const ADMIN_TYPE = { default: 0, common: 1, none: 2 } as const;
export type MemberStatus = (typeof MEMBER_STATUS)[keyof typeof MEMBER_STATUS];

export const MAX_PAGE_SIZE = 500;
export const MAX_BATCH_DELETE = 100;
export const MAX_BATCH_DETAILS = 200;
/** No documented maximum (docs/meeting-api.md §2.6); mirror delete. */
export const MAX_BATCH_STATUS = 100;

export const DETAIL_ID_TYPE = { userId: 'USER_ID', thirdAccount: 'THIRD_ACCOUNT' } as const;
export type DetailIdType = (typeof DETAIL_ID_TYPE)[keyof typeof DETAIL_ID_TYPE];

const contactRules = <
  T extends { phone?: string | undefined; email?: string | undefined; country?: string | undefined },
>(
  value: T,
  ctx: z.RefinementCtx,
) => {
  if (value.phone && !value.country)
    ctx.addIssue({ code: 'custom', message: 'phone requires country', path: ['country'] });
};

/** Paged answers (docs/meeting-api.md §2.5, §3). Every field may be missing; the paging loop copes (paging.ts). */
export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.looseObject({
    offset: wireInt.optional(),
    limit: wireInt.optional(),
    count: wireInt.optional(),
    data: z.array(item).optional(),
  });

/**
 * The schemas are built on first use, not at module load: their construction is a few ms of a
 * cold start (docs/design.md "Cold start"), and most calls of the API are never made by a given
 * container. Each export is a `z.lazy` over the one set built.
 */
const build = () => {
  const phone = z
    .string()
    .max(32)
    .regex(/^\+[0-9]+$/, 'phone: "+" then digits, with the country prefix');

  const memberFields = {
    name: z.string().min(1).max(64),
    englishName: z.string().max(64).optional(),
    phone: phone.optional(),
    country: z.string().max(255).optional(),
    email: z.string().max(255).optional(),
    deptCode: z.string().max(32).optional(),
    // docs/meeting-api.md §8 D5: cap at 128 so the same payload is valid for the legacy dialect too.
    signature: z.string().max(128).optional(),
    title: z.string().max(32).optional(),
    desc: z.string().max(128).optional(),
    status: z.union([z.literal(0), z.literal(1)]).optional(),
    sortLevel: z.number().int().min(1).max(10000).optional(),
    hidePhone: z.boolean().optional(),
  };

  /** AddUserDTO (docs/meeting-api.md §2.2). */
  const addMemberSchema = z
    .object({
      ...memberFields,
      account: meetingAccountSchema.optional(),
      thirdAccount: z.string().min(1).max(64).optional(),
      pwd: z.string().min(8).max(32).optional(),
      sendNotify: z.string().optional(),
    })
    .superRefine((value, ctx) => {
      if (!value.phone && !value.email) {
        ctx.addIssue({ code: 'custom', message: 'phone or email is required', path: ['email'] });
      }
      contactRules(value, ctx);
    });

  /** ModUserDTO (docs/meeting-api.md §2.4). `name` and `deptCode` are always sent (§8 D6, §2.4 root-dept reset). */
  const updateMemberSchema = z
    .object({
      ...memberFields,
      name: z.string().min(1).max(64),
      // Modify keeps omitted fields; an empty phone clears it (email, names, title: any length from 0).
      phone: z.union([phone, z.literal('')]).optional(),
      vmrId: z.string().max(32).optional(),
    })
    .superRefine(contactRules);

  /**
   * User object of add / modify / detail (docs/meeting-api.md §2.9) and SearchUserResultDTO (§2.5). Every field is
   * optional in the SDK models and may come back as null (= absent, see lib/http/wire.ts); only
   * the fields we compare or act on are typed, the rest (vmrList, devType, corp, sipNum, ...) pass
   * through untyped.
   */
  const memberShape = {
    id: wireText.optional(),
    userAccount: wireText.optional(),
    thirdAccount: wireKey.optional(),
    name: wireText.optional(),
    englishName: wireText.optional(),
    phone: wireText.optional(),
    country: wireText.optional(),
    email: wireText.optional(),
    deptCode: wireText.optional(),
    adminType: wireInt.optional(),
    signature: wireText.optional(),
    title: wireText.optional(),
    desc: wireText.optional(),
    status: wireInt.optional(),
    sortLevel: wireInt.optional(),
    hidePhone: wireBool.optional(),
  };

  /** Answer of add / modify: nothing required (we already know whom we wrote). */
  const memberResultSchema = z.looseObject(memberShape);

  /**
   * A member as read (detail, paged search): its account (the selector of every later call) and
   * its status (what cleanup, reconciliation and re-enabling decide on) are required.
   */
  const memberSchema = z.looseObject({ ...memberShape, userAccount: wireText, status: wireInt });

  /** SearchUserResultDTO (docs/meeting-api.md §2.5): the same fields we use as the detail object. */
  const memberSummarySchema = memberSchema;

  const memberQuerySchema = z.object({
    searchKey: z.string().optional(),
    deptCode: z.string().max(32).optional(),
    status: z.union([z.literal(0), z.literal(1)]).optional(),
    adminType: z.union([z.literal(1), z.literal(2)]).optional(),
    sortField: z.enum(['userType', 'adminType', 'ldapAccount', 'deptCode', 'status', 'sortLevel']).optional(),
    isAsc: z.boolean().optional(),
    limit: z.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
  });

  /**
   * UserDTO of batch details (docs/meeting-api.md §2.8). statusCode 2 = user does not exist. The SDK models make `id`
   * and `statusCode` optional too, so nothing is required here.
   */
  const memberDetailSchema = z.looseObject({
    id: wireText.optional(),
    statusCode: wireInt.optional(),
    account: wireText.optional(),
    name: wireText.optional(),
    email: wireText.optional(),
    phone: wireText.optional(),
  });
  /** Batch details answer a bare array (docs/meeting-api.md §2.8). */
  const memberDetailsSchema = z.array(memberDetailSchema);
  /** QueryCorpAdminResultDTO (docs/meeting-api.md §3). adminType 0 = default admin, 1 = common admin. We act on the account. */
  const adminSchema = z.looseObject({
    id: wireText.optional(),
    account: wireText,
    name: wireText.optional(),
    adminType: wireInt.optional(),
    email: wireText.optional(),
    phone: wireText.optional(),
  });

  const memberPageSchema = pageSchema(memberSummarySchema);
  const adminPageSchema = pageSchema(adminSchema);

  /** DeptDTO (docs/meeting-api.md §4). */
  const addDepartmentSchema = z.object({
    deptCode: z.string().min(1).max(32).optional(),
    deptName: z.string().min(1).max(128),
    parentDeptCode: z.string().max(32).optional(),
    note: z.string().max(96).optional(),
    sortLevel: z.number().int().min(1).max(10000).optional(),
  });

  /** QueryDeptResultDTO (docs/meeting-api.md §4). The root department's parentDeptCode is null (= absent). */
  const departmentSchema = z.looseObject({
    deptCode: wireText.optional(),
    deptName: wireText.optional(),
    parentDeptCode: wireText.optional(),
    deptNamePath: wireText.optional(),
  });

  /** ShowDeptAndChildDept (docs/meeting-api.md §4): the department and its direct children. */
  const departmentWithChildrenSchema = departmentSchema.extend({
    childDepts: z.array(departmentSchema).optional(),
  });
  /** SearchDepartmentByName (docs/meeting-api.md §4) answers a bare array. */
  const departmentListSchema = z.array(departmentSchema);
  /** AddDepartment (docs/meeting-api.md §4): `{"value": "<deptCode>"}`. */
  const createdDepartmentSchema = z.looseObject({ value: wireText.optional() });

  return {
    addMemberSchema,
    updateMemberSchema,
    memberResultSchema,
    memberSchema,
    memberSummarySchema,
    memberQuerySchema,
    memberDetailSchema,
    memberDetailsSchema,
    adminSchema,
    memberPageSchema,
    adminPageSchema,
    addDepartmentSchema,
    departmentSchema,
    departmentWithChildrenSchema,
    departmentListSchema,
    createdDepartmentSchema,
  };
};

const schemas = once(build);
type Schemas = ReturnType<typeof schemas>;

export const addMemberSchema = z.lazy(() => schemas().addMemberSchema);
export const updateMemberSchema = z.lazy(() => schemas().updateMemberSchema);
export const memberResultSchema = z.lazy(() => schemas().memberResultSchema);
export const memberSchema = z.lazy(() => schemas().memberSchema);
export const memberSummarySchema = z.lazy(() => schemas().memberSummarySchema);
export const memberQuerySchema = z.lazy(() => schemas().memberQuerySchema);
export const memberDetailSchema = z.lazy(() => schemas().memberDetailSchema);
export const memberDetailsSchema = z.lazy(() => schemas().memberDetailsSchema);
export const adminSchema = z.lazy(() => schemas().adminSchema);
export const memberPageSchema = z.lazy(() => schemas().memberPageSchema);
export const adminPageSchema = z.lazy(() => schemas().adminPageSchema);
export const addDepartmentSchema = z.lazy(() => schemas().addDepartmentSchema);
export const departmentSchema = z.lazy(() => schemas().departmentSchema);
export const departmentWithChildrenSchema = z.lazy(() => schemas().departmentWithChildrenSchema);
export const departmentListSchema = z.lazy(() => schemas().departmentListSchema);
export const createdDepartmentSchema = z.lazy(() => schemas().createdDepartmentSchema);

export type AddMemberInput = z.input<Schemas['addMemberSchema']>;
export type UpdateMemberInput = z.input<Schemas['updateMemberSchema']>;
export type MemberResult = z.infer<Schemas['memberResultSchema']>;
export type Member = z.infer<Schemas['memberSchema']>;
export type MemberSummary = Member;
export type MemberQuery = z.input<Schemas['memberQuerySchema']>;
export type MemberDetail = z.infer<Schemas['memberDetailSchema']>;
export type Admin = z.infer<Schemas['adminSchema']>;
export type AddDepartmentInput = z.input<Schemas['addDepartmentSchema']>;
export type Department = z.infer<Schemas['departmentSchema']>;
