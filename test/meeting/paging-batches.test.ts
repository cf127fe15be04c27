import { describe, expect, it } from 'vitest';
import { connectMeeting } from '../../lib/auth/connect-meeting.js';
import { MeetingBatchError } from '../../lib/http/errors.js';
import type { MeetingClient } from '../../lib/meeting/types.js';
import { simulatorConfig, useSimulator } from '../helpers/simulator.js';

const handle = useSimulator();
const client = () => connectMeeting({ config: simulatorConfig(handle.sim, 'appId') });
const ids = (n: number) => Array.from({ length: n }, (_, i) => `E-${String(i).padStart(4, '0')}`);

const seed = async (meeting: MeetingClient, hrIds: string[]) => {
  for (let i = 0; i < hrIds.length; i += 300) {
    await Promise.all(
      hrIds
        .slice(i, i + 300)
        .map((id) => meeting.createMember({ name: id, thirdAccount: id, email: `${id}@corp.example` })),
    );
  }
  handle.sim.resetCounters();
};

describe('paging', () => {
  it('walks >1000 members in pages of 500 and stops at offset >= count (last-page quirk)', async () => {
    const meeting = client();
    await seed(meeting, ids(1199)); // + the default admin = 1200
    const all = await meeting.listAllMembers();
    expect(all).toHaveLength(1200);
    expect(new Set(all.map((m) => m.id)).size).toBe(1200);
    // 0, 500, 1000 — a fourth request would get the last page again, forever.
    expect(handle.sim.counters().calls.listMembers).toBe(3);
  });

  it('ends when the total is an exact multiple of the page size', async () => {
    const meeting = client();
    await seed(meeting, ids(299));
    expect(await meeting.listAllMembers({ limit: 100 })).toHaveLength(300);
    expect(handle.sim.counters().calls.listMembers).toBe(3);
  });

  it('terminates without duplicates when members disappear mid-walk', async () => {
    const meeting = client();
    const hrIds = ids(300);
    await seed(meeting, hrIds);
    const seen: string[] = [];
    let deleted = false;
    for await (const member of meeting.listMembers({ limit: 100 })) {
      seen.push(member.userAccount);
      if (!deleted) {
        deleted = true;
        await meeting.deleteMembers(hrIds.slice(100, 300));
      }
    }
    // 301 → 101 members after the first page: the walk ends after page 2 (offset 200 >= 101).
    expect(new Set(seen).size).toBe(seen.length);
    expect(handle.sim.counters().calls.listMembers).toBe(2);
  });
});

describe('chunked batches', () => {
  it('deletes 250 accounts in 3 calls of at most 100', async () => {
    const meeting = client();
    await seed(meeting, ids(250));
    await meeting.deleteMembers(ids(250));
    expect(handle.sim.counters().calls.deleteMembers).toBe(3);
    expect(handle.sim.members()).toHaveLength(1);
  });

  it('stops at the first failing chunk and reports what was already deleted', async () => {
    const meeting = client();
    await seed(meeting, ids(250));
    const accounts = ids(250);
    // The simulator refuses to delete a member that still holds the admin role (docs/meeting-api.md §2.11).
    await meeting.addAdmin(accounts[150]!);
    handle.sim.resetCounters();
    const error = await meeting.deleteMembers(accounts).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MeetingBatchError);
    expect(error).toMatchObject({ kind: 'permanent', status: 400 });
    const batch = error as MeetingBatchError;
    expect(batch.completed).toEqual(accounts.slice(0, 100));
    expect(batch.notCompleted).toEqual(accounts.slice(100));
    // The refusal is read back (nobody of the chunk was gone already), then it stands.
    expect(handle.sim.counters().calls).toMatchObject({ deleteMembers: 2, getMember: 100 });
    expect(handle.sim.members()).toHaveLength(151);
  });

  it('a chunk refused for members already gone is sent again without them (delete is idempotent)', async () => {
    const meeting = client();
    await seed(meeting, ids(250));
    const accounts = [...ids(250), 'E-gone-1', 'E-gone-2'];
    await meeting.deleteMembers(accounts);
    expect(handle.sim.members()).toHaveLength(1);
    // 100, 100, then 52 refused (2 unknown) → read back → the 50 left again.
    expect(handle.sim.counters().calls.deleteMembers).toBe(4);
    await meeting.deleteMembers(['E-0001']);
  });

  it('changes status in chunks of 100 and reads details in chunks of 200', async () => {
    const meeting = client();
    await seed(meeting, ids(250));
    await meeting.setMembersStatus(ids(250), 1);
    expect(handle.sim.counters().calls.setMembersStatus).toBe(3);
    expect(handle.sim.members().filter((m) => m.status === 1)).toHaveLength(250);
    const details = await meeting.getMembersDetails(ids(250), 'THIRD_ACCOUNT');
    expect(details).toHaveLength(250);
    expect(handle.sim.counters().calls.getMembersDetails).toBe(2);
  });
});
