import { Link } from '../components/Shell';
import { useT } from '../i18n';

export function NotFoundPage() {
  const t = useT();
  return (
    <section class="empty-state">
      <h1>{t('notFound.title')}</h1>
      <Link path="/workspaces">{t('notFound.back')}</Link>
    </section>
  );
}
