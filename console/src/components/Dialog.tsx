import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useT } from '../i18n';
import { ErrorNotice } from './ErrorNotice';

interface Props {
  title: string;
  children?: ComponentChildren;
  confirmLabel: string;
  danger?: boolean;
  /** the confirm button stays disabled until this is true (the name typed, a field filled) */
  ready?: boolean;
  /** the action; a failure is shown in the dialog, which stays open */
  onConfirm: () => Promise<void>;
  onClose: () => void;
}

/**
 * A modal dialog (the browser's <dialog>: focus moves into it, Escape closes it, the page behind
 * is inert) that runs its action and closes when the action succeeded.
 */
export function Dialog({ title, children, confirmLabel, danger, ready = true, onConfirm, onClose }: Props) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const dialog = ref.current!;
    const opener = document.activeElement as HTMLElement | null;
    dialog.showModal();
    return () => opener?.focus();
  }, []);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!ready || busy) return;
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };
  return (
    <dialog ref={ref} class="dialog" aria-labelledby="dialog-title" onCancel={(event) => { event.preventDefault(); if (!busy) onClose(); }}>
      <form onSubmit={submit}>
        <h2 id="dialog-title">{title}</h2>
        {children}
        {error !== null && <ErrorNotice error={error} />}
        <div class="dialog-actions">
          <button type="button" onClick={onClose} disabled={busy}>
            {t('common.cancel')}
          </button>
          <button type="submit" class={danger ? 'button-danger' : 'button-primary'} disabled={!ready || busy}>
            {busy ? t('common.working') : confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
