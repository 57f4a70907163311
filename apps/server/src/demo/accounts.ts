/** The demo accounts, printed at start and listed in README.md. One password for all. */
export const DEMO_PASSWORD = 'Pingan@2026';

export interface DemoAccount {
  username: string;
  displayName: string;
  role:
    | 'safety_office'
    | 'lead_department'
    | 'cooperating_department'
    | 'expert'
    | 'applicant'
    | 'sys_admin'
    | 'security_admin'
    | 'audit_admin';
  /** organisation key (see seed.ts) for staff */
  org?: string;
  /** subject key for applicants */
  subject?: string;
  note: string;
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { username: 'city_office', displayName: '王青山', role: 'safety_office', org: 'city.office', note: '云州市平安办' },
  { username: 'city_edu', displayName: '李文博', role: 'lead_department', org: 'city.education', note: '云州市教育局（平安校园牵头）' },
  { username: 'city_health', displayName: '陈卫民', role: 'lead_department', org: 'city.health', note: '云州市卫生健康委（平安医院牵头）' },
  { username: 'city_women', displayName: '杨慧芳', role: 'lead_department', org: 'city.women', note: '云州市妇联（平安家庭牵头）' },
  { username: 'city_police', displayName: '赵国强', role: 'cooperating_department', org: 'city.police', note: '云州市公安局（配合部门）' },
  { username: 'expert_zhou', displayName: '周敏', role: 'expert', org: 'city.office', note: '市平安办核查专家' },
  { username: 'qs_office', displayName: '刘晓燕', role: 'safety_office', org: 'qingshan.office', note: '青山区平安办' },
  { username: 'qs_edu', displayName: '孙海涛', role: 'lead_department', org: 'qingshan.education', note: '青山区教育局' },
  { username: 'lj_office', displayName: '黄志明', role: 'safety_office', org: 'linjiang.office', note: '临江县平安办' },
  { username: 'lj_edu', displayName: '吴丽华', role: 'lead_department', org: 'linjiang.education', note: '临江县教育局' },
  {
    username: 'cn_office',
    displayName: '郑小军',
    role: 'safety_office',
    org: 'chengnan.office',
    note: '城南街道平安办（“十大平安”街道创建，002流程）',
  },
  { username: 'nm_community', displayName: '蒋红梅', role: 'safety_office', org: 'nanmen.office', note: '南门社区（村/社区初审）' },
  { username: 'gh_community', displayName: '韩立平', role: 'safety_office', org: 'guihua.office', note: '桂花社区（村/社区初审）' },
  { username: 'expert_sun', displayName: '孙立新', role: 'expert', org: 'city.office', note: '核查专家（任职于青山区东湖中学，须回避）' },
  { username: 'school_nm', displayName: '何校长', role: 'applicant', subject: 'school.nanmen', note: '云州市南门实验小学（申报单位）' },
  { username: 'school_dh', displayName: '林主任', role: 'applicant', subject: 'school.donghu', note: '青山区东湖中学' },
  { username: 'school_bs', displayName: '马老师', role: 'applicant', subject: 'school.baisha', note: '临江县白沙镇中心小学' },
  { username: 'hospital_rm', displayName: '许院长', role: 'applicant', subject: 'hospital.renmin', note: '云州市人民医院' },
  { username: 'family_wang', displayName: '王建国', role: 'applicant', subject: 'family.wang', note: '南门社区王建国家庭' },
  { username: 'sysadmin', displayName: '系统管理员', role: 'sys_admin', note: '账号与设置' },
  { username: 'secadmin', displayName: '安全管理员', role: 'security_admin', note: '安全策略' },
  { username: 'auditor', displayName: '审计管理员', role: 'audit_admin', note: '查阅审计记录' },
];

export const DEMO_ACCOUNTS_TEXT = DEMO_ACCOUNTS.map((a) => `    ${a.username.padEnd(14)} ${a.note}`).join('\n');
