import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { inTurn, type Db, type Tx } from '../../db/client.js';
import {
  applications,
  ballotChoices,
  ballots,
  campaigns,
  categories,
  regions,
  settings,
  subjects,
  voteCandidates,
  votes,
} from '../../db/schema.js';

export type VoteRow = typeof votes.$inferSelect;

/**
 * What the schema has no column for: why a vote was closed early and when its result was applied.
 * Kept as one settings row per vote ('vote:<id>'), written by this module only.
 */
export interface VoteMeta {
  /** closed before the end of its period (endsOn included), with this reason */
  closedEarly?: boolean;
  closeReason?: string | null;
  closedBy?: number | null;
  appliedAt?: string | null;
  appliedBy?: number | null;
}

export const metaKey = (voteId: number) => `vote:${voteId}`;

export async function loadMeta(db: Db | Tx, voteId: number): Promise<VoteMeta> {
  const [r] = await db
    .select({ value: settings.value })
    .from(settings)
    .where(eq(settings.key, metaKey(voteId)));
  return (r?.value as VoteMeta | undefined) ?? {};
}

export async function saveMeta(tx: Db | Tx, voteId: number, meta: VoteMeta, by: number): Promise<void> {
  const now = new Date();
  await tx
    .insert(settings)
    .values({ key: metaKey(voteId), value: meta, updatedBy: by, updatedAt: now })
    .onConflictDoUpdate({ target: settings.key, set: { value: meta, updatedBy: by, updatedAt: now } });
}

/** A vote with its campaign (region, chain), the campaign region's path and the category's name. */
export async function loadVote(db: Db | Tx, id: number) {
  const [r] = await db
    .select({ v: votes, campaign: campaigns, campaignPath: regions.path, regionName: regions.name, categoryName: categories.name })
    .from(votes)
    .innerJoin(campaigns, eq(campaigns.id, votes.campaignId))
    .innerJoin(regions, eq(regions.id, campaigns.regionId))
    .innerJoin(categories, eq(categories.code, votes.categoryCode))
    .where(eq(votes.id, id));
  return r ?? null;
}

export async function loadVoteByCode(db: Db | Tx, code: string) {
  const [r] = await db.select({ id: votes.id }).from(votes).where(eq(votes.publicCode, code));
  return r ? loadVote(db, r.id) : null;
}

const stateSql = (today: string) => sql<string>`case
  when ${votes.status} = 'cancelled' then 'cancelled'
  when ${votes.status} = 'closed' then 'closed'
  when ${votes.startsOn} > ${today} then 'upcoming'
  when ${votes.endsOn} < ${today} then 'counting'
  else 'open' end`;

/** Votes of campaigns in a region subtree, newest first, paged; with their counts. */
export async function voteRows(
  db: Db,
  f: { regionPath: string; campaignId?: number; state?: string; today: string; limit: number; offset: number },
) {
  const where = and(
    sql`${regions.path} like ${`${f.regionPath}%`}`,
    f.campaignId ? eq(votes.campaignId, f.campaignId) : undefined,
    f.state ? sql`${stateSql(f.today)} = ${f.state}` : undefined,
  );
  const [items, [n]] = await Promise.all([
    db
      .select({
        v: votes,
        campaignName: campaigns.name,
        campaignRegionId: campaigns.regionId,
        categoryName: categories.name,
        candidates: sql<number>`(select count(*)::int from ${voteCandidates} where ${voteCandidates.voteId} = ${votes.id})`,
        ballots: sql<number>`(select count(*)::int from ${ballots} where ${ballots.voteId} = ${votes.id})`,
        setAside: sql<number>`(select count(*)::int from ${ballots} where ${ballots.voteId} = ${votes.id} and ${ballots.setAside})`,
        meta: sql<VoteMeta | null>`(select ${settings.value} from ${settings} where ${settings.key} = 'vote:' || ${votes.id})`,
      })
      .from(votes)
      .innerJoin(campaigns, eq(campaigns.id, votes.campaignId))
      .innerJoin(regions, eq(regions.id, campaigns.regionId))
      .innerJoin(categories, eq(categories.code, votes.categoryCode))
      .where(where)
      .orderBy(desc(votes.startsOn), desc(votes.id))
      .limit(f.limit)
      .offset(f.offset),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(votes)
      .innerJoin(campaigns, eq(campaigns.id, votes.campaignId))
      .innerJoin(regions, eq(regions.id, campaigns.regionId))
      .where(where),
  ]);
  return { items, total: n?.n ?? 0 };
}

/** The candidates of a vote with their applications and subjects, in the order they were added. */
export async function candidateRows(db: Db | Tx, voteId: number) {
  return db
    .select({
      id: voteCandidates.id,
      publicCode: voteCandidates.publicCode,
      applicationId: applications.id,
      app: applications,
      subjectName: subjects.name,
      subjectKind: subjects.kind,
      regionPath: regions.path,
      regionName: regions.name,
    })
    .from(voteCandidates)
    .innerJoin(applications, eq(applications.id, voteCandidates.applicationId))
    .innerJoin(subjects, eq(subjects.id, applications.subjectId))
    .innerJoin(regions, eq(regions.id, applications.regionId))
    .where(eq(voteCandidates.voteId, voteId))
    .orderBy(asc(voteCandidates.id));
}

