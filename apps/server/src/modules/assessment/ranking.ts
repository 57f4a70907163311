import ExcelJS from 'exceljs';
import { and, asc, count, desc, eq, inArray, like, lt } from 'drizzle-orm';
import {
  DEFAULT_RANKING_COMPONENTS,
  assessRanking,
  componentsProblem,
  indicatorIdOf,
  indicatorInfo,
  type AverageBasis,
  type RankingComponent,
} from '@pingan/core';
import type { Db, Tx } from '../../db/client.js';
import {
  organisations,
  regionIndicators,
  regionRankings,
  regionSanctions,
  regions,
  subjects,
  users,
  type RankingRow,
} from '../../db/schema.js';
import { notify } from '../notifications/service.js';
import { AppError, notFound } from '../../errors.js';
import { iso } from '../../http/contract.js';
import type { CurrentUser } from '../../access/scope.js';
import { rankingRules } from './documents.js';
import { figuresOf, regionsAt, type RegionLevel, type RegionRow } from './queries.js';
import { regionInScope, requireOffice, type Level } from './service.js';

/**
 * 年度排名 (issue 8 §2): the subregions of a scope at a level, scored from weighted components over
 * their indicators of the year (core assessRanking: how each component scores is written there),
 * ranked with the published years before for 黄牌警告 and 一票否决 (003 四（六）) and 004's 取消评先资格.
 * Computed as a draft, reviewed, published: publishing writes the sanctions the campaigns obey.
 */

export interface RankingKey {
  scopeRegionId?: number;
  level: Level;
  year: number;
}

/** A stored row: the schema's RankingRow plus how each component scored and each consequence's reason. */
type StoredRow = Omit<RankingRow, 'components'> & {
  components: (RankingRow['components'][number] & { how?: string })[];
  because?: { yellowCard?: string; veto?: string; ineligible?: string };
};

const LEVEL_ZH: Record<Level, string> = { county: '县（区）', town: '镇（办）', village: '村（社区）' };

async function load(db: Db | Tx, scopeId: number, level: Level, year: number) {
  const [row] = await db
    .select({ r: regionRankings, scope: regions.name, by: users.displayName })
    .from(regionRankings)
    .innerJoin(regions, eq(regions.id, regionRankings.scopeRegionId))
    .leftJoin(users, eq(users.id, regionRankings.publishedBy))
    .where(and(eq(regionRankings.scopeRegionId, scopeId), eq(regionRankings.level, level), eq(regionRankings.year, year)));
  return row ?? null;
}

async function present(db: Db | Tx, row: NonNullable<Awaited<ReturnType<typeof load>>>) {
  const sanctions = await db
    .select({ s: regionSanctions, region: regions.name })
    .from(regionSanctions)
    .innerJoin(regions, eq(regions.id, regionSanctions.regionId))
    .where(eq(regionSanctions.rankingId, row.r.id))
    .orderBy(asc(regionSanctions.id));
  return {
    id: row.r.id,
    scopeRegionId: row.r.scopeRegionId,
    scopeRegion: row.scope,
    level: row.r.level,
    year: row.r.year,
    status: row.r.status,
    components: row.r.components,
    rows: (row.r.rows as StoredRow[]).map((x) => ({
      regionId: x.regionId,
      region: x.region,
      score: x.score,
      rank: x.rank,
      components: x.components.map((c) => ({
        indicator: c.indicator,
        value: c.value,
        points: c.points,
        source: c.source,
        how: c.how ?? null,
      })),
      yellowCard: x.yellowCard,
      veto: x.veto,
      lastStreak: x.lastStreak,
      ineligible: x.ineligible,
      reasons: x.reasons,
    })),
    computedAt: iso(row.r.computedAt),
    publishedAt: iso(row.r.publishedAt),
    publishedBy: row.by ?? null,
    sanctions: sanctions.map((s) => ({
      regionId: s.s.regionId,
      region: s.region,
      kind: s.s.kind,
      ruleId: s.s.ruleId,
      reason: s.s.reason,
      year: s.s.year,
    })),
  };
}

