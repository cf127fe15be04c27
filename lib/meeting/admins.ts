import { z } from 'zod';
import { ifNotFound } from '../http/errors.js';
import { MEETING_API } from './api-names.js';
import { runChunks } from './chunks.js';
import { type ClientContext, callContext, checkedAccountType, readByAccount } from './context.js';
import {
  mapLimited,
  mayBeAlreadyDone,
  type Progress,
  READ_BACK_CONCURRENCY,
  settleBatch,
} from './idempotent.js';
import { collect, paginate } from './paging.js';
import {
  ADMIN_TYPE,
  type Admin,
  adminPageSchema,
  adminSchema,
  MAX_BATCH_DELETE,
  MAX_PAGE_SIZE,
} from './schemas.js';
import type { CallOptions } from './types.js';
import { parseWith, validateRequest } from './validate.js';

const adminQuerySchema = z.lazy(() => z.object({ searchKey: z.string().optional() }));

/** Enterprise admin calls of docs/meeting-api.md §3. */
export const adminOperations = (context: ClientContext) => {
  const { caller, dialect } = context;

  async function* listAdmins(
    query: { searchKey?: string } = {},
    options?: CallOptions,
  ): AsyncGenerator<Admin> {
    const filters = validateRequest(MEETING_API.listAdmins, adminQuerySchema, query);
    yield* paginate(
      (offset, limit) =>
        caller.call(
          dialect.listAdmins({ offset, limit }, filters),
          parseWith(MEETING_API.listAdmins, adminPageSchema),
          callContext(options),
        ),
      MAX_PAGE_SIZE,
      (admin) => admin.account,
    );
  }

  const listAllAdmins = (query?: { searchKey?: string }, options?: CallOptions): Promise<Admin[]> =>
    collect(listAdmins(query, options));

  const getAdmin = readByAccount(context, MEETING_API.getAdmin, dialect.getAdmin, adminSchema);

  /**
   * Idempotent: an account that already is an admin counts as granted, whether the server answers
   * 200 or refuses (already-exists, or a code we do not know): a refusal is checked by reading
   * the admin back (idempotent.ts).
   */
  const addAdmin = async (account: string, options?: CallOptions): Promise<void> => {
    const accountType = checkedAccountType(context, MEETING_API.addAdmin, [account], options);
    try {
      await caller.call(dialect.addAdmin(account, accountType), () => undefined, callContext(options));
    } catch (error) {
      if (!mayBeAlreadyDone(error)) throw error;
      const admin = await ifNotFound(
        () => getAdmin(account, options),
        () => undefined,
      );
      if (admin === undefined || admin.adminType === ADMIN_TYPE.none) throw error;
    }
  };

  /**
   * Idempotent like the grant: an account that holds no role (or no longer exists) counts as
   * revoked. A refusal is checked by reading each admin back, and a chunk refused because of
   * accounts already done is sent again without them (idempotent.ts). A leaver's revoke must
   * never stall on a role removed by hand in the portal.
   */
  const deleteAdmins = async (accounts: readonly string[], options?: CallOptions): Promise<void> => {
    const accountType = checkedAccountType(context, MEETING_API.deleteAdmins, accounts, options);
    const write = (part: readonly string[]) =>
      caller.call(dialect.deleteAdmins(part, accountType), () => undefined, callContext(options));
    const progress = async (part: readonly string[]): Promise<Progress> => {
      const admins = await mapLimited(part, READ_BACK_CONCURRENCY, (account) =>
        ifNotFound(
          () => getAdmin(account, { ...options, accountType }),
          () => undefined,
        ),
      );
      const holds = (admin: Admin | undefined) => admin !== undefined && admin.adminType !== ADMIN_TYPE.none;
      return { pending: part.filter((_, i) => holds(admins[i])), missing: [] };
    };
    await runChunks(MEETING_API.deleteAdmins, accounts, MAX_BATCH_DELETE, (part) =>
      settleBatch(part, write, progress, true),
    );
  };

  return { listAdmins, listAllAdmins, getAdmin, addAdmin, deleteAdmins };
};