/** Votes per candidate, from all ballots and from ballots not set aside; and the numbers of ballots. */
export async function voteCounts(db: Db | Tx, voteId: number) {
  const [perCandidate, [totals]] = await inTurn(
    () =>
      db
        .select({
          candidateId: ballotChoices.candidateId,
          all: sql<number>`count(*)::int`,
          counted: sql<number>`(count(*) filter (where not ${ballots.setAside}))::int`,
        })
        .from(ballotChoices)
        .innerJoin(ballots, eq(ballots.id, ballotChoices.ballotId))
        .where(eq(ballots.voteId, voteId))
        .groupBy(ballotChoices.candidateId),
    () =>
      db
        .select({
          all: sql<number>`count(*)::int`,
          setAside: sql<number>`(count(*) filter (where ${ballots.setAside}))::int`,
        })
        .from(ballots)
        .where(eq(ballots.voteId, voteId)),
  );
  return {
    counts: new Map(perCandidate.map((r) => [r.candidateId, { all: r.all, counted: r.counted }])),
    ballotsAll: totals?.all ?? 0,
    ballotsSetAside: totals?.setAside ?? 0,
  };
}

/** What the anomaly check reads of every ballot of a vote. */
export async function ballotSignals(db: Db | Tx, voteId: number) {
  return db
    .select({
      id: ballots.id,
      networkHash: ballots.networkHash,
      deviceHash: ballots.deviceHash,
      createdAt: ballots.createdAt,
      setAside: ballots.setAside,
      setAsideReason: ballots.setAsideReason,
      flags: ballots.flags,
    })
    .from(ballots)
    .where(eq(ballots.voteId, voteId))
    .orderBy(asc(ballots.createdAt), asc(ballots.id));
}

/** The candidates each of some ballots chose. */
export async function choicesOf(db: Db | Tx, ballotIds: readonly number[]): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>();
  if (!ballotIds.length) return out;
  const rows = await db
    .select({ ballotId: ballotChoices.ballotId, candidateId: ballotChoices.candidateId })
    .from(ballotChoices)
    .where(inArray(ballotChoices.ballotId, [...ballotIds]))
    .orderBy(asc(ballotChoices.candidateId));
  for (const r of rows) out.set(r.ballotId, [...(out.get(r.ballotId) ?? []), r.candidateId]);
  return out;
}

/**
 * A region's public label: its county and township (no village, community or grid), e.g.
 * 临江县白沙镇, from a region path.
 */
export async function publicRegionLabels(db: Db | Tx, paths: readonly string[]): Promise<Map<string, string>> {
  const ids = [...new Set(paths.flatMap((p) => p.split('/').filter(Boolean).map(Number)))];
  const rows = ids.length
    ? await db.select({ id: regions.id, name: regions.name, level: regions.level }).from(regions).where(inArray(regions.id, ids))
    : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const out = new Map<string, string>();
  for (const p of paths) {
    const chain = p
      .split('/')
      .filter(Boolean)
      .map((id) => byId.get(Number(id)))
      .filter((r): r is NonNullable<typeof r> => !!r);
    const kept = chain.filter((r) => r.level === 'county' || r.level === 'town');
    out.set(p, (kept.length ? kept : chain.filter((r) => r.level === 'city')).map((r) => r.name).join(''));
  }
  return out;
}

/** Open (not cancelled, not yet applied) votes that already hold some of these applications. */
export async function votesHolding(db: Db | Tx, applicationIds: readonly number[]) {
  if (!applicationIds.length) return [];
  return db
    .select({ applicationId: voteCandidates.applicationId, voteId: votes.id, title: votes.title, status: votes.status })
    .from(voteCandidates)
    .innerJoin(votes, eq(votes.id, voteCandidates.voteId))
    .where(
      and(
        inArray(voteCandidates.applicationId, [...applicationIds]),
        inArray(votes.status, ['open', 'closed']),
        sql`coalesce((select ${settings.value}->>'appliedAt' from ${settings} where ${settings.key} = 'vote:' || ${votes.id}), '') = ''`,
      ),
    );
}

/** Applications of a campaign standing at a step, with their subject, region and category. */
export async function applicationsAtStep(db: Db | Tx, campaignId: number, stepKey: string, extra?: SQL) {
  return db
    .select({
      app: applications,
      subjectName: subjects.name,
      subjectKind: subjects.kind,
      regionName: regions.name,
      regionPath: regions.path,
      categoryName: categories.name,
    })
    .from(applications)
    .innerJoin(subjects, eq(subjects.id, applications.subjectId))
    .innerJoin(regions, eq(regions.id, applications.regionId))
    .innerJoin(categories, eq(categories.code, applications.categoryCode))
    .where(
      and(eq(applications.campaignId, campaignId), eq(applications.status, 'preliminary_passed'), eq(applications.step, stepKey), extra),
    )
    .orderBy(asc(applications.categoryCode), asc(applications.id));
}
