import { z } from 'zod';

/**
 * Wire contracts of the Meeting API (docs/meeting-api.md §1-§4), field names exactly as the API
 * spells them. Requests are validated before sending; responses are parsed leniently
 * (`z.looseObject`) so new server fields never break us, but the fields we rely on are typed.
 */

// docs/meeting-api.md §2.1: conservative account rule (no "." after "@", not all digits).
// Length first and a linear pattern: the naive `(?!.*@.*\.)` is quadratic on long hostile input.
export const meetingAccountSchema = z
  .string()
  .max(64)
  .regex(
    /^(?!\d+$)(?![^@]*@[^.]*\.)[A-Za-z0-9_.@-]{1,64}$/,
    'account: 1-64 of A-Z a-z 0-9 _ - . @, not all digits, no "." after "@"',
  );

const phone = z
  .string()
  .max(32)
  .regex(/^\+[0-9]+$/, 'phone: "+" then digits, with the country prefix');

export const ACCOUNT_TYPE = { meetingAccount: 0, thirdAccount: 1 } as const;
export type AccountType = (typeof ACCOUNT_TYPE)[keyof typeof ACCOUNT_TYPE];

export const MEMBER_STATUS = { normal: 0, disabled: 1 } as const;
export type MemberStatus = (typeof MEMBER_STATUS)[keyof typeof MEMBER_STATUS];

const memberFields = {
  name: z.string().min(1).max(64),
  englishName: z.string().max(64).optional(),
  phone: phone.optional(),
  country: z.string().max(255).optional(),
  email: z.string().max(255).optional(),
  deptCode: z.string().max(32).optional(),
  // §8 D5: cap at 128 so the same payload is valid for the legacy dialect too.
  signature: z.string().max(128).optional(),
  title: z.string().max(32).optional(),
  desc: z.string().max(128).optional(),
  status: z.union([z.literal(0), z.literal(1)]).optional(),
  sortLevel: z.number().int().min(1).max(10000).optional(),
  hidePhone: z.boolean().optional(),
};

const contactRules = <
  T extends { phone?: string | undefined; email?: string | undefined; country?: string | undefined },
>(
  value: T,
  ctx: z.RefinementCtx,
) => {
  if (value.phone && !value.country)
    ctx.addIssue({ code: 'custom', message: 'phone requires country', path: ['country'] });
};

/** AddUserDTO (§2.2). */
export const addMemberSchema = z
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
export type AddMemberInput = z.input<typeof addMemberSchema>;

/** ModUserDTO (§2.4). `name` and `deptCode` are always sent (§8 D6, §2.4 root-dept reset). */
export const updateMemberSchema = z
  .object({
    ...memberFields,
    name: z.string().min(1).max(64),
    // Modify keeps omitted fields; an empty phone clears it (email, names, title: any length from 0).
    phone: z.union([phone, z.literal('')]).optional(),
    vmrId: z.string().max(32).optional(),
  })
  .superRefine(contactRules);
export type UpdateMemberInput = z.input<typeof updateMemberSchema>;

/** User object of add / modify / detail (§2.9). */
export const memberSchema = z.looseObject({
  id: z.string(),
  userAccount: z.string(),
  thirdAccount: z.string().optional(),
  name: z.string(),
  englishName: z.string().optional(),
  phone: z.string().optional(),
  country: z.string().optional(),
  email: z.string().optional(),
  deptCode: z.string().optional(),
  deptName: z.string().optional(),
  deptNamePath: z.string().optional(),
  userType: z.number().optional(),
  adminType: z.number().optional(),
  signature: z.string().optional(),
  title: z.string().optional(),
  desc: z.string().optional(),
  status: z.number(),
  sortLevel: z.number().optional(),
  hidePhone: z.boolean().optional(),
});
export type Member = z.infer<typeof memberSchema>;

/** SearchUserResultDTO (§2.5). */
export const memberSummarySchema = memberSchema;
export type MemberSummary = Member;

export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.looseObject({ offset: z.number(), limit: z.number(), count: z.number(), data: z.array(item) });

export const MAX_PAGE_SIZE = 500;
export const MAX_BATCH_DELETE = 100;
export const MAX_BATCH_DETAILS = 200;
/** No documented maximum (§2.6); mirror delete. */
export const MAX_BATCH_STATUS = 100;

export const memberQuerySchema = z.object({
  searchKey: z.string().optional(),
  deptCode: z.string().max(32).optional(),
  status: z.union([z.literal(0), z.literal(1)]).optional(),
  adminType: z.union([z.literal(1), z.literal(2)]).optional(),
  sortField: z.enum(['userType', 'adminType', 'ldapAccount', 'deptCode', 'status', 'sortLevel']).optional(),
  isAsc: z.boolean().optional(),
  limit: z.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
});
export type MemberQuery = z.input<typeof memberQuerySchema>;

/** UserDTO of batch details (§2.8). statusCode 2 = user does not exist. */
export const memberDetailSchema = z.looseObject({
  id: z.string(),
  statusCode: z.number(),
  account: z.string().optional(),
  name: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
});
export type MemberDetail = z.infer<typeof memberDetailSchema>;
export const DETAIL_ID_TYPE = { userId: 'USER_ID', thirdAccount: 'THIRD_ACCOUNT' } as const;
export type DetailIdType = (typeof DETAIL_ID_TYPE)[keyof typeof DETAIL_ID_TYPE];

/** QueryCorpAdminResultDTO (§3). adminType 0 = default admin, 1 = common admin. */
export const adminSchema = z.looseObject({
  id: z.string().optional(),
  account: z.string(),
  name: z.string().optional(),
  adminType: z.number(),
  email: z.string().optional(),
  phone: z.string().optional(),
});
export type Admin = z.infer<typeof adminSchema>;

/** DeptDTO (§4). */
export const addDepartmentSchema = z.object({
  deptCode: z.string().min(1).max(32).optional(),
  deptName: z.string().min(1).max(128),
  parentDeptCode: z.string().max(32).optional(),
  note: z.string().max(96).optional(),
  sortLevel: z.number().int().min(1).max(10000).optional(),
});
export type AddDepartmentInput = z.input<typeof addDepartmentSchema>;

export const departmentSchema = z.looseObject({
  deptCode: z.string(),
  deptName: z.string(),
  parentDeptCode: z.string().optional(),
  deptNamePath: z.string().optional(),
});
export type Department = z.infer<typeof departmentSchema>;
