import { z } from 'zod';
import { ERROR_KIND, ifNotFound, type MeetingError, MemberConflictError } from '../http/errors.js';
import { withoutNulls } from '../http/wire.js';
import { MEETING_API } from './api-names.js';
import { runChunks } from './chunks.js';
import { type ClientContext, callContext, checkedAccountType, readByAccount } from './context.js';
import { mapLimited, type Progress, READ_BACK_CONCURRENCY, settleBatch } from './idempotent.js';
import { findOwnMember } from './member-ownership.js';
import { collect, paginate } from './paging.js';
import {
  type AccountType,
  type AddMemberInput,
  addMemberSchema,
  DETAIL_ID_TYPE,
  type DetailIdType,
  MAX_BATCH_DELETE,
  MAX_BATCH_DETAILS,
  MAX_BATCH_STATUS,
  MAX_PAGE_SIZE,
  type Member,
  type MemberDetail,
  type MemberQuery,
  type MemberResult,
  type MemberStatus,
  type MemberSummary,
  memberDetailsSchema,
  memberPageSchema,
  memberQuerySchema,
  memberResultSchema,
  memberSchema,
  type UpdateMemberInput,
  updateMemberSchema,
} from './schemas.js';
import type { CallOptions } from './types.js';
import { parseResponse, parseWith, validateRequest } from './validate.js';

/** No payload, null, or `{}`: a write that answered without the written object. */
const isEmptyAnswer = (payload: unknown): boolean =>
  payload === undefined ||
  payload === null ||
  (typeof payload === 'object' &&
    !Array.isArray(payload) &&
    Object.keys(withoutNulls(payload) as object).length === 0);

const statusSchema = z.lazy(() => z.union([z.literal(0), z.literal(1)]));
const idTypeSchema = z.lazy(() => z.enum([DETAIL_ID_TYPE.userId, DETAIL_ID_TYPE.thirdAccount]));
const detailIdSchema = z.lazy(() => z.string().min(1).max(64));

export type MemberOperations = ReturnType<typeof memberOperations>;

