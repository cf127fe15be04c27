import { z } from 'zod';

/**
 * The Meeting account rule on its own, for the HR event contract (lib/events/schemas.ts): the
 * webhook validates accounts but never calls Meeting, so it does not build the API's schemas.
 */
// docs/meeting-api.md §2.1: conservative account rule (no "." after "@", not all digits).
// Length first and a linear pattern: the naive `(?!.*@.*\.)` is quadratic on long hostile input.
export const meetingAccountSchema = z.lazy(() =>
  z
    .string()
    .max(64)
    .regex(
      /^(?!\d+$)(?![^@]*@[^.]*\.)[A-Za-z0-9_.@-]{1,64}$/,
      'account: 1-64 of A-Z a-z 0-9 _ - . @, not all digits, no "." after "@"',
    ),
);
