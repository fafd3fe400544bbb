import type { ComponentChildren } from 'preact';
import { Link } from '../components/Shell';
import { useT } from '../i18n';
import { useIsRoot } from '../role';

/** The IAM pages: the root user's; anyone else who opens their URL is told so, not shown a broken page. */
export function RootOnly({ children }: { children: ComponentChildren }) {
  const t = useT();
  const root = useIsRoot();
  if (root === null) return <p class="muted" role="status">{t('common.loading')}</p>;
  if (!root) {
    return (
      <section class="empty-state">
        <h1>{t('iam.notAllowed.title')}</h1>
        <p>{t('iam.notAllowed.body')}</p>
        <Link path="/workspaces">{t('notFound.back')}</Link>
      </section>
    );
  }
  return <>{children}</>;
}
