import { type CompiledQuery, type Expression, type ExpressionBuilder, type RawBuilder, type Selectable, type SqlBool, sql } from 'kysely';
import { compiledInsert } from '../db/compiled-insert.js';
import { type DialectKind, inProject, inTextList, isRowidOf, nameContains, nameIndexHits, trigramPhrase, usesTrigramIndex, workspaceRowid } from '../db/dialect.js';
import { matchKeys, pickPage } from '../db/matches-page.js';
import { inMatchesFirstPage, withMatchesFirst } from '../db/materialized-first.js';
import { jsonArrayAgg, type JsonItems, jsonItems, jsonItemsAgg } from '../db/json-object.js';
import { matchesInNameOrder, seqForName, seqForRename } from '../db/name-order.js';
import { inOneSnapshot } from '../db/one-snapshot.js';
import { preparedQuery } from '../db/prepared-query.js';
import { lockedForUpdate } from '../db/row-lock.js';
import { storedSummary, writtenSummary } from '../db/stored-summary.js';
import type { DB, Db, Executor, WorkspaceGrantTable, WorkspaceTable } from '../db/types.js';
import { countUpStatement, emptiedCountOf, workspaceCountOf } from '../db/workspace-count.js';
import { writeTogether } from '../db/write-together.js';
import { DEFAULT_ENTERPRISE_PROJECT_NAME } from '../eps/enterprise-project.constants.js';

export type WorkspaceRow = Selectable<WorkspaceTable>;
export type WorkspaceRecord = WorkspaceRow & { enterprise_project_name: string };
export type GrantRow = Omit<Selectable<WorkspaceGrantTable>, 'project_id' | 'workspace_id'>;
/** What ShowWorkspace needs of a row: who may see it, its summary as JSON text (see summary) and its grants. */
type WorkspaceShown = Pick<WorkspaceRow, 'id' | 'owner_id' | 'auth_type'> & { summary: string; grants: GrantRow[] };

export interface WorkspaceFilter {
  name?: string;
  enterpriseProjectId?: string;
  /** only workspaces this user may access (public, owned, or granted) */
  accessibleTo?: string;
}

type SortKey = 'name' | 'update_time' | 'status';

/** How many workspaces a filter selects, and a page of their summaries. */
type CountedPage = { total: number; summaries: JsonItems };
export type ListPage = { sortBy: SortKey; order: 'asc' | 'desc'; limit: number; skip: number };

/** Up to this many matches of a name filter, PostgreSQL fetches them first (see withMatchesFirst). */
const MATCHES_FIRST_MAX = 5000;

/** The name of the enterprise project joined as ep, the default one's where it has no row. */
const enterpriseProjectName = sql<string>`coalesce(${sql.ref('ep.name')}, ${sql.lit(DEFAULT_ENTERPRISE_PROJECT_NAME)})`;

type WsBuilder = ExpressionBuilder<DB & { w: WorkspaceTable }, 'w'>;


export type WorkspaceRepository = ReturnType<typeof createWorkspaceRepository>;

/** Thrown inside a create's transaction to roll it back when the project is at its limit. */
const LIMIT_REACHED = Symbol('limit reached');

/** A workspace row's columns, as the API knows them (SQLite's rows also hold seq and the stored summary). */
export const WORKSPACE_COLUMNS = [
  'project_id',
  'id',
  'name',
  'description',
  'owner_id',
  'owner_name',
  'enterprise_project_id',
  'auth_type',
  'status',
  'status_info',
  'create_time',
  'update_time',
] as const satisfies ReadonlyArray<keyof WorkspaceRow>;

// PostgreSQL's insert of a row (SQLite adds its seq): compiled once, not per create.
const insertWorkspace = compiledInsert('workspaces', WORKSPACE_COLUMNS);

async function nameTaken(db: Executor, projectId: string, name: string): Promise<boolean> {
  const row = await db
    .selectFrom('workspaces')
    .select('id')
    .where('project_id', '=', projectId)
    .where('name', '=', name)
    .executeTakeFirst();
  return row !== undefined;
}

