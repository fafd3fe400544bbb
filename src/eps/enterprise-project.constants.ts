/** "0" is every account's built-in default enterprise project; it has no row. */
export const DEFAULT_ENTERPRISE_PROJECT_ID = '0';
export const DEFAULT_ENTERPRISE_PROJECT_NAME = 'default';
/** Status codes as the EPS API has them. */
export const EP_ENABLED = 1;
export const EP_DISABLED = 2;
