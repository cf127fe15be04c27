export {
  API_NAMES as SIMULATOR_API_NAMES,
  AUTH_APIS as SIMULATOR_AUTH_APIS,
  DEMO_CORP,
  DEMO_CREDENTIALS,
  ERROR_CODE as SIMULATOR_ERROR_CODES,
  FOREIGN_ACCOUNTS,
} from './constants.js';
export { startMeetingSimulator } from './server.js';
export type { FaultConfig, MeetingSimulator, SimulatorCounters, SimulatorOptions } from './types.js';