export function createWorkspaceRepository(dialect: DialectKind) {
  /** nameJoined: the name condition is a join with nameIndexHits instead (SQLite's trigram index). */
  function matching(eb: WsBuilder, projectId: string, filter: WorkspaceFilter, nameJoined = false): Expression<SqlBool> {
    const conditions: Expression<SqlBool>[] = [inProject(dialect, projectId, filter.name)];
    if (filter.name !== undefined && !nameJoined) conditions.push(nameContains(dialect, filter.name));
    if (filter.enterpriseProjectId !== undefined) {
      conditions.push(eb('w.enterprise_project_id', '=', filter.enterpriseProjectId));
    }
    if (filter.accessibleTo !== undefined) {
      const userId = filter.accessibleTo;
      conditions.push(
        eb.or([
          eb('w.auth_type', '=', 'public'),
          eb('w.owner_id', '=', userId),
          eb.and([
            eb('w.auth_type', '=', 'internal'),
            eb.exists(
              eb
                .selectFrom('workspace_grants as g')
                .select(sql.lit(1).as('one'))
                .whereRef('g.project_id', '=', 'w.project_id')
                .whereRef('g.workspace_id', '=', 'w.id')
                .where('g.user_id', '=', userId),
            ),
          ]),
        ]),
      );
    }
    return eb.and(conditions);
  }

  function selectRecords(db: Executor) {
    return db
      .selectFrom('workspaces as w')
      .leftJoin('enterprise_projects as ep', 'ep.id', 'w.enterprise_project_id')
      // The columns by name, not w.*: SQLite's rows also hold seq and the stored summary (see
      // stored-summary.ts), which a record does not need. Built once: the callers are prepared.
      .select(WORKSPACE_COLUMNS.map((column) => `w.${column}` as const))
      .select(enterpriseProjectName.as('enterprise_project_name'));
  }

  /** SQLite only: ListWorkspace's summary of the row w as JSON text, stored in the row (no join). */
  const summary = storedSummary().as('summary');
  /** PostgreSQL only: the same, written over a page of rows already picked (alias w) that carry enterprise_project_name. */
  const pickedSummary = writtenSummary(sql.ref('w.enterprise_project_name'));

  // Compiled once: building and compiling a query costs more than SQLite takes to run these.
  const byIds = preparedQuery(dialect, { projectId: 'text', ids: 'list' }, (db, p) =>
    selectRecords(db).where('w.project_id', '=', p.projectId).where(inTextList(dialect, 'w.id', p.ids)),
  );
  // One id is most batches of a show: json_each's list costs as much again as the lookup itself.
  const byId = preparedQuery(dialect, { projectId: 'text', id: 'text' }, (db, p) =>
    selectRecords(db).where('w.project_id', '=', p.projectId).where('w.id', '=', p.id),
  );
  /** An internal workspace's grants as JSON text, in their order; null for the others, which have none. */
  function grantsJson(db: Executor) {
    const grants = db
      .selectFrom('workspace_grants as g')
      .select(
        jsonArrayAgg(
          dialect,
          { position: sql.ref('g.position'), user_id: sql.ref('g.user_id'), user_name: sql.ref('g.user_name'), user_type: sql.ref('g.user_type') },
          sql.ref('g.position'),
        ).as('list'),
      )
      .where('g.project_id', '=', sql.ref<string>('w.project_id'))
      .where('g.workspace_id', '=', sql.ref<string>('w.id'));
    return sql<string | null>`case when ${sql.ref('w.auth_type')} = 'internal' then (${grants}) end`.as('grants');
  }
  // ShowWorkspace's rows, with their grants (on PostgreSQL a second query is a round trip): SQLite
  // reads the stored summary (no join); PostgreSQL writes it.
  function selectShown(db: Executor) {
    const columns = ['w.id', 'w.owner_id', 'w.auth_type'] as const;
    if (dialect === 'sqlite') return db.selectFrom('workspaces as w').select([...columns, summary, grantsJson(db)]);
    return db
      .selectFrom('workspaces as w')
      .leftJoin('enterprise_projects as ep', 'ep.id', 'w.enterprise_project_id')
      .select([...columns, writtenSummary(enterpriseProjectName).as('summary'), grantsJson(db)]);
  }
  const shownByIds = preparedQuery(dialect, { projectId: 'text', ids: 'list' }, (db, p) =>
    selectShown(db).where('w.project_id', '=', p.projectId).where(inTextList(dialect, 'w.id', p.ids)),
  );
  const shownById = preparedQuery(dialect, { projectId: 'text', id: 'text' }, (db, p) =>
    selectShown(db).where('w.project_id', '=', p.projectId).where('w.id', '=', p.id),
  );
  const grantsOf = preparedQuery(dialect, { projectId: 'text', ids: 'list' }, (db, p) =>
    db
      .selectFrom('workspace_grants')
      .select(['workspace_id', 'position', 'user_id', 'user_name', 'user_type'])
      .where('project_id', '=', p.projectId)
      .where(inTextList(dialect, 'workspace_id', p.ids))
      .orderBy('workspace_id')
      .orderBy('position'),
  );
  const summariesByName = preparedQuery(dialect, { projectId: 'text', names: 'list' }, (db, p) =>
    db
      .selectFrom('workspaces as w')
      .select(['w.name', summary])
      .where('w.project_id', '=', p.projectId)
      .where(inTextList(dialect, 'w.name', p.names)),
  );
  const workspaceCount = preparedQuery(dialect, { projectId: 'text' }, (db, p) =>
    db.selectFrom('projects').select(workspaceCountOf('projects').as('workspace_count')).where('id', '=', p.projectId),
  );

  /**
   * A page of summaries, each the JSON text of its object (see summary). matches: how many rows
   * the filter selects, when known (it steers the PostgreSQL plan).
   */
  async function list(db: Executor, projectId: string, filter: WorkspaceFilter, page: ListPage & { matches?: number }): Promise<JsonItems> {
    const fewNameMatches =
      dialect === 'postgres' && filter.name !== undefined && page.matches !== undefined && page.matches <= MATCHES_FIRST_MAX;
    // Names are unique per project, so name is a total order; the others need it as a tie-break.
    const orderOf = (table: string): RawBuilder<unknown>[] => {
      const order = [sql`${sql.ref(`${table}.${page.sortBy}`)} ${sql.raw(page.order)}`];
      if (page.sortBy !== 'name') order.push(sql`${sql.ref(`${table}.name`)} ${sql.raw(page.order)}`);
      return order;
    };
    const order = orderOf('w');
    // The same filter that was counted: the materialized rows are exactly the matches, with their
    // sort keys, so that the page is picked among them and only its rows are read again.
    const matches = fewNameMatches
      ? withMatchesFirst(
          db,
          db
            .selectFrom('workspaces as w')
            .select(['w.id', 'w.name', 'w.update_time', 'w.status'])
            .where((eb) => matching(eb, projectId, filter)),
        )
          .selectFrom('workspaces as w')
          .where('w.project_id', '=', projectId)
          .where(inMatchesFirstPage('w.id', orderOf('matches_first'), page))
      : db.selectFrom('workspaces as w').where((eb) => matching(eb, projectId, filter));
    if (dialect === 'postgres') {
      // PostgreSQL computes a select list before it sorts and limits: the JSON is written over
      // the page's rows once they are picked, not over every match.
      let picked = matches
        .leftJoin('enterprise_projects as ep', 'ep.id', 'w.enterprise_project_id')
        .select([
          'w.id',
          'w.name',
          'w.description',
          'w.owner_name',
          'w.create_time',
          'w.update_time',
          'w.enterprise_project_id',
          'w.auth_type',
          'w.status',
          'w.status_info',
        ])
        .select(enterpriseProjectName.as('enterprise_project_name'))
        .orderBy(order);
      // With few name matches, the page was picked among them already (inMatchesFirstPage).
      if (!fewNameMatches) picked = picked.limit(page.limit).offset(page.skip);

      const [row] = await db
        .selectFrom(picked.as('w'))
        .select([jsonItemsAgg(pickedSummary, order).as('items'), sql<number>`count(*)::int`.as('count')])
        .execute();
      return { count: row?.count ?? 0, items: row?.items ?? '' };
    }
    // SQLite: by name, an index yields the page in order with each row's stored summary beside
    // its name (stored-summary.ts): no row is read. Another order sorts every match: sorting
    // narrow keys first and then reading only the page's rows costs less than sorting summaries.
    if (page.sortBy === 'name') {
      const rows = await matches
        .select(summary)
        .orderBy(order)
        .limit(page.limit)
        .offset(page.skip)
        .execute();
      return jsonItems(rows.map((row) => row.summary));
    }
    const pageKeys = matches.select(workspaceRowid().as('key')).orderBy(order).limit(page.limit).offset(page.skip).as('p');
    const rows = await db
      .selectFrom(pageKeys)
      .innerJoin('workspaces as w', (join) => join.on(isRowidOf('p.key')))
      .select(summary)
      .orderBy(order)
      .execute();
    return jsonItems(rows.map((row) => row.summary));
  }

  async function countedPage(db: Executor, projectId: string, filter: WorkspaceFilter, page: ListPage): Promise<CountedPage> {
    const unfiltered = Object.values(filter).every((v) => v === undefined);
    // The per-project counter spares a COUNT(*) over the whole project on every unfiltered page.
    const total = unfiltered ? await countAll(db, projectId) : await count(db, projectId, filter);
    const summaries = page.skip >= total ? jsonItems([]) : await list(db, projectId, filter, { ...page, matches: total });
    return { total, summaries };
  }

  async function countAll(db: Executor, projectId: string): Promise<number> {
    return (await workspaceCount(db, { projectId }))[0]?.workspace_count ?? 0;
  }

  async function count(db: Executor, projectId: string, filter: WorkspaceFilter): Promise<number> {
    const row = await db
      .selectFrom('workspaces as w')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where((eb) => matching(eb, projectId, filter))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** SQLite with a name filter on the trigram index: the matches read once for the count and the page (matches-page.ts). */
  function matchesOf(db: Executor, projectId: string, filter: WorkspaceFilter, phrase: string) {
    return db
      .selectFrom('workspaces as w')
      .innerJoin(nameIndexHits(phrase), (join) => join.on(sql<SqlBool>`name_hits.seq = w.seq`))
      .where((eb) => matching(eb, projectId, filter, true));
  }
  // The name alone is the common filter: compiled once per order (building costs some 5 % of the
  // request), and its hits read from the narrow copy of what it needs (see sort-keys.ts).
  const matchKeysByName = new Map(
    (['name', 'update_time', 'status'] as const).map((sortBy) => [
      sortBy,
      preparedQuery(dialect, { projectId: 'text', phrase: 'text' }, (db, p) =>
        db
          .selectFrom('workspace_sort_keys as w')
          .innerJoin(nameIndexHits(p.phrase), (join) => join.on(sql<SqlBool>`name_hits.seq = w.seq`))
          .where(inProject(dialect, p.projectId, p.phrase))
          .select(matchKeys(`w.${sortBy}`, 'w.name')),
      ),
    ]),
  );

  /**
   * SQLite: the seq a workspace renamed to name takes (name-order.ts), or undefined when the name
   * stays. The row is parked meanwhile: the caller's transaction must end with the rename.
   */
  async function seqOfRenamed(db: Executor, projectId: string, id: string, name: string): Promise<number | undefined> {
    if (dialect === 'postgres') return undefined;
    const current = await db.selectFrom('workspaces').select('name').where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
    if (current === undefined || current.name === name) return undefined;
    return seqForRename(db, projectId, id, name);
  }

  // SQLite: the rows of a page of seqs (a JSON array), in the page's order (see name-order.ts).
  const summariesBySeq = Object.fromEntries(
    (['asc', 'desc'] as const).map((order) => [
      order,
      preparedQuery(dialect, { seqs: 'text' }, (db, p) =>
        db
          .selectFrom('workspaces as w')
          .select(summary)
          .where(sql<SqlBool>`w.seq in (select value from json_each(${p.seqs}))`)
          .orderBy(sql`w.seq ${sql.raw(order)}`),
      ),
    ]),
  ) as Record<'asc' | 'desc', (db: Executor, values: { seqs: string }) => Promise<Array<{ summary: string }>>>;

  async function pageThroughNameIndex(db: Executor, projectId: string, filter: WorkspaceFilter & { name: string }, page: ListPage): Promise<CountedPage> {
    const phrase = trigramPhrase(filter.name);
    const nameOnly = filter.enterpriseProjectId === undefined && filter.accessibleTo === undefined;
    const inNameOrder = nameOnly && page.sortBy === 'name' ? await matchesInNameOrder(db, projectId, phrase, page) : undefined;
    if (inNameOrder !== undefined) {
      const { total, seqs } = inNameOrder;
      const rows = seqs.length > 0 ? await summariesBySeq[page.order](db, { seqs: JSON.stringify(seqs) }) : [];
      return { total, summaries: jsonItems(rows.map((row) => row.summary)) };
    }
    const [keys] = nameOnly
      ? await matchKeysByName.get(page.sortBy)!(db, { projectId, phrase })
      : await matchesOf(db, projectId, filter, phrase).select(matchKeys(`w.${page.sortBy}`, 'w.name')).execute();
    const { total, names } = pickPage(keys, page);
    const rows = names.length > 0 ? await summariesByName(db, { projectId, names }) : [];
    // A workspace renamed or deleted since the first statement is left out (listPage then reads again, in one snapshot).
    const byName = new Map(rows.map((row) => [row.name, row]));
    return { total, summaries: jsonItems(names.flatMap((name) => byName.get(name)?.summary ?? [])) };
  }

  function grantsInsert(db: Executor, projectId: string, id: string, grants: readonly GrantRow[]) {
    return db.insertInto('workspace_grants').values(grants.map((g) => ({ ...g, project_id: projectId, workspace_id: id })));
  }

  async function insertGrants(db: Executor, projectId: string, id: string, grants: readonly GrantRow[]): Promise<void> {
    if (grants.length > 0) await grantsInsert(db, projectId, id, grants).execute();
  }

  /** A new workspace, on SQLite in a transaction, as it may move neighbours to make room for its seq (name-order.ts). */
  async function insert(db: Executor, row: WorkspaceRow): Promise<void> {
    if (dialect === 'postgres') {
      await insertWorkspace.insert(db, row);
      return;
    }
    const seq = await seqForName(db, row.project_id, row.name);
    await db.insertInto('workspaces').values(seq === null ? row : ({ ...row, seq } as WorkspaceRow)).execute();
  }

  /** Counts a new row against the per-project limit atomically (maxRows null: none); false when the limit is reached. */
  async function reserveSlot(db: Executor, projectId: string, maxRows: number | null): Promise<boolean> {
    let q = db
      .updateTable('projects')
      .set((eb) => ({ workspace_count: eb('workspace_count', '+', 1) }))
      .where('id', '=', projectId);
    if (maxRows !== null) q = q.where(sql<SqlBool>`${workspaceCountOf('projects')} < ${maxRows}`);
    const result = await q.executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  return {
    insert,

    /**
     * A new workspace with its grants, counted, and the other writes of its change (its trace),
     * all committed together. maxRows: how many workspaces the project may have, null for no
     * limit. A name the project has is refused by the unique constraint (the error is thrown),
     * or on SQLite before anything is written ('name_taken').
     */
    async insertNew(
      db: Db,
      row: WorkspaceRow,
      grants: readonly GrantRow[],
      alsoWrite: readonly CompiledQuery[],
      maxRows: number | null,
    ): Promise<'inserted' | 'name_taken' | 'limit_reached'> {
      // PostgreSQL without a limit: one statement, its count in a part of its own (workspace-count.ts).
      if (dialect === 'postgres' && maxRows === null) {
        const writes = [insertWorkspace.statement(db, row)];
        if (grants.length > 0) writes.push(grantsInsert(db, row.project_id, row.id, grants).compile());
        await writeTogether(db, [...writes, ...alsoWrite, countUpStatement(row.project_id)]);
        return 'inserted';
      }
      // SQLite makes room for the name in name order (name-order.ts) inside the transaction: a taken
      // name is better found before.
      if (dialect === 'sqlite' && (await nameTaken(db, row.project_id, row.name))) return 'name_taken';
      const reserved = await db.transaction().execute(async (trx) => {
        await insert(trx, row);
        await insertGrants(trx, row.project_id, row.id, grants);
        for (const write of alsoWrite) await trx.executeQuery(write);
        // Last, so that the project's row is held for update from here to the commit only (the
        // creates of a project under a limit wait for each other there). A reset, which takes the
        // same row first, waits for this create from its insert on (the foreign key's share lock
        // on the project's row) and then removes its row or counts it. The default workspace
        // counts: then the default page size (1000) always holds a full project, which Terraform
        // needs (it pages with row offsets).
        if (await reserveSlot(trx, row.project_id, maxRows)) return true;
        throw LIMIT_REACHED;
      }).catch((error: unknown) => {
        if (error === LIMIT_REACHED) return false;
        throw error;
      });
      return reserved ? 'inserted' : 'limit_reached';
    },

    /** Several workspaces of a project in one statement, in no particular order; absent ids are left out. */
    findByIds(db: Executor, projectId: string, ids: readonly string[]): Promise<WorkspaceRecord[]> {
      return ids.length === 1 ? byId(db, { projectId, id: ids[0]! }) : byIds(db, { projectId, ids });
    },

    /** As findByIds, what ShowWorkspace needs of each, its grants included. */
    async findShownByIds(db: Executor, projectId: string, ids: readonly string[]): Promise<WorkspaceShown[]> {
      const rows = await (ids.length === 1 ? shownById(db, { projectId, id: ids[0]! }) : shownByIds(db, { projectId, ids }));
      // Fields named one by one: a rest pattern copies through V8's runtime, about 3 % of a show.
      return rows.map((row) => ({
        id: row.id,
        owner_id: row.owner_id,
        auth_type: row.auth_type,
        summary: row.summary,
        grants: row.grants === null ? [] : (JSON.parse(row.grants) as GrantRow[]),
      }));
    },

    async findById(db: Executor, projectId: string, id: string): Promise<WorkspaceRecord | undefined> {
      return (await byId(db, { projectId, id }))[0];
    },

    nameTaken,

    list,

    /**
     * SQLite only (a name search's page, see pageThroughNameIndex): the stored summaries of
     * workspaces of a project by name, in no particular order; absent names are left out.
     */
    async listByNames(db: Executor, projectId: string, names: readonly string[]): Promise<string[]> {
      return (await summariesByName(db, { projectId, names })).map((row) => row.summary);
    },

    /** The project's workspace counter: the unfiltered total without a COUNT(*). */
    countAll,

    count,

    /**
     * A page of ListWorkspace and how many workspaces its filter selects. The two are read by two
     * statements, each from its own snapshot; when they disagree (a change landed in between),
     * both are read again in one.
     */
    async listPage(db: Executor, projectId: string, filter: WorkspaceFilter, page: ListPage): Promise<CountedPage> {
      const read = (executor: Executor): Promise<CountedPage> =>
        usesTrigramIndex(dialect, filter.name)
          ? pageThroughNameIndex(executor, projectId, { ...filter, name: filter.name }, page)
          : countedPage(executor, projectId, filter, page);
      const counted = await read(db);
      if (counted.summaries.count === Math.max(0, Math.min(page.limit, counted.total - page.skip))) return counted;
      return inOneSnapshot(db, dialect, read);
    },

    /**
     * Compare-and-set on status: writes the changes only while the status is one of from. A rename
     * runs in a transaction that fails when this returns false: on SQLite the row moves to its new
     * place in name order first (name-order.ts).
     */
    async transition(
      db: Executor,
      projectId: string,
      id: string,
      from: readonly string[],
      changes: Partial<Pick<WorkspaceRow, 'name' | 'description' | 'auth_type' | 'status' | 'status_info' | 'update_time'>>,
    ): Promise<boolean> {
      const seq = changes.name === undefined ? undefined : await seqOfRenamed(db, projectId, id, changes.name);
      const result = await db
        .updateTable('workspaces')
        .set(seq === undefined ? changes : ({ ...changes, seq } as typeof changes))
        .where('project_id', '=', projectId)
        .where('id', '=', id)
        .where('status', 'in', from)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    /** Removes a workspace that is DELETING (its grants and quotas go by cascade); false when it was not. */
    async purge(db: Executor, projectId: string, id: string): Promise<boolean> {
      const result = await db
        .deleteFrom('workspaces')
        .where('project_id', '=', projectId)
        .where('id', '=', id)
        .where('status', '=', 'DELETING')
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    /** The grants of several workspaces of a project, in position order per workspace. */
    listGrantsOf(db: Executor, projectId: string, ids: readonly string[]): Promise<Array<GrantRow & { workspace_id: string }>> {
      return grantsOf(db, { projectId, ids });
    },

    async replaceGrants(db: Executor, projectId: string, id: string, grants: readonly GrantRow[]): Promise<void> {
      await db.deleteFrom('workspace_grants').where('project_id', '=', projectId).where('workspace_id', '=', id).execute();
      await insertGrants(db, projectId, id, grants);
    },

    /** The grants of a workspace that has none yet (a new one). */
    insertGrants,

    /** Every workspace of these projects, whatever its status; grants and quotas go by cascade. */
    async deleteGrantsOfUser(db: Executor, userId: string): Promise<void> {
      await db.deleteFrom('workspace_grants').where('user_id', '=', userId).execute();
    },

    reserveSlot,

    /**
     * Holds the project's row (PostgreSQL FOR UPDATE) until the transaction ends. A reset takes it
     * so that a creation in flight is waited for and seen rather than kept uncounted: a creation
     * holds a share lock on the project's row from its insert on (its foreign key; without a limit,
     * from the start of its one statement, see workspace-count.ts), and takes its count last.
     * Whoever changes existing workspace rows and then the project's count takes this first, so
     * that all take them in the same order; a creation's new row is seen by nobody else before it
     * commits.
     */
    async lockProject(db: Executor, projectId: string): Promise<void> {
      await lockedForUpdate(db, db.selectFrom('projects').select('id').where('id', '=', projectId)).execute();
    },

    /** Every workspace of these projects (grants and quotas by cascade), their counters back to 0; how many went. */
    async removeAllOfProjects(db: Executor, projectIds: readonly string[]): Promise<number> {
      if (projectIds.length === 0) return 0;
      const result = await db.deleteFrom('workspaces').where('project_id', 'in', projectIds).executeTakeFirst();
      await db.updateTable('projects').set({ workspace_count: emptiedCountOf('projects') }).where('id', 'in', projectIds).execute();
      return Number(result.numDeletedRows);
    },

    async releaseSlot(db: Executor, projectId: string): Promise<void> {
      await db
        .updateTable('projects')
        .set((eb) => ({ workspace_count: eb('workspace_count', '-', 1) }))
        .where('id', '=', projectId)
        .execute();
    },
  };
}
