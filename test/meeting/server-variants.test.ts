import { describe, expect, it } from 'vitest';
import { connectMeeting } from '../../lib/auth/connect-meeting.js';
import type { MeetingClient } from '../../lib/meeting/types.js';
import { DEMO_CREDENTIALS, type SimulatorOptions } from '../../simulator/index.js';
import { simulatorConfig } from '../helpers/simulator.js';
import { useFreshSim } from '../simulator/support.js';

/**
 * The client against servers that answer the way the real one may: pages capped below the size
 * asked for, and already-done writes answered 200 or refused with a code.
 */

const fresh = useFreshSim();

const start = async (options: SimulatorOptions, env: Record<string, string> = {}) => {
  const sim = await fresh.start(options);
  const meeting = connectMeeting({ config: simulatorConfig(sim, 'appId', env) });
  return { sim, meeting };
};

const seed = async (meeting: MeetingClient, count: number) => {
  const ids = Array.from({ length: count }, (_, i) => `E-${String(i).padStart(4, '0')}`);
  for (let i = 0; i < ids.length; i += 250) {
    await Promise.all(
      ids
        .slice(i, i + 250)
        .map((id) => meeting.createMember({ name: id, thirdAccount: id, email: `${id}@corp.example` })),
    );
  }
  return ids;
};

describe('a server that caps the page size', () => {
  it.each(['served', 'requested'] as const)(
    'lists all of 1,000 members in pages of 100 when 500 were asked for (limit echoed: %s)',
    async (pageLimitEcho) => {
      const { meeting } = await start({ pageSizeCap: 100, pageLimitEcho });
      const ids = await seed(meeting, 999); // + the default admin = 1,000
      fresh.sim.resetCounters();
      const all = await meeting.listAllMembers();
      expect(all).toHaveLength(1000);
      expect(new Set(all.map((m) => m.userAccount)).size).toBe(1000);
      expect(all.filter((m) => m.thirdAccount !== undefined).map((m) => m.thirdAccount)).toEqual(ids);
      // 10 full pages, and no request past the total.
      expect(fresh.sim.counters().calls.listMembers).toBe(10);
    },
  );

  it('lists capped admin pages completely too', async () => {
    const { meeting } = await start({ pageSizeCap: 2 });
    const ids = await seed(meeting, 4);
    for (const id of ids) await meeting.addAdmin(id);
    expect((await meeting.listAllAdmins()).map((a) => a.account).sort()).toHaveLength(5);
  });
});

describe.each(['ok', 'code'] as const)(
  'already-done writes count as done (server answers %s)',
  (alreadyDone) => {
    it('granting an admin role to an admin, also to the default admin', async () => {
      const { meeting } = await start({ alreadyDone });
      await meeting.createMember({ name: 'A', thirdAccount: 'HR-A', email: 'a@corp.example' });
      await meeting.addAdmin('HR-A');
      await meeting.addAdmin('HR-A');
      await meeting.addAdmin(DEMO_CREDENTIALS.account, { accountType: 0 });
      expect(fresh.sim.admins()).toHaveLength(2);
    });

    it('disabling disabled members, in a batch where some still need it', async () => {
      const { meeting } = await start({ alreadyDone });
      const ids = await seed(meeting, 5);
      await meeting.setMembersStatus(ids.slice(0, 2), 1);
      await meeting.setMembersStatus(ids, 1);
      await meeting.setMembersStatus(ids, 1);
      expect(fresh.sim.members().filter((m) => m.status === 1)).toHaveLength(5);
    });

    it('deleting deleted members, in a batch where some are still there', async () => {
      const { meeting } = await start({ alreadyDone });
      const ids = await seed(meeting, 5);
      await meeting.deleteMembers(ids.slice(0, 2));
      await meeting.deleteMembers(ids);
      await meeting.deleteMember(ids[0]!);
      expect(fresh.sim.members()).toHaveLength(1);
    });

    it('revoking the role of non-admins, in a batch where some still hold it, and of a member gone', async () => {
      const { meeting } = await start({ alreadyDone });
      const ids = await seed(meeting, 4);
      await meeting.addAdmin(ids[0]!);
      await meeting.addAdmin(ids[1]!);
      await meeting.deleteAdmins([ids[1]!]); // removed by hand in the portal, say
      await meeting.deleteMembers([ids[3]!]);
      fresh.sim.resetCounters();
      await meeting.deleteAdmins(ids);
      await meeting.deleteAdmins([ids[2]!]);
      expect(fresh.sim.admins().map((a) => a.thirdAccount)).toEqual([undefined]); // the default admin
    });

    it('a refusal for another reason still stands (enabling a member is not disabling it)', async () => {
      const { meeting } = await start({ alreadyDone });
      await seed(meeting, 1);
      await expect(meeting.setMembersStatus(['E-0000', 'E-nobody'], 1)).rejects.toMatchObject({
        kind: 'notFound',
      });
      expect(fresh.sim.members().filter((m) => m.status === 1)).toHaveLength(0);
    });
  },
);

describe('legacy login (clientType 0: one token per account)', () => {
  it('a token kicked out by another login of the same account logs in again once, and the call succeeds', async () => {
    const sim = await fresh.start();
    const meeting = connectMeeting({
      config: simulatorConfig(sim, 'account', { MEETING_API_DIALECT: 'legacy' }),
    });
    await meeting.getDepartment('1');
    // The same admin signs in elsewhere (a portal, another tool): our token is kicked out.
    const portal = await fetch(`${sim.url}/rest/usg/sso/v1/auth/account`, {
      method: 'PUT',
      headers: {
        Authorization: `Basic ${Buffer.from(`${DEMO_CREDENTIALS.account}:${DEMO_CREDENTIALS.password}`).toString('base64')}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ account: DEMO_CREDENTIALS.account, clientType: 0 }),
    });
    expect(portal.status).toBe(200);
    sim.resetCounters();
    expect((await meeting.getDepartment('1')).deptCode).toBe('1');
    expect(sim.counters()).toMatchObject({ auth: 1, calls: { getDeptAndChildren: 2, authLegacy: 1 } });
    // ...which in turn kicks the other session out: only one of the two stays signed in.
    expect(sim.activeTokenCount()).toBe(1);
  });
});
