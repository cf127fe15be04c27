import { ERROR_CODE } from './constants.js';
import { checkFaultConfig } from './faults.js';
import { parseJson } from './http.js';
import type { ControlHandler } from './pipeline.js';
import type { FaultConfig, SimulatorCounters } from './types.js';

/** What the /__sim endpoints can do; the MeetingSimulator object provides it. */
export interface ControlApi {
  counters(): SimulatorCounters;
  state(): Record<string, unknown>;
  reset(): void;
  setFaults(faults: FaultConfig | undefined): void;
  faults(): FaultConfig | undefined;
  revokeAllTokens(): void;
}

const fail = (status: number, code: string, message: string, requestId: string) => ({
  status,
  body: { error_code: code, error_msg: message, request_id: requestId },
});

/**
 * Control endpoints for standalone use: GET /__sim/counters, GET /__sim/state,
 * POST /__sim/reset, POST /__sim/faults (JSON FaultConfig; empty body clears), POST /__sim/revoke.
 */
export const createControl =
  (api: ControlApi): ControlHandler =>
  (method, path, raw, requestId) => {
    const key = `${method} ${path}`;
    switch (key) {
      case 'GET /__sim/counters':
        return { status: 200, body: api.counters() };
      case 'GET /__sim/state':
        return { status: 200, body: api.state() };
      case 'POST /__sim/reset':
        api.reset();
        return { status: 200 };
      case 'POST /__sim/revoke':
        api.revokeAllTokens();
        return { status: 200 };
      case 'POST /__sim/faults': {
        try {
          const body = parseJson(raw);
          api.setFaults(body === undefined ? undefined : checkFaultConfig(body));
        } catch (error) {
          return fail(400, ERROR_CODE.paramInvalid, (error as Error).message, requestId);
        }
        return { status: 200, body: { faults: api.faults() ?? null } };
      }
      default:
        return fail(404, ERROR_CODE.notFound, `no control endpoint ${key}`, requestId);
    }
  };
