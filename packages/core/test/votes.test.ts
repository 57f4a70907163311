import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  BURST_NETWORK_MIN_BALLOTS,
  BURST_WINDOW_MINUTES,
  SAME_DEVICE_MIN_BALLOTS,
  TIME_CLUSTER_MIN_BALLOTS,
  choiceProblems,
  combinedScore,
  flagBallots,
  networkPrefix,
  tallyVotes,
  voteSettingProblems,
  voteState,
  type BallotSignal,
} from '../src/votes.js';

const T0 = Date.parse('2026-05-10T02:00:00Z');
let seq = 0;
const ballot = (minute: number, net = `n${seq}`, dev = `d${seq}`, seconds = 0): BallotSignal => ({
  id: ++seq,
  networkHash: net,
  deviceHash: dev,
  createdAt: new Date(T0 + minute * 60_000 + seconds * 1000),
});

/** A background of ordinary ballots: one every `gap` minutes, each from its own network and device. */
const background = (n: number, gap = 7) => Array.from({ length: n }, (_, i) => ballot(i * gap));

describe('anomaly flags', () => {
  it('flags a burst of exactly the threshold from one network within the window (以上 includes the number), not one fewer', () => {
    const base = background(40);
    const burst = Array.from({ length: BURST_NETWORK_MIN_BALLOTS }, (_, i) =>
      ballot(100 + (i * BURST_WINDOW_MINUTES) / (BURST_NETWORK_MIN_BALLOTS - 1), 'NET', `dev${i}`),
    );
    const r = flagBallots([...base, ...burst]);
    const g = r.groups.filter((x) => x.flag === 'burst_network');
    expect(g).toHaveLength(1);
    expect(g[0]!.key).toBe('NET');
    expect(g[0]!.ballotIds.sort()).toEqual(burst.map((b) => b.id).sort());
    for (const b of base) expect(r.flags.get(b.id)).toBeUndefined();

    const fewer = flagBallots([...base, ...burst.slice(1)]);
    expect(fewer.groups.filter((x) => x.flag === 'burst_network')).toEqual([]);
  });

  it('does not flag the same number from one network spread beyond the window', () => {
    const spread = Array.from({ length: BURST_NETWORK_MIN_BALLOTS }, (_, i) => ballot(i * 2 * BURST_WINDOW_MINUTES, 'HOME', `d-h${i}`));
    expect(flagBallots([...background(20), ...spread]).groups).toEqual([]);
  });

  it('flags every ballot of a device fingerprint seen at least the threshold times', () => {
    const same = Array.from({ length: SAME_DEVICE_MIN_BALLOTS }, (_, i) => ballot(i * 30, `net-s${i}`, 'IPHONE'));
    const r = flagBallots([...background(30), ...same]);
    expect(r.groups.map((g) => g.flag)).toEqual(['same_device']);
    expect(same.every((b) => r.flags.get(b.id)?.includes('same_device'))).toBe(true);
    expect(flagBallots([...background(30), ...same.slice(1)]).groups).toEqual([]);
  });

  it('flags a minute far above the median per minute, with a floor for quiet votes', () => {
    const base = background(50, 3); // median 1 per minute
    const minute = Array.from({ length: TIME_CLUSTER_MIN_BALLOTS }, (_, i) => ballot(500, `net-c${i}`, `dev-c${i}`, i * 5));
    const r = flagBallots([...base, ...minute]);
    expect(r.medianPerMinute).toBe(1);
    expect(r.clusterThreshold).toBe(TIME_CLUSTER_MIN_BALLOTS);
    const g = r.groups.filter((x) => x.flag === 'time_cluster');
    expect(g).toHaveLength(1);
    expect(g[0]!.ballotIds).toHaveLength(TIME_CLUSTER_MIN_BALLOTS);
    // a busy vote: 20 a minute is its normal rate, a minute of 25 is not a cluster
    const busy = Array.from({ length: 30 * 20 }, (_, i) => ballot(Math.floor(i / 20), `bn${i}`, `bd${i}`));
    const extra = Array.from({ length: 25 }, (_, i) => ballot(40, `be${i}`, `bde${i}`));
    const b = flagBallots([...busy, ...extra]);
    expect(b.clusterThreshold).toBe(100);
    expect(b.groups.filter((x) => x.flag === 'time_cluster')).toEqual([]);
  });

  it('a burst from one phone farm carries all three flags; nothing else is flagged (property; a vote that is nothing but the burst has no usual rate to stand out from)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 60 }), fc.integer({ min: 12, max: 30 }), (n, k) => {
        seq = 0;
        const base = background(n, 5);
        const farm = Array.from({ length: k }, (_, i) => ballot(1000, 'FARM', 'FARMDEV', i % 60));
        const r = flagBallots([...farm, ...base]);
        for (const b of farm) expect(r.flags.get(b.id)).toEqual(['burst_network', 'same_device', 'time_cluster']);
        for (const b of base) expect(r.flags.get(b.id)).toBeUndefined();
      }),
      { numRuns: 40 },
    );
  });
});