/** Member calls of docs/meeting-api.md §2 over the shared caller. */
export const memberOperations = (context: ClientContext) => {
  const { caller, dialect } = context;

  const getMember = readByAccount(context, MEETING_API.getMember, dialect.getMember, memberSchema);

  const findMember = (account: string, options?: CallOptions): Promise<Member | undefined> =>
    ifNotFound(
      () => getMember(account, options),
      () => undefined,
    );

  /**
   * Creates a member. Create is not idempotent: when a retry (after a timeout or 5xx whose
   * first attempt may have landed) answers already-exists, the existing member counts as ours
   * only if it matches (same thirdAccount); otherwise MemberConflictError.
   */
  const createMember = async (input: AddMemberInput, options?: CallOptions): Promise<MemberResult> => {
    const body = validateRequest(MEETING_API.createMember, addMemberSchema, input);
    const recoverAfterRetry = (error: MeetingError, attempt: number) => {
      if (attempt < 2 || error.kind !== ERROR_KIND.alreadyExists) return undefined;
      return findOwnMember(findMember, body, options, dialect.name === 'current').then((own) => {
        if (own) return own;
        throw new MemberConflictError(
          'createMember: already exists after a retry and the member is not ours',
          {
            kind: ERROR_KIND.alreadyExists,
            status: error.status,
            errorCode: error.errorCode,
            errorMsg: error.errorMsg,
            requestId: error.requestId,
            api: MEETING_API.createMember,
            cause: error,
          },
        );
      });
    };
    return caller.call(
      dialect.createMember(body),
      parseWith(MEETING_API.createMember, memberResultSchema),
      callContext(options),
      recoverAfterRetry,
    );
  };

  const updateMember = async (
    account: string,
    input: UpdateMemberInput,
    options?: CallOptions,
  ): Promise<MemberResult> => {
    const accountType = checkedAccountType(context, MEETING_API.updateMember, [account], options);
    const body = validateRequest(MEETING_API.updateMember, updateMemberSchema, input);
    const updated = await caller.call(
      dialect.updateMember(account, accountType, body),
      (payload, meta) =>
        isEmptyAnswer(payload)
          ? undefined
          : parseResponse(MEETING_API.updateMember, memberResultSchema, payload, meta),
      callContext(options),
    );
    // The legacy modify answers an envelope without data (docs/meeting-api.md §7), and an empty answer tells us
    // nothing either: read the result back.
    return updated ?? getMember(account, options);
  };

  async function* listMembers(query: MemberQuery = {}, options?: CallOptions): AsyncGenerator<MemberSummary> {
    const { limit = MAX_PAGE_SIZE, ...filters } = validateRequest(
      MEETING_API.listMembers,
      memberQuerySchema,
      query,
    );
    yield* paginate(
      (offset, size) =>
        caller.call(
          dialect.listMembers({ offset, limit: size }, filters),
          parseWith(MEETING_API.listMembers, memberPageSchema),
          callContext(options),
        ),
      limit,
      (member) => member.id ?? member.userAccount,
    );
  }

  const listAllMembers = (query?: MemberQuery, options?: CallOptions): Promise<MemberSummary[]> =>
    collect(listMembers(query, options));

  /** Where each account stands against a target: read back after a refusal (idempotent.ts). */
  const progressOf =
    (accountType: AccountType, options: CallOptions | undefined, isDone: (member: Member) => boolean) =>
    async (accounts: readonly string[]): Promise<Progress> => {
      const found = await mapLimited(accounts, READ_BACK_CONCURRENCY, (account) =>
        findMember(account, { ...options, accountType }),
      );
      return {
        pending: accounts.filter((_, i) => found[i] !== undefined && !isDone(found[i]!)),
        missing: accounts.filter((_, i) => found[i] === undefined),
      };
    };

  /** Members already in `status` count as done, whatever the server answers for them. */
  const setMembersStatus = async (
    accounts: readonly string[],
    status: MemberStatus,
    options?: CallOptions,
  ): Promise<void> => {
    validateRequest(MEETING_API.setMembersStatus, statusSchema, status);
    const accountType = checkedAccountType(context, MEETING_API.setMembersStatus, accounts, options);
    const write = (part: readonly string[]) =>
      caller.call(dialect.setMembersStatus(part, status, accountType), () => undefined, callContext(options));
    const progress = progressOf(accountType, options, (member) => member.status === status);
    await runChunks(MEETING_API.setMembersStatus, accounts, MAX_BATCH_STATUS, (part) =>
      settleBatch(part, write, progress, false),
    );
  };

  const deleteMember = (account: string, options?: CallOptions): Promise<void> =>
    deleteMembers([account], options);

  /**
   * All-or-nothing per chunk of 100 (docs/meeting-api.md §2.7); a failed chunk stops the run (MeetingBatchError).
   * Members already gone count as deleted: a chunk refused because of them is sent again without.
   */
  const deleteMembers = async (accounts: readonly string[], options?: CallOptions): Promise<void> => {
    const accountType = checkedAccountType(context, MEETING_API.deleteMembers, accounts, options);
    const write = (part: readonly string[]) =>
      caller.call(dialect.deleteMembers(part, accountType), () => undefined, callContext(options));
    const progress = progressOf(accountType, options, () => false);
    await runChunks(MEETING_API.deleteMembers, accounts, MAX_BATCH_DELETE, (part) =>
      settleBatch(part, write, progress, true),
    );
  };

  const getMembersDetails = async (
    ids: readonly string[],
    idType: DetailIdType,
    options?: CallOptions,
  ): Promise<MemberDetail[]> => {
    validateRequest(MEETING_API.getMembersDetails, idTypeSchema, idType);
    for (const id of ids) validateRequest(MEETING_API.getMembersDetails, detailIdSchema, id);
    const results: MemberDetail[] = [];
    for (let i = 0; i < ids.length; i += MAX_BATCH_DETAILS) {
      const part = ids.slice(i, i + MAX_BATCH_DETAILS);
      const details = await caller.call(
        dialect.getMembersDetails(part, idType),
        parseWith(MEETING_API.getMembersDetails, memberDetailsSchema),
        callContext(options),
      );
      results.push(...details);
    }
    return results;
  };

  return {
    createMember,
    getMember,
    findMember,
    updateMember,
    listMembers,
    listAllMembers,
    setMembersStatus,
    deleteMember,
    deleteMembers,
    getMembersDetails,
  };
};