async function answer(db: Db | Tx, scope: RegionRow, level: Level, year: number) {
  const row = await load(db, scope.id, level, year);
  const published = await db
    .select({ year: regionRankings.year })
    .from(regionRankings)
    .where(and(eq(regionRankings.scopeRegionId, scope.id), eq(regionRankings.level, level), eq(regionRankings.status, 'published')))
    .orderBy(asc(regionRankings.year));
  return {
    ranking: row ? await present(db, row) : null,
    components: row?.r.components ?? DEFAULT_RANKING_COMPONENTS,
    rules: rankingRules(level).rules.map((r) => ({ id: r.id, kind: r.kind, document: r.document, text: r.text })),
    publishedYears: published.map((p) => p.year),
  };
}

export async function getRanking(db: Db, user: CurrentUser, key: RankingKey) {
  const scope = await regionInScope(db, user, key.scopeRegionId);
  return answer(db, scope, key.level, key.year);
}

/** Names as ranking keys; two regions of the same name are told apart by their parent. */
function keysFor(list: RegionRow[], parents: Map<number, string>): Map<number, string> {
  const seen = new Map<string, number>();
  for (const r of list) seen.set(r.name, (seen.get(r.name) ?? 0) + 1);
  return new Map(list.map((r) => [r.id, (seen.get(r.name) ?? 0) > 1 ? `${r.name}（${parents.get(r.parentId ?? 0) ?? r.id}）` : r.name]));
}

/** 全市平均 entered: the figure of the scope's ancestor (or itself) at the level the rule compares with. */
async function enteredAverage(db: Db, scope: RegionRow, level: string, indicator: string, year: number): Promise<AverageBasis | null> {
  const ids = scope.path.split('/').filter(Boolean).map(Number);
  const [hit] = await db
    .select({ name: regions.name, value: regionIndicators.value })
    .from(regionIndicators)
    .innerJoin(regions, eq(regions.id, regionIndicators.regionId))
    .where(
      and(
        inArray(regions.id, ids),
        eq(regions.level, level as RegionLevel),
        eq(regionIndicators.indicator, indicator),
        eq(regionIndicators.year, year),
      ),
    );
  return hit ? { value: hit.value, label: `${hit.name}平均水平` } : null;
}

/** The published years before `year`: scores by region id. */
async function previousScores(db: Db, scopeId: number, level: Level, year: number) {
  const rows = await db
    .select({ year: regionRankings.year, rows: regionRankings.rows })
    .from(regionRankings)
    .where(
      and(
        eq(regionRankings.scopeRegionId, scopeId),
        eq(regionRankings.level, level),
        eq(regionRankings.status, 'published'),
        lt(regionRankings.year, year),
      ),
    );
  return rows.map((r) => ({ year: r.year, rows: r.rows }));
}