describe('the tally', () => {
  it('counts both figures, the share of counted ballots, the index against the leader and shared ranks', () => {
    const t = tallyVotes(
      [1, 2, 3],
      [
        { setAside: false, choices: [1, 2] },
        { setAside: false, choices: [1] },
        { setAside: true, choices: [2] },
        { setAside: true, choices: [2, 2] },
        { setAside: false, choices: [3, 99] },
      ],
    );
    expect(t).toMatchObject({ ballotsAll: 5, ballotsSetAside: 2, ballotsCounted: 3 });
    expect(t.candidates).toEqual([
      { candidateId: 1, votesAll: 2, votes: 2, sharePercent: 66.7, index: 100, rank: 1 },
      { candidateId: 2, votesAll: 3, votes: 1, sharePercent: 33.3, index: 50, rank: 2 },
      { candidateId: 3, votesAll: 1, votes: 1, sharePercent: 33.3, index: 50, rank: 2 },
    ]);
    expect(tallyVotes([1, 2], []).candidates.map((c) => c.index)).toEqual([0, 0]);
  });

  it('never counts more than the ballots, and without set-aside never more than with (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ setAside: fc.boolean(), choices: fc.uniqueArray(fc.integer({ min: 1, max: 5 }), { maxLength: 3 }) }), {
          maxLength: 200,
        }),
        (ballots) => {
          const t = tallyVotes([1, 2, 3, 4, 5], ballots);
          for (const c of t.candidates) {
            expect(c.votes).toBeLessThanOrEqual(c.votesAll);
            expect(c.votesAll).toBeLessThanOrEqual(t.ballotsAll);
            expect(c.votes).toBeLessThanOrEqual(t.ballotsCounted);
            expect(c.index).toBeGreaterThanOrEqual(0);
            expect(c.index).toBeLessThanOrEqual(100);
          }
          expect(t.ballotsCounted + t.ballotsSetAside).toBe(ballots.length);
        },
      ),
    );
  });
});

describe('combining the vote with the rating', () => {
  it('is (1 − w) × rating% + w × vote index', () => {
    expect(combinedScore({ ratingTotal: 90, ratingMax: 100, voteIndex: 50, weightPercent: 30 })).toEqual({
      ratingPercent: 90,
      combined: 78,
    });
    expect(combinedScore({ ratingTotal: 45, ratingMax: 50, voteIndex: 100, weightPercent: 0 }).combined).toBe(90);
    expect(combinedScore({ ratingTotal: 45, ratingMax: 50, voteIndex: 20, weightPercent: 100 }).combined).toBe(20);
  });
  it('stays within 0–100 and moves with both parts (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        (total, max, idx, w) => {
          const a = combinedScore({ ratingTotal: Math.min(total, max), ratingMax: max, voteIndex: idx, weightPercent: w });
          expect(a.combined).toBeGreaterThanOrEqual(0);
          expect(a.combined).toBeLessThanOrEqual(100);
          const more = combinedScore({
            ratingTotal: Math.min(total, max),
            ratingMax: max,
            voteIndex: Math.min(100, idx + 10),
            weightPercent: w,
          });
          expect(more.combined).toBeGreaterThanOrEqual(a.combined);
        },
      ),
    );
  });
});

describe('vote rules', () => {
  it('knows where a vote stands: the period includes both ends', () => {
    const v = { status: 'open' as const, startsOn: '2026-05-10', endsOn: '2026-05-12' };
    expect(voteState(v, '2026-05-09')).toBe('upcoming');
    expect(voteState(v, '2026-05-10')).toBe('open');
    expect(voteState(v, '2026-05-12')).toBe('open');
    expect(voteState(v, '2026-05-13')).toBe('counting');
    expect(voteState({ ...v, status: 'closed' }, '2026-05-11')).toBe('closed');
  });
  it('checks the settings and the choices, in Chinese', () => {
    const ok = { startsOn: '2026-05-10', endsOn: '2026-05-12', maxChoices: 2, weightPercent: 30, candidates: 3 };
    expect(voteSettingProblems(ok, '2026-05-10')).toEqual([]);
    expect(voteSettingProblems({ ...ok, maxChoices: 4 }, '2026-05-10')).toEqual(['每人可选数须在1到候选对象数（3）之间']);
    expect(voteSettingProblems({ ...ok, maxChoices: 3 }, '2026-05-10')).toEqual([]);
    expect(voteSettingProblems({ ...ok, weightPercent: 101 }, '2026-05-10')).toHaveLength(1);
    expect(voteSettingProblems({ ...ok, endsOn: '2026-05-09' }, '2026-05-10')).toContain('投票结束日期不能早于开始日期');
    expect(voteSettingProblems(ok, '2026-05-11')[0]).toMatch(/早于今天/);
    expect(voteSettingProblems({ ...ok, endsOn: '2026-08-07' }, '2026-05-10')).toEqual([]);
    expect(voteSettingProblems({ ...ok, endsOn: '2026-08-08' }, '2026-05-10')).toEqual(['投票期不能超过90天']);
    expect(choiceProblems(['A', 'B'], ['A', 'B', 'C'], 2)).toEqual([]);
    expect(choiceProblems(['A', 'B', 'C'], ['A', 'B', 'C'], 2)).toEqual(['每人最多选择2个候选对象']);
    expect(choiceProblems(['A', 'A'], ['A', 'B'], 2)).toEqual(['同一候选对象只能选择一次']);
    expect(choiceProblems([], ['A'], 1)).toEqual(['请至少选择1个候选对象']);
    expect(choiceProblems(['Z'], ['A'], 1)).toEqual(['所选候选对象不在本次评选中']);
  });
  it('groups addresses by /24 and /48', () => {
    expect(networkPrefix('203.0.113.77')).toBe('203.0.113.0/24');
    expect(networkPrefix('::ffff:203.0.113.5')).toBe('203.0.113.0/24');
    expect(networkPrefix('2001:db8:abcd:12::1')).toBe('2001:db8:abcd::/48');
    expect(networkPrefix('2001:0db8:abcd:0012:0000:0000:0000:0001')).toBe('2001:db8:abcd::/48');
    expect(networkPrefix('2001:db8::1')).toBe('2001:db8:0::/48');
    expect(networkPrefix('::1')).toBe('0:0:0::/48');
    expect(networkPrefix('garbage')).toBe('addr:garbage');
  });
});
