import { type MessageKey, useT } from '../i18n';

const KNOWN = new Set(['NORMAL', 'CREATING', 'DELETING', 'DELETE_FAILED', 'CREATE_FAILED', 'FROZEN']);

export function StatusBadge({ status }: { status: string }) {
  const t = useT();
  const label = KNOWN.has(status) ? t(`status.${status}` as MessageKey) : status;
  return <span class={`badge badge-${status.toLowerCase().replace(/_/g, '-')}`}>{label}</span>;
}
