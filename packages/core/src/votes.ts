/**
 * 网络评选 (the online vote): pure rules for the tally, the anomaly flags and how the vote's
 * result combines with the rating. No I/O; the server (apps/server/src/modules/votes) stores
 * ballots and calls these.
 *
 * Source (004, 商洛“985”): “12月份，市综治办组织开展检查评定，对各县（区）推荐申报对象采取实地核查、
 * 网络评选、媒体公示等方式进行评选，达到相关标准要求的由市委、市政府命名表彰。”
 * The document names the vote as one of the ways of the 评选 but gives it no weight; the weight is
 * therefore the campaign office's setting per vote (weightPercent, 0–100), and the combination is:
 *
 *     combined = (1 − w) × rating% + w × voteIndex
 *       w         = weightPercent / 100
 *       rating%   = the application's rating total ÷ the standard's maximum × 100 (0–100)
 *       voteIndex = the candidate's counted votes ÷ the highest candidate's counted votes × 100
 *                   (0 for every candidate when nobody has a vote)
 *
 * The vote index is relative to the leader, not a share of ballots, so that the two parts are on the
 * same 0–100 scale whatever the turnout and however many candidates a voter may choose. Counted votes
 * are those of ballots not set aside by the office (the figure without set-aside ballots).
 */

export const VOTE_SOURCE =
  '对各县（区）推荐申报对象采取实地核查、网络评选、媒体公示等方式进行评选，达到相关标准要求的由市委、市政府命名表彰';

// ───────────────────────────── anomaly thresholds ─────────────────────────────

/**
 * burst_network: at least this many ballots from one network (/24 IPv4, /48 IPv6) within
 * BURST_WINDOW_MINUTES. A household or a small office shares one address; ten different confirmed
 * phones voting from one network within ten minutes is unusual for genuine voting (it is what a
 * canvassing table or a phone farm looks like) yet still small enough to catch a modest push. Mobile
 * carriers put many users behind shared addresses (CGNAT), so the flag asks the office to look; it
 * never removes a ballot by itself.
 */
export const BURST_NETWORK_MIN_BALLOTS = 10;
export const BURST_WINDOW_MINUTES = 10;

/**
 * same_device: at least this many ballots with one device fingerprint (user agent + accept-language).
 * Identical strings are common for popular phones (the same WeChat build on the same iOS), so the
 * threshold is set higher than a family's phones and lower than a real crowd of one model at a
 * small vote; as with every flag it is a reason to look, not a verdict.
 */
export const SAME_DEVICE_MIN_BALLOTS = 10;

/**
 * time_cluster: a minute with at least TIME_CLUSTER_FACTOR × the vote's median ballots per minute
 * (over the minutes that have ballots) and at least TIME_CLUSTER_MIN_BALLOTS. Five times the usual
 * rate is well beyond the swings of a vote shared in group chats; the floor of ten keeps a quiet vote
 * (median 1) from flagging a handful of friends voting together.
 */
export const TIME_CLUSTER_FACTOR = 5;
export const TIME_CLUSTER_MIN_BALLOTS = 10;

export const VOTE_FLAGS = ['burst_network', 'same_device', 'time_cluster'] as const;
export type VoteFlag = (typeof VOTE_FLAGS)[number];

export const VOTE_FLAG_LABELS: Record<VoteFlag, { zh: string; en: string }> = {
  burst_network: { zh: '同一网络集中投票', en: 'Burst from one network' },
  same_device: { zh: '相同设备特征', en: 'Identical device' },
  time_cluster: { zh: '投票时间异常集中', en: 'Clustered in time' },
};

export interface FlagThresholds {
  burstMinBallots: number;
  burstWindowMinutes: number;
  sameDeviceMinBallots: number;
  clusterFactor: number;
  clusterMinBallots: number;
}

export const DEFAULT_FLAG_THRESHOLDS: FlagThresholds = {
  burstMinBallots: BURST_NETWORK_MIN_BALLOTS,
  burstWindowMinutes: BURST_WINDOW_MINUTES,
  sameDeviceMinBallots: SAME_DEVICE_MIN_BALLOTS,
  clusterFactor: TIME_CLUSTER_FACTOR,
  clusterMinBallots: TIME_CLUSTER_MIN_BALLOTS,
};

