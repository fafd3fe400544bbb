import fs from 'node:fs';
import { type Static, Type } from 'typebox';
import { schemaChecker } from '../schema-check.js';

export const QuotaDefinition = Type.Object({
  resource: Type.String({ minLength: 1, maxLength: 128 }),
  name_en: Type.String(),
  name_cn: Type.String(),
  unit_en: Type.String(),
  unit_cn: Type.String(),
  min_quota: Type.Integer({ minimum: -1 }),
  max_quota: Type.Integer({ minimum: 0 }),
  default_quota: Type.Integer({ minimum: -1 }),
});
export type QuotaDefinition = Static<typeof QuotaDefinition>;
const checkCatalog = schemaChecker(Type.Array(QuotaDefinition, { minItems: 1 }), { coerce: false });

/**
 * The resources every workspace has a quota for. Only exemlProject.gpu_duration is documented by
 * ModelArts; the rest are sensible defaults an operator replaces with MAWS_QUOTA_CATALOG.
 * The first item is limited so that a fresh workspace reports a used_quota (Terraform reads it).
 */
const DEFAULT_QUOTA_CATALOG: readonly QuotaDefinition[] = [
  {
    resource: 'exemlProject.gpu_duration',
    name_en: 'ExeML training duration (image classification, object detection, and sound classification)',
    name_cn: '自动学习（图像分类、物体检测、声音分类）训练时长',
    unit_en: 'minute',
    unit_cn: '分钟',
    min_quota: -1,
    max_quota: 60000,
    default_quota: 6000,
  },
  {
    resource: 'trainJob.gpu_duration',
    name_en: 'Training job GPU duration',
    name_cn: '训练作业GPU时长',
    unit_en: 'minute',
    unit_cn: '分钟',
    min_quota: -1,
    max_quota: 6000000,
    default_quota: -1,
  },
  {
    resource: 'notebook.instance_count',
    name_en: 'Running notebook instances',
    name_cn: '运行中的Notebook实例数',
    unit_en: 'instance',
    unit_cn: '个',
    min_quota: -1,
    max_quota: 1000,
    default_quota: -1,
  },
  {
    resource: 'service.instance_count',
    name_en: 'Real-time service instances',
    name_cn: '在线服务实例数',
    unit_en: 'instance',
    unit_cn: '个',
    min_quota: -1,
    max_quota: 1000,
    default_quota: -1,
  },
];

/** Why a quota value is not allowed for a resource, or null when it is. */
export function quotaProblem(def: QuotaDefinition, quota: number): string | null {
  if (quota === -1) return def.min_quota === -1 ? null : `${def.resource} cannot be unlimited (-1)`;
  const low = Math.max(def.min_quota, 0);
  if (quota < low || quota > def.max_quota) {
    return `quota of ${def.resource} must be between ${low} and ${def.max_quota}${def.min_quota === -1 ? ', or -1 for unlimited' : ''}`;
  }
  return null;
}

function validateCatalog(value: unknown, source: string): QuotaDefinition[] {
  const problems = checkCatalog(value);
  const items = problems.length === 0 ? (value as QuotaDefinition[]) : [];
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.resource)) problems.push(`duplicate resource ${item.resource}`);
    seen.add(item.resource);
    if (item.min_quota > item.max_quota) problems.push(`${item.resource}: min_quota is above max_quota`);
    const bad = quotaProblem(item, item.default_quota);
    if (bad) problems.push(`${item.resource}: default_quota: ${bad}`);
  }
  if (problems.length > 0) throw new Error(`invalid quota catalog ${source}:\n  ${problems.join('\n  ')}`);
  return items;
}

export function loadQuotaCatalog(file: string | undefined): QuotaDefinition[] {
  if (file === undefined) return [...DEFAULT_QUOTA_CATALOG];
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read quota catalog ${file}: ${(error as Error).message}`);
  }
  return validateCatalog(parsed, file);
}
