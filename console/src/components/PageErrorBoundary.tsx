import { Component, type ComponentChildren } from 'preact';
import { useT } from '../i18n';
import { Link } from './Shell';

/**
 * A page that throws while rendering (an answer of an unexpected shape, say) would leave the whole
 * console blank: Preact unmounts the tree. The page is replaced by a message instead; the header,
 * the navigation and signing out keep working. Keyed by the page's path, so another page starts afresh.
 */
export class PageErrorBoundary extends Component<{ children: ComponentChildren }, { failed: boolean }> {
  override state = { failed: false };

  override componentDidCatch(error: unknown): void {
    // For whoever opens the developer tools; the page itself shows no stack trace.
    console.error(error);
    this.setState({ failed: true });
  }

  render() {
    return this.state.failed ? <PageFailed onRetry={() => this.setState({ failed: false })} /> : this.props.children;
  }
}

/** Try again renders the page anew (it loads again); the link is for when the page itself is the trouble. */
function PageFailed({ onRetry }: { onRetry: () => void }) {
  const t = useT();
  return (
    <section class="empty-state" role="alert">
      <h1>{t('pageError.title')}</h1>
      <p>{t('pageError.body')}</p>
      <p>
        <button type="button" onClick={onRetry}>
          {t('error.retry')}
        </button>
      </p>
      <Link path="/workspaces">{t('notFound.back')}</Link>
    </section>
  );
}
