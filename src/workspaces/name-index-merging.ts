import { mergeWorkspaceNameIndex } from '../db/name-index.js';
import { restoreSeqOrder } from '../db/name-order.js';
import type { Db } from '../db/types.js';

/** Pages of work per step: a few milliseconds of the event loop each. */
const PAGES_PER_STEP = 64;
/** A pass stops here even if writes keep adding segments meanwhile. */
const MAX_STEPS_PER_PASS = 2000;
/** Between passes: each rewrites the whole trigram index, a few MB per 100k workspaces. */
const MERGE_INTERVAL_MS = 10 * 60 * 1000;

/**
 * SQLite: merges the name search's trigram index into one segment now, and then every interval,
 * in short steps that let requests run between them (see mergeWorkspaceNameIndex); first puts the
 * workspaces' seqs back in name order if a row was noted out of it.
 */
export function startNameIndexMerging(db: Db, log: { error(obj: object, msg: string): void }): { stop(): Promise<void> } {
  let stopped = false;
  let pass: Promise<void> = Promise.resolve();
  const run = async () => {
    // A row written out of name order by other means (name-order.ts) slows searches until this.
    await restoreSeqOrder(db);
    for (let step = 0; step < MAX_STEPS_PER_PASS && !stopped; step++) {
      if (!(await mergeWorkspaceNameIndex(db, PAGES_PER_STEP))) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const start = () => {
    pass = pass.then(run).catch((error: unknown) => log.error({ err: error }, 'merging the name index failed'));
  };
  start();
  const timer = setInterval(start, MERGE_INTERVAL_MS);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await pass;
    },
  };
}