/** A ballot as the anomaly check sees it. */
export interface BallotSignal {
  id: number;
  networkHash: string;
  deviceHash: string;
  createdAt: Date;
}

/** A group of flagged ballots: one network's burst, one device, one minute. */
export interface FlagGroup {
  flag: VoteFlag;
  /** network hash, device hash, or the minute (ISO, UTC) */
  key: string;
  ballotIds: number[];
  from: Date;
  to: Date;
}

export interface FlagResult {
  /** ballot id → its flags, for flagged ballots only */
  flags: Map<number, VoteFlag[]>;
  groups: FlagGroup[];
  /** the median ballots per minute (over minutes with ballots) and the threshold it gave */
  medianPerMinute: number;
  clusterThreshold: number;
}

const MINUTE = 60_000;

function median(xs: number[]): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const arr = m.get(k);
    if (arr) arr.push(x);
    else m.set(k, [x]);
  }
  return m;
}

/**
 * The anomaly flags of a vote's ballots. Thresholds read as Chinese law does (以上 includes the
 * number): a group of exactly `burstMinBallots` ballots is flagged.
 *
 * - burst_network: per network, every ballot that lies in some window of `burstWindowMinutes`
 *   (inclusive of both ends) holding at least `burstMinBallots` ballots of that network.
 * - same_device: every ballot of a device fingerprint with at least `sameDeviceMinBallots` ballots.
 * - time_cluster: every ballot of a calendar minute holding at least
 *   max(`clusterMinBallots`, `clusterFactor` × median ballots per minute) ballots.
 */
export function flagBallots(ballots: readonly BallotSignal[], t: FlagThresholds = DEFAULT_FLAG_THRESHOLDS): FlagResult {
  const flags = new Map<number, VoteFlag[]>();
  const groups: FlagGroup[] = [];
  const add = (id: number, f: VoteFlag) => {
    const cur = flags.get(id);
    if (!cur) flags.set(id, [f]);
    else if (!cur.includes(f)) cur.push(f);
  };
  const byTime = [...ballots].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id);

  // burst_network: a sliding window over each network's ballots in time order
  const windowMs = t.burstWindowMinutes * MINUTE;
  for (const [net, list] of groupBy(byTime, (b) => b.networkHash)) {
    if (list.length < t.burstMinBallots) continue;
    const hit = new Set<number>();
    let lo = 0;
    for (let hi = 0; hi < list.length; hi++) {
      while (list[hi]!.createdAt.getTime() - list[lo]!.createdAt.getTime() > windowMs) lo++;
      if (hi - lo + 1 >= t.burstMinBallots) for (let i = lo; i <= hi; i++) hit.add(i);
    }
    if (!hit.size) continue;
    const idx = [...hit].sort((a, b) => a - b);
    for (const i of idx) add(list[i]!.id, 'burst_network');
    groups.push({
      flag: 'burst_network',
      key: net,
      ballotIds: idx.map((i) => list[i]!.id),
      from: list[idx[0]!]!.createdAt,
      to: list[idx.at(-1)!]!.createdAt,
    });
  }

  // same_device
  for (const [dev, list] of groupBy(byTime, (b) => b.deviceHash)) {
    if (list.length < t.sameDeviceMinBallots) continue;
    for (const b of list) add(b.id, 'same_device');
    groups.push({ flag: 'same_device', key: dev, ballotIds: list.map((b) => b.id), from: list[0]!.createdAt, to: list.at(-1)!.createdAt });
  }

  // time_cluster: ballots per calendar minute against the median of minutes with ballots
  const byMinute = groupBy(byTime, (b) => new Date(Math.floor(b.createdAt.getTime() / MINUTE) * MINUTE).toISOString());
  const med = median([...byMinute.values()].map((l) => l.length));
  const threshold = Math.max(t.clusterMinBallots, Math.ceil(t.clusterFactor * med));
  for (const [minute, list] of byMinute) {
    if (list.length < threshold) continue;
    for (const b of list) add(b.id, 'time_cluster');
    groups.push({
      flag: 'time_cluster',
      key: minute,
      ballotIds: list.map((b) => b.id),
      from: list[0]!.createdAt,
      to: list.at(-1)!.createdAt,
    });
  }

  groups.sort((a, b) => VOTE_FLAGS.indexOf(a.flag) - VOTE_FLAGS.indexOf(b.flag) || a.from.getTime() - b.from.getTime());
  for (const f of flags.values()) f.sort((a, b) => VOTE_FLAGS.indexOf(a) - VOTE_FLAGS.indexOf(b));
  return { flags, groups, medianPerMinute: med, clusterThreshold: threshold };
}

