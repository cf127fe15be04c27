/** Logical API names, shared with the simulator's counters and fault filters. */
export const MEETING_API = {
  authAccount: 'authAccount',
  authAppId: 'authAppId',
  authLegacy: 'authLegacy',
  createMember: 'createMember',
  getMember: 'getMember',
  updateMember: 'updateMember',
  listMembers: 'listMembers',
  setMembersStatus: 'setMembersStatus',
  deleteMembers: 'deleteMembers',
  getMembersDetails: 'getMembersDetails',
  listAdmins: 'listAdmins',
  getAdmin: 'getAdmin',
  addAdmin: 'addAdmin',
  deleteAdmins: 'deleteAdmins',
  getDepartment: 'getDepartment',
  getDeptAndChildren: 'getDeptAndChildren',
  findDepartmentsByName: 'findDepartmentsByName',
  createDepartment: 'createDepartment',
} as const;
export type MeetingApi = (typeof MEETING_API)[keyof typeof MEETING_API];
