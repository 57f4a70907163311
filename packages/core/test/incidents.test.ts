import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import YAML from 'yaml';
import {
  APPEAL_DAYS,
  CONSEQUENCES,
  CONSEQUENCE_LABELS,
  DEFAULT_INCIDENT_RULES,
  INCIDENT_TYPES,
  INCIDENT_TYPE_LABELS,
  appealOpen,
  appealUntilFor,
  brokenVetoCriteria,
  consequencesProblem,
  ineligibleYearFor,
  joinConsequences,
  mergeProposals,
  parseStandard,
  proposeConsequence,
  splitConsequences,
  titleChange,
  type Consequence,
  type StandardDoc,
} from '../src/index.js';
import { SAMPLE } from './fixtures.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
function standard(file: string): StandardDoc {
  const r = parseStandard(YAML.parse(fs.readFileSync(path.join(REPO, 'standards', file), 'utf8')));
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.standard;
}
const squash = (s: string) => s.replace(/\s+/g, '');

describe('the incident table', () => {
  it('names every type in Chinese and English and gives each a rule', () => {
    expect(INCIDENT_TYPES).toHaveLength(8);
    expect(INCIDENT_TYPE_LABELS.homicide.zh).toBe('命案');
    expect(INCIDENT_TYPE_LABELS.abnormal_petition.zh).toBe('非正常上访');
    expect(INCIDENT_TYPE_LABELS.organised_crime.zh).toBe('涉黑涉恶案件');
    for (const t of INCIDENT_TYPES) {
      expect(INCIDENT_TYPE_LABELS[t].en.length).toBeGreaterThan(2);
      expect(consequencesProblem(DEFAULT_INCIDENT_RULES[t].consequences)).toBeNull();
    }
    for (const c of CONSEQUENCES) expect(CONSEQUENCE_LABELS[c].zh.length).toBeGreaterThan(1);
    expect(CONSEQUENCE_LABELS.suspend.zh).toBe('黄牌警告');
    expect(CONSEQUENCE_LABELS.lose_eligibility.zh).toBe('取消下一年度评先资格');
  });

  it('rests on sentences that are in the source documents', () => {
    for (const t of INCIDENT_TYPES)
      for (const s of DEFAULT_INCIDENT_RULES[t].sources) {
        const text = squash(fs.readFileSync(path.join(REPO, 'standards/sources', s.file), 'utf8'));
        for (const part of s.quote.split('……').filter(Boolean)) expect(text, `${t}: ${part}`).toContain(squash(part));
      }
    // 003's veto and 004's eligibility back the heaviest rows
    expect(DEFAULT_INCIDENT_RULES.homicide.sources.map((s) => s.quote).join()).toContain('一票否决');
    expect(DEFAULT_INCIDENT_RULES.homicide.sources.map((s) => s.quote).join()).toContain('取消年度平安建设评先资格');
  });

  it('proposes by the default table when the standard has no veto item the incident breaks', () => {
    const jiangzhouCampus = standard('jiangzhou-2015/campus.yaml'); // no veto items
    expect(proposeConsequence('homicide', 'title', jiangzhouCampus).consequences).toEqual(['revoke', 'lose_eligibility']);
    expect(proposeConsequence('major_accident', 'stars').consequences).toEqual(['revoke', 'lose_eligibility']);
    expect(proposeConsequence('organised_crime', 'stars').consequences).toEqual(['revoke', 'lose_eligibility']);
    expect(proposeConsequence('mass_incident', 'title', jiangzhouCampus)).toMatchObject({ consequences: ['suspend'], basis: 'default' });
    expect(proposeConsequence('criminal_case', 'title', jiangzhouCampus).consequences).toEqual(['suspend']);
    expect(proposeConsequence('fire_accident', 'title', jiangzhouCampus).consequences).toEqual(['suspend']);
    expect(proposeConsequence('other', 'stars').consequences).toEqual(['none']);
    // lower the stars where there are stars; a title-only scheme has none: a yellow card instead
    expect(proposeConsequence('abnormal_petition', 'stars').consequences).toEqual(['lower_stars']);
    expect(proposeConsequence('abnormal_petition', 'title', jiangzhouCampus).consequences).toEqual(['suspend']);
  });

  it('revokes when the incident breaks a veto item of the title’s standard (datuopu campus 4)', () => {
    const campus = standard('datuopu-2020/campus.yaml');
    const p = proposeConsequence('criminal_case', 'title', campus);
    expect(p.basis).toBe('veto');
    expect(p.consequences).toEqual(['revoke']);
    expect(p.vetoCriteria.map((v) => v.criterionId)).toEqual(['4']);
    expect(p.vetoCriteria[0]!.text).toContain('校园内部无治安刑事案件');
    expect(p.note.zh).toContain('第4项');
    // a safety accident breaks the same item (无安全责任事故); a homicide keeps its lost eligibility
    expect(proposeConsequence('fire_accident', 'title', campus).consequences).toEqual(['revoke']);
    expect(proposeConsequence('homicide', 'title', campus).consequences).toEqual(['revoke', 'lose_eligibility']);
    // a mass incident is not named in campus item 4: the default yellow card
    expect(proposeConsequence('mass_incident', 'title', campus).consequences).toEqual(['suspend']);
  });

  it('finds the veto items of the other standards by what they forbid', () => {
    const family = standard('datuopu-2020/family.yaml');
    expect(brokenVetoCriteria('abnormal_petition', family).map((v) => v.criterionId)).toEqual(['六无.6']);
    expect(proposeConsequence('abnormal_petition', 'title', family).consequences).toEqual(['revoke']);
    const star = standard('zhenjiang-star/zhenjiang-2022-unit-star.yaml');
    expect(brokenVetoCriteria('mass_incident', star).map((v) => v.criterionId)).toEqual(['6.3.3.3']);
    expect(brokenVetoCriteria('organised_crime', star).map((v) => v.criterionId)).toEqual(['6.3.3.4']);
    expect(brokenVetoCriteria('major_accident', star).map((v) => v.criterionId)).toEqual(['6.3.3.2']);
    expect(proposeConsequence('mass_incident', 'stars', star).consequences).toEqual(['revoke']);
    const business = standard('datuopu-2020/business.yaml');
    expect(brokenVetoCriteria('fire_accident', business).map((v) => v.criterionId)).toEqual(['3']);
    // only veto items count: hospital item 5 (医疗事故) is not one
    const hospital = standard('datuopu-2020/hospital.yaml');
    expect(brokenVetoCriteria('fire_accident', hospital)).toEqual([]);
    expect(brokenVetoCriteria('criminal_case', hospital).map((v) => v.criterionId)).toEqual(['6']);
  });

  it('lets a standard set its own rule, and refuses a bad one', () => {
    const own = parseStandard({
      ...SAMPLE,
      incidentRules: [{ type: 'criminal_case', consequences: ['lower_stars', 'lose_eligibility'], note: '本标准规定' }],
    });
    expect(own.ok).toBe(true);
    const doc = (own as { standard: StandardDoc }).standard;
    expect(proposeConsequence('criminal_case', 'stars', doc)).toMatchObject({
      basis: 'standard_rule',
      consequences: ['lower_stars', 'lose_eligibility'],
    });
    // the SAMPLE standard's veto item does not mention a petition: the default table
    expect(proposeConsequence('abnormal_petition', 'stars', doc).basis).toBe('default');
    const bad = parseStandard({ ...SAMPLE, incidentRules: [{ type: 'homicide', consequences: ['revoke', 'suspend'] }] });
    expect(bad.ok).toBe(false);
    expect((bad as { errors: string[] }).errors.join()).toContain('incidentRules[0].consequences');
    const twice = parseStandard({
      ...SAMPLE,
      incidentRules: [
        { type: 'homicide', consequences: ['revoke'] },
        { type: 'homicide', consequences: ['suspend'] },
      ],
    });
    expect(twice.ok).toBe(false);
    // a standard without the field parses as before
    expect(parseStandard(SAMPLE).ok).toBe(true);
  });

  it('checks which consequences may combine', () => {
    expect(consequencesProblem(['revoke', 'lose_eligibility'])).toBeNull();
    expect(consequencesProblem(['lose_eligibility'])).toBeNull();
    expect(consequencesProblem(['none'])).toBeNull();
    expect(consequencesProblem([])).toContain('请选择');
    expect(consequencesProblem(['none', 'suspend'])).toContain('不影响称号');
    expect(consequencesProblem(['revoke', 'suspend'])).toContain('只能选择一种');
    expect(consequencesProblem(['suspend', 'suspend'])).toContain('重复');
    expect(joinConsequences(['lose_eligibility', 'revoke'])).toBe('revoke+lose_eligibility');
    expect(splitConsequences('revoke+lose_eligibility')).toEqual(['revoke', 'lose_eligibility']);
    expect(splitConsequences('bogus+suspend')).toEqual(['suspend']);
    expect(splitConsequences(null)).toEqual([]);
  });

  it('merges the proposals of several titles into the strongest', () => {
    const fallback = proposeConsequence('criminal_case', 'stars');
    const revoke = proposeConsequence('criminal_case', 'title', standard('datuopu-2020/campus.yaml'));
    const suspend = proposeConsequence('criminal_case', 'title', standard('jiangzhou-2015/campus.yaml'));
    expect(mergeProposals([suspend, revoke], fallback)).toEqual(['revoke']);
    expect(mergeProposals([suspend], fallback)).toEqual(['suspend']);
    expect(mergeProposals([], fallback)).toEqual(['suspend']);
    const homicide = proposeConsequence('homicide', 'stars');
    expect(mergeProposals([suspend, homicide], fallback)).toEqual(['revoke', 'lose_eligibility']);
    expect(mergeProposals([proposeConsequence('other', 'stars')], fallback)).toEqual(['none']);
  });
});

