import { enPages, zhPages } from './i18n-pages';
import { enTraces, zhTraces } from './i18n-traces';
import { createStore, useStore } from './store';

/**
 * The English catalogue defines the keys; the Chinese one must have each of them (the type says
 * so). Placeholders are written {name} and filled by t(key, { name }).
 */
const en = {
  'app.title': 'ModelArts Workspaces',
  'app.skip': 'Skip to content',
  'nav.workspaces': 'Workspaces',
  'nav.main': 'Main navigation',
  'lang.label': 'Language',
  'session.signOut': 'Sign out',
  'session.signedInAs': 'Signed in as {user} · {project}',
  'session.expired': 'Your session has expired. Please sign in again.',
  'session.signedOut': 'You have signed out.',
  'signIn.title': 'Sign in',
  'signIn.intro': 'Sign in with an IAM user of your account.',
  'signIn.domain': 'Account (domain)',
  'signIn.user': 'User name',
  'signIn.password': 'Password',
  'signIn.project': 'Project (region)',
  'signIn.projectHint': 'For example cn-north-4',
  'signIn.submit': 'Sign in',
  'signIn.submitting': 'Signing in…',
  'signIn.failed': 'The account, user name or password is wrong, or the user is disabled.',
  'signIn.locked': 'This user is locked after too many wrong passwords. Try again later, or ask the account\'s root user to unlock it.',
  'signIn.required': 'Fill in every field.',
  'error.title': 'The request failed',
  'error.code': 'Error code',
  'error.requestId': 'Request ID',
  'error.copyRequestId': 'Copy request ID',
  'error.copy': 'Copy',
  'error.copied': 'Copied',
  'error.network': 'The server could not be reached.',
  'error.retry': 'Try again',
  'notFound.title': 'Page not found',
  'notFound.back': 'Go to workspaces',
  'pageError.title': 'This page could not be shown',
  'pageError.body': 'The console could not display the answer it received. Try again, or go to the workspaces.',
  'ws.title': 'Workspaces',
  'ws.search': 'Search by name',
  'ws.searchPlaceholder': 'Part of a name',
  'ws.sort': 'Sort by',
  'ws.sort.name': 'Name',
  'ws.sort.update_time': 'Updated',
  'ws.sort.status': 'Status',
  'ws.order': 'Order',
  'ws.order.asc': 'Ascending',
  'ws.order.desc': 'Descending',
  'ws.pageSize': 'Rows per page',
  'ws.accessible': 'Only workspaces I can access',
  'ws.ep': 'Enterprise project',
  'ws.ep.all': 'All enterprise projects',
  'ws.col.name': 'Name',
  'ws.col.status': 'Status',
  'ws.col.authType': 'Access',
  'ws.col.owner': 'Owner',
  'ws.col.ep': 'Enterprise project',
  'ws.col.created': 'Created',
  'ws.col.updated': 'Updated',
  'ws.col.actions': 'Actions',
  'ws.empty': 'No workspaces yet.',
  'ws.emptyFiltered': 'No workspace matches these filters.',
  'ws.clearFilters': 'Clear filters',
  'ws.total': '{count} workspaces',
  'ws.totalOne': '1 workspace',
  'ws.table': 'Workspaces',
  'ws.searchInvalid': 'Names contain only Chinese characters, letters, digits, "-" and "_".',
  'ws.pastEnd': 'This page is past the end of the list.',
  'ws.firstPage': 'Go to the first page',
  'ws.page': 'Page {page} of {pages}',
  'ws.prev': 'Previous page',
  'ws.next': 'Next page',
  'ws.pagination': 'Pages',
  'ws.retryDelete': 'Retry delete',
  'ws.retrying': 'Retrying…',
  'ws.loading': 'Loading workspaces…',
  'status.NORMAL': 'Normal',
  'status.CREATING': 'Creating',
  'status.DELETING': 'Deleting',
  'status.DELETE_FAILED': 'Delete failed',
  'status.CREATE_FAILED': 'Create failed',
  'status.FROZEN': 'Frozen',
  'auth.public': 'Public',
  'auth.private': 'Private',
  'auth.internal': 'Internal',
  ...enPages,
  ...enTraces,
};

export type MessageKey = keyof typeof en;

