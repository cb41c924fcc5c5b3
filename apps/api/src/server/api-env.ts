import type { Caller } from '../auth/authenticator.ts';

/** What middleware hands the routes: the caller, whose owner scopes every read and write. */
export interface ApiEnv {
  Variables: { caller: Caller };
}
