import { describe, expect, it } from 'vitest';
import { connectMeeting } from '../../lib/auth/connect-meeting.js';
import { MemberConflictError } from '../../lib/http/errors.js';
import { FOREIGN_ACCOUNTS } from '../../simulator/index.js';
import { simulatorConfig, useSimulator } from '../helpers/simulator.js';

const handle = useSimulator();
const appClient = () => connectMeeting({ config: simulatorConfig(handle.sim, 'appId') });
const accountClient = () => connectMeeting({ config: simulatorConfig(handle.sim, 'account') });

const ana = { name: 'Ana Souza', thirdAccount: 'HR-004711', email: 'ana@corp.example', sendNotify: '0' };

describe('member calls (App ID mode, accountType 1 by default)', () => {
  it('creates, reads, finds and updates a member by HR id', async () => {
    const meeting = appClient();
    const created = await meeting.createMember(ana);
    expect(created).toMatchObject({ name: 'Ana Souza', thirdAccount: 'HR-004711', status: 0 });
    expect(await meeting.getMember('HR-004711')).toMatchObject({ id: created.id });
    expect(await meeting.findMember('HR-unknown')).toBeUndefined();
    const updated = await meeting.updateMember('HR-004711', {
      name: 'Ana S. Lima',
      deptCode: '1',
      title: 'Lead',
    });
    expect(updated).toMatchObject({ name: 'Ana S. Lima', title: 'Lead' });
    expect(handle.sim.members().find((m) => m.thirdAccount === 'HR-004711')).toMatchObject({
      name: 'Ana S. Lima',
    });
  });

  it('disables and re-enables members in a batch, and deletes them', async () => {
    const meeting = appClient();
    await meeting.createMember(ana);
    await meeting.createMember({ ...ana, thirdAccount: 'HR-2', email: 'b@corp.example' });
    await meeting.setMembersStatus(['HR-004711', 'HR-2'], 1);
    expect((await meeting.getMember('HR-2')).status).toBe(1);
    await meeting.setMembersStatus(['HR-2'], 0);
    expect((await meeting.getMember('HR-2')).status).toBe(0);
    await meeting.deleteMember('HR-004711');
    await meeting.deleteMembers(['HR-2']);
    expect(await meeting.findMember('HR-2')).toBeUndefined();
    expect(handle.sim.members().filter((m) => typeof m.thirdAccount === 'string')).toEqual([]);
  });

  it('batch-queries details by thirdAccount, marking unknown ids', async () => {
    const meeting = appClient();
    await meeting.createMember(ana);
    const details = await meeting.getMembersDetails(['HR-004711', 'HR-missing'], 'THIRD_ACCOUNT');
    expect(details.map((d) => d.statusCode)).toEqual([0, 2]);
  });

  it('ensureMember creates, adopts an identical member, updates a changed one', async () => {
    const meeting = appClient();
    expect((await meeting.ensureMember(ana)).outcome).toBe('created');
    expect((await meeting.ensureMember(ana)).outcome).toBe('adopted');
    const moved = await meeting.ensureMember({ ...ana, title: 'Manager' });
    expect(moved.outcome).toBe('updated');
    expect(moved.member.title).toBe('Manager');
    expect(handle.sim.members().filter((m) => m.thirdAccount === 'HR-004711')).toHaveLength(1);
  });

  it('ensureMember refuses an account that belongs to someone else', async () => {
    const meeting = appClient();
    const error = await meeting
      .ensureMember({ ...ana, account: FOREIGN_ACCOUNTS[0]! })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MemberConflictError);
    expect(error).toMatchObject({ kind: 'alreadyExists', errorCode: 'USG.201040001' });
  });
});

describe('member calls (account mode, accountType 0 by default)', () => {
  it('creates with a Meeting account and selects by it', async () => {
    const meeting = accountClient();
    await meeting.createMember({ name: 'Bo', account: 'bo.li', email: 'bo@corp.example' });
    expect((await meeting.getMember('bo.li')).userAccount).toBe('bo.li');
    await meeting.setMembersStatus(['bo.li'], 1);
    expect(handle.sim.members().find((m) => m.userAccount === 'bo.li')).toMatchObject({ status: 1 });
    await meeting.deleteMembers(['bo.li']);
    expect(await meeting.findMember('bo.li')).toBeUndefined();
  });

  it('a per-call accountType overrides the default', async () => {
    const meeting = accountClient();
    await meeting.createMember({ ...ana, account: 'ana.s' });
    expect((await meeting.getMember('HR-004711', { accountType: 1 })).userAccount).toBe('ana.s');
  });
});
