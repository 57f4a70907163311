/** UI strings of the review chain on an application, Chinese and English side by side. */
export const zh = {
  'review.passStep': '通过「{step}」',
  'chain.title': '评审流程',
  'chain.current': '当前步骤',
  'chain.deadline': '期限 {date}',
  'chain.owner.office.campaign': '创建活动所属平安办',
  'chain.owner.office.county': '申报对象所在县（区）平安办',
  'chain.owner.office.town': '申报对象所在乡镇（街道）平安办',
  'chain.owner.office.village': '申报对象所在村（社区）',
  'chain.owner.lead_department': '牵头部门',
  'chain.owner.departments': '各相关部门（会签）',
  'chain.owner.experts': '指派的核查专家',
  'chain.done': '评审流程已完成',
  'chain.notStarted': '提交后进入评审流程',
} as const;

export const en: Record<keyof typeof zh, string> = {
  'review.passStep': 'Pass “{step}”',
  'chain.title': 'Review chain',
  'chain.current': 'Current step',
  'chain.deadline': 'due {date}',
  'chain.owner.office.campaign': "The campaign's safety office",
  'chain.owner.office.county': "The applicant's county safety office",
  'chain.owner.office.town': "The applicant's town / street office",
  'chain.owner.office.village': "The applicant's village / community",
  'chain.owner.lead_department': 'Lead department',
  'chain.owner.departments': 'Departments named on the criteria (sign-off)',
  'chain.owner.experts': 'Assigned experts',
  'chain.done': 'Review chain completed',
  'chain.notStarted': 'The review chain starts at submission',
};