export async function computeRanking(db: Db, user: CurrentUser, input: RankingKey & { components: RankingComponent[] }) {
  const scope = await regionInScope(db, user, input.scopeRegionId);
  const problem = componentsProblem(input.components);
  if (problem) throw new AppError('VALIDATION', problem);
  const existing = await load(db, scope.id, input.level, input.year);
  if (existing?.r.status === 'published')
    throw new AppError('WRONG_STATUS', `${scope.name}${input.year}年${LEVEL_ZH[input.level]}排名已发布，不能重新计算`);
  const { list } = await regionsAt(db, scope.path, input.level);
  if (list.length < 2) throw new AppError('VALIDATION', `${scope.name}下的${LEVEL_ZH[input.level]}不足两个，无法排名`);
  const parents = new Map(
    (
      await db
        .select({ id: regions.id, name: regions.name })
        .from(regions)
        .where(
          inArray(
            regions.id,
            list.map((r) => r.parentId ?? 0),
          ),
        )
    ).map((r) => [r.id, r.name]),
  );
  const keys = keysFor(list, parents);
  const figs = await figuresOf(
    db,
    list.map((r) => r.id),
    [input.year],
  );
  const valueOf = (regionId: number, indicator: string) => figs.find((f) => f.f.regionId === regionId && f.f.indicator === indicator)?.f;
  const { rules, vetoAfter, indicatorRule } = rankingRules(input.level);
  const cite = (kind: string) => rules.find((r) => r.kind === kind)?.citation;
  const previous = (await previousScores(db, scope.id, input.level, input.year)).map((p) => ({
    year: p.year,
    scores: Object.fromEntries(p.rows.map((r) => [keys.get(r.regionId) ?? r.region, r.score])),
  }));
  const average = indicatorRule
    ? await enteredAverage(db, scope, indicatorRule.belowAverageOf, indicatorIdOf(indicatorRule.indicator), input.year)
    : null;
  const assessed = assessRanking({
    year: input.year,
    components: input.components,
    regions: list.map((r) => ({
      key: keys.get(r.id)!,
      values: Object.fromEntries(input.components.map((c) => [c.indicator, valueOf(r.id, c.indicator)?.value ?? null])),
    })),
    previous,
    vetoAfterConsecutiveLast: vetoAfter,
    rule: indicatorRule,
    enteredAverage: average,
    meanLabel: `参评${LEVEL_ZH[input.level]}平均水平`,
    citations: { yellowCard: cite('yellow_card'), veto: cite('veto'), ineligible: cite('ineligible') },
  });
  const idOf = new Map([...keys].map(([id, k]) => [k, id]));
  const rows: StoredRow[] = assessed.rows.map((a) => {
    const regionId = idOf.get(a.key)!;
    return {
      regionId,
      region: a.key,
      score: a.score,
      rank: a.rank,
      components: a.components.map((c) => ({
        indicator: c.indicator,
        value: c.value,
        points: c.points,
        source: valueOf(regionId, c.indicator)?.source ?? null,
        how: c.how,
      })),
      yellowCard: a.yellowCard,
      veto: a.veto,
      lastStreak: a.lastStreak,
      ineligible: a.ineligible,
      reasons: a.reasons,
      because: a.because,
    };
  });
  const at = new Date();
  await db
    .insert(regionRankings)
    .values({
      scopeRegionId: scope.id,
      level: input.level,
      year: input.year,
      components: input.components,
      rows,
      status: 'draft',
      computedAt: at,
    })
    .onConflictDoUpdate({
      target: [regionRankings.scopeRegionId, regionRankings.level, regionRankings.year],
      set: { components: input.components, rows, computedAt: at },
      setWhere: eq(regionRankings.status, 'draft'),
    });
  return answer(db, scope, input.level, input.year);
}

/**
 * Publishes the draft: 黄牌警告 for the year, and 一票否决 / 取消评先资格 barring the region's
 * applications to campaigns of the ranking's year ("当年不得评先评优"), each naming its rule.
 */
export async function publishRanking(db: Db, user: CurrentUser, key: RankingKey) {
  const scope = await regionInScope(db, user, key.scopeRegionId);
  const row = await load(db, scope.id, key.level, key.year);
  if (!row) throw notFound('排名');
  if (row.r.status !== 'draft') throw new AppError('WRONG_STATUS', '该排名已发布');
  const { rules } = rankingRules(key.level);
  const ruleId = (kind: string) => rules.find((r) => r.kind === kind)?.id ?? kind;
  await db.transaction(async (tx) => {
    const done = await tx
      .update(regionRankings)
      .set({ status: 'published', publishedAt: new Date(), publishedBy: user.id })
      .where(and(eq(regionRankings.id, row.r.id), eq(regionRankings.status, 'draft')))
      .returning({ id: regionRankings.id });
    if (!done.length) throw new AppError('CONFLICT', '排名已被他人发布，请刷新');
    const sanctions = (row.r.rows as StoredRow[]).flatMap((r) =>
      (
        [
          ['yellow_card', r.yellowCard, r.because?.yellowCard],
          ['veto', r.veto, r.because?.veto],
          ['ineligible', r.ineligible, r.because?.ineligible],
        ] as const
      )
        .filter(([, on]) => on)
        .map(([kind, , reason]) => ({
          regionId: r.regionId,
          year: key.year,
          kind,
          ruleId: ruleId(kind),
          reason: reason ?? r.reasons.join('；'),
          rankingId: row.r.id,
        })),
    );
    for (const s of sanctions)
      await tx
        .insert(regionSanctions)
        .values(s)
        .onConflictDoUpdate({
          target: [regionSanctions.regionId, regionSanctions.year, regionSanctions.kind],
          set: { ruleId: s.ruleId, reason: s.reason, rankingId: s.rankingId },
        });
    // the region is told, with the rule: its own office and desk, and the office of the level above it
    for (const s of sanctions)
      await tellSanctioned(tx, s, (row.r.rows as StoredRow[]).find((r) => r.regionId === s.regionId)?.region ?? '');
  });
  return answer(db, scope, key.level, key.year);
}

