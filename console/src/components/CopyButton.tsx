import { useState } from 'preact/hooks';
import { useT } from '../i18n';

export function CopyButton({ text, label }: { text: string; label: string }) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard?.writeText(text).catch(() => undefined);
    setCopied(true);
  };
  return (
    <button type="button" class="button-small" onClick={copy} aria-label={label}>
      {copied ? t('error.copied') : t('error.copy')}
    </button>
  );
}