// ───────────────────────────── the tally ─────────────────────────────

/** A ballot as the tally sees it: the candidates it chose and whether the office set it aside. */
export interface TallyBallot {
  setAside: boolean;
  choices: readonly number[];
}

export interface CandidateTally {
  candidateId: number;
  /** votes from every valid ballot */
  votesAll: number;
  /** votes from ballots not set aside: the figure the result uses */
  votes: number;
  /** votes ÷ counted ballots × 100, one decimal */
  sharePercent: number;
  /** votes ÷ the highest candidate's votes × 100, one decimal (0 when nobody has a vote) */
  index: number;
  /** 1 = most votes; candidates with equal votes share a rank */
  rank: number;
}

export interface Tally {
  ballotsAll: number;
  ballotsSetAside: number;
  ballotsCounted: number;
  candidates: CandidateTally[];
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * Counts the ballots: both figures per candidate (all valid ballots; without the set-aside ones),
 * the share of counted ballots, the index against the leader and the rank. Candidates keep the
 * order given; choices naming no candidate of the vote are ignored.
 */
export function tallyVotes(candidateIds: readonly number[], ballots: readonly TallyBallot[]): Tally {
  const counts = new Map<number, { all: number; counted: number }>(candidateIds.map((id) => [id, { all: 0, counted: 0 }]));
  let setAside = 0;
  for (const b of ballots) {
    if (b.setAside) setAside++;
    for (const c of new Set(b.choices)) {
      const n = counts.get(c);
      if (!n) continue;
      n.all++;
      if (!b.setAside) n.counted++;
    }
  }
  return tallyFromCounts(candidateIds, counts, ballots.length, setAside);
}

/**
 * The same tally from counts already summed (by the database): votes per candidate from all valid
 * ballots and from ballots not set aside, and the numbers of ballots.
 */
export function tallyFromCounts(
  candidateIds: readonly number[],
  counts: ReadonlyMap<number, { all: number; counted: number }>,
  ballotsAll: number,
  ballotsSetAside: number,
): Tally {
  const ballotsCounted = ballotsAll - ballotsSetAside;
  const counted = candidateIds.map((id) => counts.get(id)?.counted ?? 0);
  const top = Math.max(0, ...counted);
  const candidates = candidateIds.map((id, i) => {
    const votes = counted[i]!;
    return {
      candidateId: id,
      votesAll: counts.get(id)?.all ?? 0,
      votes,
      sharePercent: ballotsCounted ? round1((votes / ballotsCounted) * 100) : 0,
      index: top ? round1((votes / top) * 100) : 0,
      rank: 1 + counted.filter((v) => v > votes).length,
    };
  });
  return { ballotsAll, ballotsSetAside, ballotsCounted, candidates };
}

/**
 * The combined score (综合得分) of a candidate, one decimal: (1 − w) × rating% + w × vote index,
 * w = weightPercent / 100. See the file comment for the source and the reasons.
 */
export function combinedScore(input: { ratingTotal: number; ratingMax: number; voteIndex: number; weightPercent: number }): {
  ratingPercent: number;
  combined: number;
} {
  const w = Math.min(100, Math.max(0, input.weightPercent)) / 100;
  const ratingPercent = input.ratingMax > 0 ? Math.min(100, Math.max(0, (input.ratingTotal / input.ratingMax) * 100)) : 0;
  const idx = Math.min(100, Math.max(0, input.voteIndex));
  return { ratingPercent: round1(ratingPercent), combined: round1((1 - w) * ratingPercent + w * idx) };
}

/** The formula in words, for the record on the application's history. */
export function combinedFormulaText(weightPercent: number, ratingPercent: number, voteIndex: number, combined: number): string {
  const w = weightPercent / 100;
  return `综合得分 = (1 − ${w}) × 评分${ratingPercent} + ${w} × 得票指数${voteIndex} = ${combined}`;
}

// ───────────────────────────── rules for a vote ─────────────────────────────

export type VoteState = 'upcoming' | 'open' | 'counting' | 'closed' | 'cancelled';

/**
 * Where a vote stands on a day: before its period, open (startsOn..endsOn, both included),
 * counting (the period is over, the office has not closed it: results not yet public), closed
 * (the tally is frozen and public) or cancelled.
 */
export function voteState(v: { status: 'open' | 'closed' | 'cancelled'; startsOn: string; endsOn: string }, today: string): VoteState {
  if (v.status === 'cancelled') return 'cancelled';
  if (v.status === 'closed') return 'closed';
  if (today < v.startsOn) return 'upcoming';
  if (today > v.endsOn) return 'counting';
  return 'open';
}

/** A vote's period may last at most this many days. */
export const MAX_VOTE_DAYS = 90;

/** Problems with a vote's settings, in Chinese; empty when fine. */
export function voteSettingProblems(
  v: { startsOn: string; endsOn: string; maxChoices: number; weightPercent: number; candidates: number },
  today: string,
): string[] {
  const out: string[] = [];
  if (v.candidates < 1) out.push('没有处于网络评选步骤的候选对象');
  if (v.startsOn < today) out.push(`投票开始日期${v.startsOn}早于今天（${today}）`);
  if (v.endsOn < v.startsOn) out.push('投票结束日期不能早于开始日期');
  else {
    const days = Math.round((Date.parse(`${v.endsOn}T00:00:00Z`) - Date.parse(`${v.startsOn}T00:00:00Z`)) / 86_400_000) + 1;
    if (days > MAX_VOTE_DAYS) out.push(`投票期不能超过${MAX_VOTE_DAYS}天`);
  }
  if (!Number.isInteger(v.maxChoices) || v.maxChoices < 1 || (v.candidates >= 1 && v.maxChoices > v.candidates))
    out.push(`每人可选数须在1到候选对象数（${v.candidates}）之间`);
  if (!Number.isInteger(v.weightPercent) || v.weightPercent < 0 || v.weightPercent > 100) out.push('网络评选权重须为0到100之间的整数');
  return out;
}

/** Problems with a voter's choices, in Chinese; empty when fine. */
export function choiceProblems(choices: readonly string[], candidateCodes: readonly string[], maxChoices: number): string[] {
  const out: string[] = [];
  if (!choices.length) out.push('请至少选择1个候选对象');
  if (new Set(choices).size !== choices.length) out.push('同一候选对象只能选择一次');
  if (choices.length > maxChoices) out.push(`每人最多选择${maxChoices}个候选对象`);
  if (choices.some((c) => !candidateCodes.includes(c))) out.push('所选候选对象不在本次评选中');
  return out;
}

// ───────────────────────────── network prefix ─────────────────────────────

/**
 * The network an address belongs to, for the burst check: the /24 of an IPv4 address, the /48 of an
 * IPv6 address (an IPv4-mapped IPv6 address counts as IPv4). Anything unreadable is its own network.
 */
export function networkPrefix(ip: string): string {
  const raw = ip
    .trim()
    .replace(/^\[|\]$/g, '')
    .replace(/%.*$/, '');
  const v4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/i.exec(raw);
  if (v4) return `${Number(v4[1])}.${Number(v4[2])}.${Number(v4[3])}.0/24`;
  if (raw.includes(':')) {
    const [head, tail] = raw.toLowerCase().split('::', 2) as [string, string | undefined];
    const h = head ? head.split(':') : [];
    const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
    const full = tail === undefined ? h : [...h, ...Array(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t];
    if (full.length >= 3 && full.slice(0, 3).every((x) => /^[0-9a-f]{1,4}$/.test(x)))
      return `${full
        .slice(0, 3)
        .map((x) => parseInt(x, 16).toString(16))
        .join(':')}::/48`;
  }
  return `addr:${raw}`;
}
