/**
 * Catalogue of department kinds (部门). A standard names the departments that lead (牵头) and
 * cooperate (配合) on each criterion by these codes; each region's organisations carry one code,
 * so "which categories does this department see" is a lookup, not a guess.
 * Names are generic; a standard keeps the document's own wording in `responsibility` text.
 */
export const DEPARTMENTS = {
  safety_office: { zh: '平安办（综治办）', en: 'Safety office' },
  political_legal: { zh: '政法委', en: 'Political-legal committee' },
  police: { zh: '公安局', en: 'Public security bureau' },
  police_station: { zh: '公安派出所', en: 'Police stations' },
  traffic_police: { zh: '交警（交巡警）大队', en: 'Traffic police' },
  fire: { zh: '消防救援大队', en: 'Fire and rescue' },
  petition: { zh: '信访局', en: 'Petitions bureau' },
  youth_league: { zh: '共青团', en: 'Communist Youth League' },
  education: { zh: '教育局', en: 'Education bureau' },
  health: { zh: '卫生健康委', en: 'Health commission' },
  hospitals: { zh: '医院（卫生院）', en: 'Hospitals and health centres' },
  commerce: { zh: '商务局', en: 'Commerce bureau' },
  market_regulation: { zh: '市场监督管理局', en: 'Market regulation' },
  food_drug: { zh: '食品药品监督管理局', en: 'Food and drug administration' },
  culture_tourism: { zh: '文化和旅游局', en: 'Culture and tourism bureau' },
  transport: { zh: '交通运输局', en: 'Transport bureau' },
  housing: { zh: '住房和城乡建设局', en: 'Housing and construction bureau' },
  civil_affairs: { zh: '民政局', en: 'Civil affairs bureau' },
  justice: { zh: '司法局', en: 'Justice bureau' },
  emergency: { zh: '应急管理局', en: 'Emergency management bureau' },
  women_federation: { zh: '妇联', en: "Women's federation" },
  finance_regulation: { zh: '金融监管部门', en: 'Financial regulation' },
  development_reform: { zh: '发展和改革委', en: 'Development and reform' },
  anti_cult: { zh: '防范处理邪教办', en: 'Anti-cult office' },
  propaganda: { zh: '宣传部', en: 'Publicity department' },
  industry_it: { zh: '工业和信息化局', en: 'Industry and information technology bureau' },
  peoples_bank: { zh: '人民银行', en: "People's Bank of China branch" },
  court: { zh: '人民法院', en: "People's court" },
  natural_resources: { zh: '自然资源局（国土局）', en: 'Natural resources (land) bureau' },
  forestry: { zh: '林业局', en: 'Forestry bureau' },
  water: { zh: '水务（水利）局', en: 'Water bureau' },
  agriculture: { zh: '农业农村局', en: 'Agriculture bureau' },
  urban_management: { zh: '城市管理局', en: 'Urban management bureau' },
  united_front: { zh: '统战部', en: 'United front work department' },
  business_federation: { zh: '工商联', en: 'Federation of industry and commerce' },
  science_tech: { zh: '科技局', en: 'Science and technology bureau' },
  ecology_environment: { zh: '生态环境局（环保局）', en: 'Ecology and environment bureau' },
  towns: { zh: '各乡镇（街道）', en: 'Towns and streets' },
  villages: { zh: '各村（社区）', en: 'Villages and communities' },
  units: { zh: '创建单位', en: 'The applicant units' },
} as const satisfies Record<string, { zh: string; en: string }>;

export type DepartmentCode = keyof typeof DEPARTMENTS;
export const DEPARTMENT_CODES = Object.keys(DEPARTMENTS) as [DepartmentCode, ...DepartmentCode[]];
