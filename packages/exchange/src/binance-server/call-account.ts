import type { ServerAccount } from './account.js';
import { BinanceRequestError } from './request-error.js';
import type { CallInfo } from './server-context.js';

/** The account a signed call speaks for: `-2015` without one. */
export function accountOf(call: CallInfo): ServerAccount {
  if (call.account === undefined)
    throw new BinanceRequestError(-2015, 'Invalid API-key, IP, or permissions for action.');
  return call.account;
}

/** The account of a trading call: `-2015` when it may not trade. */
export function tradingAccount(call: CallInfo): ServerAccount {
  const account = accountOf(call);
  if (!account.canTrade)
    throw new BinanceRequestError(-2015, 'Invalid API-key, IP, or permissions for action.');
  return account;
}