describe('what a confirmed incident does to one title', () => {
  const today = '2026-06-10';
  const stars3 = { status: 'valid' as const, stars: 3, level: 'standard' as const, validUntil: '2027-12-31' };
  const titleOnly = { status: 'valid' as const, stars: 0, level: 'title' as const, validUntil: '2027-12-31' };

  it('revokes, suspends and lowers', () => {
    expect(titleChange(stars3, ['revoke', 'lose_eligibility'], today)).toMatchObject({ action: 'revoke', toStatus: 'revoked', toStars: 3 });
    expect(titleChange(stars3, ['suspend'], today)).toMatchObject({ action: 'suspend', toStatus: 'suspended', toStars: 3 });
    expect(titleChange(stars3, ['lower_stars'], today)).toMatchObject({
      action: 'lower_stars',
      toStatus: 'valid',
      toStars: 2,
      toLevel: 'standard',
    });
    expect(titleChange({ ...stars3, stars: 4, level: 'advanced' }, ['lower_stars'], today)).toMatchObject({
      toStars: 3,
      toLevel: 'standard',
    });
    expect(titleChange(stars3, ['lose_eligibility'], today)).toMatchObject({ action: null, toStatus: 'valid', note: null });
    expect(titleChange(stars3, ['none'], today).action).toBeNull();
  });

  it('never lowers below one star, and gives a title without stars the yellow card instead', () => {
    const one = titleChange({ ...stars3, stars: 1 }, ['lower_stars'], today);
    expect(one).toMatchObject({ action: 'suspend', toStatus: 'suspended', toStars: 1 });
    expect(one.note?.zh).toContain('一星');
    const none = titleChange(titleOnly, ['lower_stars'], today);
    expect(none).toMatchObject({ action: 'suspend', toStatus: 'suspended', toStars: 0 });
    expect(none.note?.zh).toContain('不评星');
  });

  it('does not change a revoked or expired title again, nor suspend twice', () => {
    const revoked = titleChange({ ...stars3, status: 'revoked' }, ['suspend'], today);
    expect(revoked).toMatchObject({ action: null, toStatus: 'revoked' });
    expect(revoked.note?.zh).toContain('已撤销');
    const expired = titleChange({ ...stars3, validUntil: '2026-06-09' }, ['revoke'], today);
    expect(expired).toMatchObject({ action: null, toStatus: 'valid' });
    expect(expired.note?.zh).toContain('已于2026-06-09到期');
    // the last day still holds
    expect(titleChange({ ...stars3, validUntil: today }, ['revoke'], today).action).toBe('revoke');
    expect(titleChange({ ...stars3, status: 'suspended' }, ['suspend'], today).note?.zh).toContain('已是黄牌警告');
    // a suspended title can still be revoked or lowered
    expect(titleChange({ ...stars3, status: 'suspended' }, ['revoke'], today).toStatus).toBe('revoked');
    expect(titleChange({ ...stars3, status: 'suspended' }, ['lower_stars'], today)).toMatchObject({ toStatus: 'suspended', toStars: 2 });
  });

  it('never raises stars, never goes below one, never leaves a revoked title', () => {
    const cons = fc.subarray([...CONSEQUENCES] as Consequence[]).filter((c) => consequencesProblem(c) === null);
    fc.assert(
      fc.property(
        fc.constantFrom('valid', 'suspended', 'revoked'),
        fc.integer({ min: 0, max: 5 }),
        fc.boolean(),
        cons,
        (status, stars, expired, c) => {
          const level = stars === 0 ? ('title' as const) : ('standard' as const);
          const r = titleChange({ status, stars, level, validUntil: expired ? '2026-01-01' : '2027-12-31' }, c, today);
          expect(r.toStars).toBeLessThanOrEqual(stars);
          if (stars >= 1) expect(r.toStars).toBeGreaterThanOrEqual(1);
          if (status === 'revoked' || expired) expect(r.action).toBeNull();
          if (r.action === null) expect([r.toStatus, r.toStars]).toEqual([status, stars]);
        },
      ),
    );
  });
});

describe('deadlines', () => {
  it('appeals until the decision day plus APPEAL_DAYS, the last day included', () => {
    expect(APPEAL_DAYS).toBe(15);
    expect(appealUntilFor('2026-06-10')).toBe('2026-06-25');
    expect(appealUntilFor('2026-12-20')).toBe('2027-01-04');
    expect(appealUntilFor('2028-02-20', 10)).toBe('2028-03-01');
    expect(appealOpen('2026-06-25', '2026-06-25')).toBe(true);
    expect(appealOpen('2026-06-25', '2026-06-26')).toBe(false);
    expect(appealOpen(null, '2026-06-01')).toBe(false);
  });

  it('takes the eligibility of the year after the incident', () => {
    expect(ineligibleYearFor('2026-12-31')).toBe(2027);
    expect(ineligibleYearFor('2026-01-01')).toBe(2027);
  });
});
