import { useState } from 'preact/hooks';
import { useT } from '../i18n';

/**
 * label names what is copied ("Copy secret access key"); once copied, a status line says so to
 * screen readers too, since the button's own text is hidden behind its label.
 */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard?.writeText(text).catch(() => undefined);
    setCopied(true);
  };
  return (
    <>
      <button type="button" class="button-small" onClick={copy} aria-label={label}>
        {copied ? t('error.copied') : t('error.copy')}
      </button>
      <span role="status" class="visually-hidden">
        {copied ? t('error.copied') : ''}
      </span>
    </>
  );
}