export interface RankingListFilter {
  year?: number;
  level?: Level;
}

async function rankingRows(db: Db, user: CurrentUser, f: RankingListFilter, page: { limit: number; offset: number } | null) {
  const org = requireOffice(user);
  const where = and(
    like(regions.path, `${org.regionPath}%`),
    f.year ? eq(regionRankings.year, f.year) : undefined,
    f.level ? eq(regionRankings.level, f.level) : undefined,
  );
  const q = db
    .select({ r: regionRankings, scope: regions.name })
    .from(regionRankings)
    .innerJoin(regions, eq(regions.id, regionRankings.scopeRegionId))
    .where(where)
    .orderBy(desc(regionRankings.year), asc(regions.path), asc(regionRankings.level));
  const list = page ? await q.limit(page.limit).offset(page.offset) : await q;
  const [{ n }] = (await db
    .select({ n: count() })
    .from(regionRankings)
    .innerJoin(regions, eq(regions.id, regionRankings.scopeRegionId))
    .where(where)) as [{ n: number }];
  const items = list.map(({ r, scope }) => {
    const rows = r.rows as StoredRow[];
    return {
      id: r.id,
      scopeRegionId: r.scopeRegionId,
      scopeRegion: scope,
      level: r.level,
      year: r.year,
      status: r.status,
      regions: rows.length,
      first: rows.find((x) => x.rank === 1)?.region ?? null,
      yellowCards: rows.filter((x) => x.yellowCard).map((x) => x.region),
      vetoes: rows.filter((x) => x.veto).map((x) => x.region),
      ineligible: rows.filter((x) => x.ineligible).map((x) => x.region),
      computedAt: iso(r.computedAt),
      publishedAt: iso(r.publishedAt),
    };
  });
  return { items, total: Number(n) };
}

export const listRankings = (db: Db, user: CurrentUser, f: RankingListFilter & { limit: number; offset: number }) =>
  rankingRows(db, user, f, { limit: f.limit, offset: f.offset });

const STATUS_ZH = { draft: '草稿', published: '已发布' } as const;

