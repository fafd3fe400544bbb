import type { ComponentChildren } from 'preact';
import type { Loaded } from '../pages/loaders';
import { ErrorNotice } from './ErrorNotice';

interface LoadedTableProps<T> {
  loaded: Loaded<T>;
  onRetry: () => void;
  /** the column headings, already translated */
  headings: readonly string[];
  /** the body's rows once the answer is in */
  rows: (value: T) => ComponentChildren;
  /** what an answer without rows says; a table whose answer always has rows gives none */
  empty?: { when: (value: T) => boolean; text: string };
}

/**
 * A table of one API answer: a placeholder row of the table's height while it loads (nothing
 * moves when the answer comes), the error with a retry when it failed, the empty text or the rows.
 */
export function LoadedTable<T>({ loaded, onRetry, headings, rows, empty }: LoadedTableProps<T>) {
  if (loaded.state === 'failed') return <ErrorNotice error={loaded.error} onRetry={onRetry} />;
  return (
    <div class="table-wrap table-wrap-auto" aria-busy={loaded.state === 'loading'}>
      <table class="table">
        <thead>
          <tr>
            {headings.map((heading) => (
              <th scope="col" key={heading}>
                {heading}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {loaded.state === 'loading' && (
            <tr class="skeleton-row" aria-hidden="true">
              <td colSpan={headings.length}>
                <span class="skeleton" />
              </td>
            </tr>
          )}
          {loaded.state === 'ready' && empty?.when(loaded.value) && (
            <tr>
              <td colSpan={headings.length} class="empty-state">
                {empty.text}
              </td>
            </tr>
          )}
          {loaded.state === 'ready' && !empty?.when(loaded.value) && rows(loaded.value)}
        </tbody>
      </table>
    </div>
  );
}
