import { StandardDoc, type StandardInput } from '../src/index.js';

/** A small standard exercising every kind of measure, a veto item and a star condition. */
export const SAMPLE: StandardInput = {
  format: 'pingan-standard/v1',
  code: 'test-campus',
  title: '测试平安校园标准',
  issuer: '测试平安办',
  year: 2026,
  category: { code: 'campus', name: '平安校园', subjectKinds: ['unit'], unitTypes: ['school'] },
  groups: [
    {
      id: 'A',
      name: '组织推进',
      criteria: [
        { id: '1', text: '平安创建和安保组织机构健全', points: 20, lead: ['education'], cooperate: ['police'] },
        {
          id: '2',
          text: '校园周边200米范围内无违规设立的网吧',
          points: 20,
          // 范围内 includes 200 m itself (民法典 第1259条): the nearest café must be more than 200 m away
          measures: [{ id: 'cafe_distance', label: '最近网吧距离', kind: 'distance', comparator: '>', value: 200, unit: 'm' }],
        },
        {
          id: '3',
          text: '学校教职工、学生家长平安创建民调满意率在80%以上',
          points: 20,
          measures: [{ id: 'satisfaction', label: '满意率', kind: 'threshold', comparator: '>=', value: 80, unit: '%' }],
        },
      ],
    },
    {
      id: 'B',
      name: '建设质效',
      criteria: [
        {
          id: '4',
          text: '无群体性上访（或进京上访比上年减少30%）',
          points: 20,
          measures: [
            {
              id: 'mass_petitions',
              label: '群体性上访',
              kind: 'threshold',
              comparator: '<=',
              value: 0,
              unit: '次',
              anyOfGroup: 'petition',
            },
            {
              id: 'beijing_petitions',
              label: '进京上访',
              kind: 'change',
              comparator: '<=',
              value: -30,
              baseline: 'last_year',
              anyOfGroup: 'petition',
            },
          ],
        },
        {
          id: '5',
          text: '巡逻队伍6～10人，每季度不少于1次会议',
          points: 10,
          measures: [
            { id: 'patrol', label: '巡逻队伍人数', kind: 'range', min: 6, max: 10, unit: '人' },
            { id: 'meetings', label: '专题会议', kind: 'frequency', min: 1, per: 'quarter' },
          ],
        },
        { id: '6', text: '无安全责任事故', points: 10, veto: true, judge: 'yesno' },
      ],
    },
  ],
  starRules: {
    bands: [
      { stars: 1, minPercent: 60 },
      { stars: 2, minPercent: 70 },
      { stars: 3, minPercent: 80 },
      { stars: 4, minPercent: 90 },
      { stars: 5, minPercent: 95 },
    ],
    conditions: [{ kind: 'prior_title', stars: 5, minStars: 4, withinYears: 1, text: '5星须上年度已获评4星' }],
  },
};

export const sample = () => StandardDoc.parse(SAMPLE);