const zh: Record<MessageKey, string> = {
  'app.title': 'ModelArts 工作空间',
  'app.skip': '跳到主要内容',
  'nav.workspaces': '工作空间',
  'nav.main': '主导航',
  'lang.label': '语言',
  'session.signOut': '退出登录',
  'session.signedInAs': '当前用户 {user} · {project}',
  'session.expired': '登录已过期，请重新登录。',
  'session.signedOut': '您已退出登录。',
  'signIn.title': '登录',
  'signIn.intro': '使用您账号下的 IAM 用户登录。',
  'signIn.domain': '账号名（domain）',
  'signIn.user': '用户名',
  'signIn.password': '密码',
  'signIn.project': '项目（区域）',
  'signIn.projectHint': '例如 cn-north-4',
  'signIn.submit': '登录',
  'signIn.submitting': '正在登录…',
  'signIn.failed': '账号名、用户名或密码错误，或用户已被禁用。',
  'signIn.locked': '密码错误次数过多，该用户已被锁定。请稍后再试，或请账号的 root 用户解锁。',
  'signIn.required': '请填写所有字段。',
  'error.title': '请求失败',
  'error.code': '错误码',
  'error.requestId': '请求 ID',
  'error.copyRequestId': '复制请求 ID',
  'error.copy': '复制',
  'error.copied': '已复制',
  'error.network': '无法连接到服务器。',
  'error.retry': '重试',
  'notFound.title': '页面不存在',
  'notFound.back': '前往工作空间',
  'pageError.title': '无法显示此页面',
  'pageError.body': '控制台无法显示收到的应答。请重试，或前往工作空间列表。',
  'ws.title': '工作空间',
  'ws.search': '按名称搜索',
  'ws.searchPlaceholder': '名称中的部分文字',
  'ws.sort': '排序方式',
  'ws.sort.name': '名称',
  'ws.sort.update_time': '更新时间',
  'ws.sort.status': '状态',
  'ws.order': '顺序',
  'ws.order.asc': '升序',
  'ws.order.desc': '降序',
  'ws.pageSize': '每页行数',
  'ws.accessible': '仅显示我可访问的工作空间',
  'ws.ep': '企业项目',
  'ws.ep.all': '全部企业项目',
  'ws.col.name': '名称',
  'ws.col.status': '状态',
  'ws.col.authType': '访问控制',
  'ws.col.owner': '创建者',
  'ws.col.ep': '企业项目',
  'ws.col.created': '创建时间',
  'ws.col.updated': '更新时间',
  'ws.col.actions': '操作',
  'ws.empty': '还没有工作空间。',
  'ws.emptyFiltered': '没有符合筛选条件的工作空间。',
  'ws.clearFilters': '清除筛选',
  'ws.total': '共 {count} 个工作空间',
  'ws.totalOne': '共 1 个工作空间',
  'ws.table': '工作空间列表',
  'ws.searchInvalid': '名称只包含中文、英文字母、数字、“-”和“_”。',
  'ws.pastEnd': '此页已超出列表末尾。',
  'ws.firstPage': '回到第一页',
  'ws.page': '第 {page} 页，共 {pages} 页',
  'ws.prev': '上一页',
  'ws.next': '下一页',
  'ws.pagination': '分页',
  'ws.retryDelete': '重试删除',
  'ws.retrying': '正在重试…',
  'ws.loading': '正在加载工作空间…',
  'status.NORMAL': '正常',
  'status.CREATING': '创建中',
  'status.DELETING': '删除中',
  'status.DELETE_FAILED': '删除失败',
  'status.CREATE_FAILED': '创建失败',
  'status.FROZEN': '冻结',
  'auth.public': '公共',
  'auth.private': '私有',
  'auth.internal': '内部',
  ...zhPages,
  ...zhTraces,
};

export type Lang = 'en' | 'zh-CN';
export const LANGUAGES: ReadonlyArray<{ code: Lang; label: string }> = [
  { code: 'en', label: 'English' },
  { code: 'zh-CN', label: '简体中文' },
];
const CATALOGS: Record<Lang, Record<MessageKey, string>> = { en, 'zh-CN': zh };
const STORAGE_KEY = 'maws.console.lang';

function initialLang(): Lang {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === 'en' || stored === 'zh-CN') return stored;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export const language = createStore<Lang>(initialLang());
document.documentElement.lang = language.get();

export function setLanguage(lang: Lang): void {
  localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang;
  language.set(lang);
}

type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translate(lang: Lang, key: MessageKey, vars: Record<string, string | number> = {}): string {
  // Keys made from the API's values (`auth.${auth_type}`, `status.${status}`) may name no message:
  // the key is shown rather than the page failing to render.
  const message: string | undefined = CATALOGS[lang][key] ?? CATALOGS.en[key];
  if (message === undefined) return key;
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** The current language's t(): components that call it re-render when the language changes. */
export function useT(): Translate {
  const lang = useStore(language);
  return (key, vars) => translate(lang, key, vars);
}

/**
 * The one of a pair of fields for the current language (the API's name_en/name_cn, unit_en/unit_cn):
 * pick(lang, quota.name_en, quota.name_cn).
 */
export function pick(lang: Lang, english: string, chinese: string): string {
  return lang === 'zh-CN' && chinese !== '' ? chinese : english;
}

export function formatTime(lang: Lang, epochMs: number): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(epochMs));
}
