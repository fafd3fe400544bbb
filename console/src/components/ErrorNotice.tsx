import { ApiError } from '../api';
import { useT } from '../i18n';
import { CopyButton } from './CopyButton';

interface Props {
  error: unknown;
  onRetry?: () => void;
}

/** A failed request as the API told it: the message, the error code and a copyable request id for support. */
export function ErrorNotice({ error, onRetry }: Props) {
  const t = useT();
  const api = error instanceof ApiError ? error : null;
  const message = api?.status === 0 ? t('error.network') : api ? api.message : String((error as Error)?.message ?? error);
  return (
    <div class="notice notice-error" role="alert">
      <p class="notice-title">{t('error.title')}</p>
      <p class="notice-message">{message}</p>
      {api && api.status !== 0 && (
        <dl class="notice-details">
          <dt>{t('error.code')}</dt>
          <dd>
            <code>{api.code}</code>
          </dd>
          {api.requestId !== '' && (
            <>
              <dt>{t('error.requestId')}</dt>
              <dd>
                <code class="request-id">{api.requestId}</code>{' '}
                <CopyButton text={api.requestId} label={t('error.copyRequestId')} />
              </dd>
            </>
          )}
        </dl>
      )}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {t('error.retry')}
        </button>
      )}
    </div>
  );
}
