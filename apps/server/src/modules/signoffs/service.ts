import type { ChainStep } from '@pingan/core';
import type { Db, Tx } from '../../db/client.js';
import type { OwnershipInfo } from '../../access/ownership.js';
import type { AppRow } from '../applications/chain.js';

/**
 * 会签 (departments sign off). Opens one pending row per department organisation of the campaign's
 * region named on the application's criteria.
 */
export async function openSignoffs(_tx: Db | Tx, _app: AppRow, _info: OwnershipInfo, _step: ChainStep): Promise<void> {
  throw new Error('openSignoffs: being written (signoffs module)');
}