export async function rankingsXlsx(db: Db, user: CurrentUser, f: RankingListFilter): Promise<Buffer> {
  const { items } = await rankingRows(db, user, f, null);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('年度排名');
  ws.columns = [
    { header: '年度', key: 'year', width: 8 },
    { header: '范围', key: 'scope', width: 12 },
    { header: '层级', key: 'level', width: 10 },
    { header: '状态', key: 'status', width: 8 },
    { header: '参评数', key: 'n', width: 8 },
    { header: '第一名', key: 'first', width: 12 },
    { header: '黄牌警告', key: 'yellow', width: 16 },
    { header: '一票否决', key: 'veto', width: 16 },
    { header: '取消评先资格', key: 'inel', width: 20 },
    { header: '发布时间', key: 'at', width: 22 },
  ];
  for (const r of items)
    ws.addRow({
      year: r.year,
      scope: r.scopeRegion,
      level: LEVEL_ZH[r.level],
      status: STATUS_ZH[r.status],
      n: r.regions,
      first: r.first ?? '',
      yellow: r.yellowCards.join('、'),
      veto: r.vetoes.join('、'),
      inel: r.ineligible.join('、'),
      at: r.publishedAt ?? '',
    });
  ws.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** One ranking as a workbook: each region's components (value and points), the consequences and why. */
export async function rankingXlsx(db: Db, user: CurrentUser, key: RankingKey): Promise<Buffer> {
  const a = await getRanking(db, user, key);
  const r = a.ranking;
  if (!r) throw notFound('排名');
  const comps = r.components;
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(`${r.year}年排名`);
  ws.columns = [
    { header: '名次', key: 'rank', width: 6 },
    { header: '地区', key: 'region', width: 14 },
    { header: '总分', key: 'score', width: 8 },
    ...comps.flatMap((c, i) => [
      { header: `${c.label}（值）`, key: `v${i}`, width: 12 },
      { header: `${c.label}（得分/权重${c.weight}）`, key: `p${i}`, width: 14 },
    ]),
    { header: '黄牌警告', key: 'yellow', width: 9 },
    { header: '一票否决', key: 'veto', width: 9 },
    { header: '取消评先资格', key: 'inel', width: 12 },
    { header: '原因', key: 'reasons', width: 80 },
  ];
  for (const x of r.rows)
    ws.addRow({
      rank: x.rank,
      region: x.region,
      score: x.score,
      ...Object.fromEntries(
        x.components.flatMap((c, i) => [
          [`v${i}`, c.value ?? '无数据'],
          [`p${i}`, c.points],
        ]),
      ),
      yellow: x.yellowCard ? '是' : '',
      veto: x.veto ? '是' : '',
      inel: x.ineligible ? '是' : '',
      reasons: x.reasons.join('\n'),
    });
  ws.getRow(1).font = { bold: true };
  const how = wb.addWorksheet('评分方法');
  how.columns = [
    { header: '评分项', key: 'label', width: 18 },
    { header: '指标', key: 'indicator', width: 22 },
    { header: '权重', key: 'weight', width: 8 },
    { header: '方向', key: 'better', width: 8 },
    { header: '计分方法', key: 'method', width: 60 },
  ];
  for (const c of comps) {
    const kind = indicatorInfo(c.indicator)?.kind;
    how.addRow({
      label: c.label,
      indicator: indicatorInfo(c.indicator)?.zh ?? c.indicator,
      weight: c.weight,
      better: c.better === 'higher' ? '越高越好' : '越低越好',
      method:
        c.better === 'higher' && kind !== 'count'
          ? '得分 = 数值 ÷ 100 × 权重（数值限于0—100）'
          : '得分按参评地区最高、最低值线性折算：最好者得满分，最差者得0分；各地相同则均得满分',
    });
  }
  how.addRow({});
  how.addRow({ label: '说明', method: '缺少数据的评分项计0分；各项得分四舍五入到0.01，总分为各项得分之和。' });
  for (const rule of a.rules) how.addRow({ label: rule.document, method: rule.text });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const SANCTION_ZH = { yellow_card: '黄牌警告', veto: '一票否决', ineligible: '取消评先资格' } as const;

/** Notifies the sanctioned region's office and applicant desk, and its parent region's office. */
async function tellSanctioned(
  tx: Tx,
  s: { regionId: number; year: number; kind: keyof typeof SANCTION_ZH; reason: string },
  regionName: string,
): Promise<void> {
  const [r] = await tx.select({ parentId: regions.parentId }).from(regions).where(eq(regions.id, s.regionId));
  const regionIds = [s.regionId, ...(r?.parentId ? [r.parentId] : [])];
  const offices = await tx
    .select({ id: users.id })
    .from(users)
    .innerJoin(organisations, eq(organisations.id, users.orgId))
    .where(and(inArray(organisations.regionId, regionIds), eq(organisations.kind, 'safety_office'), eq(users.role, 'safety_office')));
  const desks = await tx
    .select({ id: users.id })
    .from(users)
    .innerJoin(subjects, eq(subjects.id, users.subjectId))
    .where(and(eq(subjects.regionId, s.regionId), eq(subjects.kind, 'region')));
  await notify(
    tx,
    [...offices, ...desks].map((u) => u.id),
    {
      kind: 'sanction',
      title: `${regionName}${s.year}年度排名：${SANCTION_ZH[s.kind]}`,
      body: s.reason,
      link: null,
      dedupeKey: `sanction:${s.regionId}:${s.year}:${s.kind}`,
    },
  );
}
