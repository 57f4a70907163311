import { eq } from 'drizzle-orm';
import { networkPrefix } from '@pingan/core';
import type { Db } from '../../db/client.js';
import { ballotChoices, ballots, votes } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { hmac, type Keys } from '../../crypto/keys.js';
import { today as clockToday } from '../../clock.js';

/**
 * Casting a ballot: one per voter per vote, made impossible to double by the unique index
 * ballots(vote_id, voter_hash). The ballot and its choices go in one transaction; a second ballot
 * of the same voter, however many arrive at once, inserts nothing and is answered 409 DUPLICATE.
 *
 * Identities are keyed hashes (AUDIT_KEY, crypto/keys.ts hmac) salted with the vote, so that a
 * voter, a network or a device cannot be followed from one vote to another: the phone number, the
 * address and the user agent are never stored.
 */

/** The voter: the confirmed phone's keyed hash (otp.ts consumeCode), keyed again with the vote. */
export const voterHash = (keys: Keys, voteId: number, phoneHash: string) => hmac(keys, `vote-voter:${voteId}:${phoneHash}`);

/** The network: the /24 (IPv4) or /48 (IPv6) of the client address. */
export const networkHash = (keys: Keys, voteId: number, ip: string) => hmac(keys, `vote-net:${voteId}:${networkPrefix(ip)}`);

/** The device: user agent and accept-language as the browser sends them. */
export const deviceHash = (keys: Keys, voteId: number, userAgent: string | null, acceptLanguage: string | null) =>
  hmac(keys, `vote-device:${voteId}:${userAgent ?? ''}\n${acceptLanguage ?? ''}`);

export interface NewBallot {
  voteId: number;
  voterHash: string;
  networkHash: string;
  deviceHash: string;
  candidateIds: readonly number[];
  /** when it was cast (the demo's past ballots); now by default */
  at?: Date;
}

/**
 * Inserts one ballot with its choices. The vote row is read FOR SHARE in the same transaction, so a
 * concurrent close waits for ballots already being cast and no ballot lands after the close.
 */
export async function castBallot(db: Db, b: NewBallot, today = clockToday()): Promise<{ id: number; at: Date }> {
  return db.transaction(async (tx) => {
    const [v] = await tx
      .select({ status: votes.status, startsOn: votes.startsOn, endsOn: votes.endsOn })
      .from(votes)
      .where(eq(votes.id, b.voteId))
      .for('share');
    if (!v) throw new AppError('NOT_FOUND', '网络评选不存在');
    if (v.status !== 'open' || today > v.endsOn) throw new AppError('WRONG_STATUS', '本次网络评选投票已结束');
    if (today < v.startsOn) throw new AppError('WRONG_STATUS', `本次网络评选投票尚未开始（${v.startsOn}开始）`);
    const at = b.at ?? new Date();
    const [row] = await tx
      .insert(ballots)
      .values({ voteId: b.voteId, voterHash: b.voterHash, networkHash: b.networkHash, deviceHash: b.deviceHash, createdAt: at })
      .onConflictDoNothing({ target: [ballots.voteId, ballots.voterHash] })
      .returning({ id: ballots.id });
    if (!row) throw new AppError('DUPLICATE', '您已参与本次投票，每个手机号码只能投票一次');
    await tx.insert(ballotChoices).values([...new Set(b.candidateIds)].map((candidateId) => ({ ballotId: row.id, candidateId })));
    return { id: row.id, at };
  });
}
