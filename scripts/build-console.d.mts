export declare const CONSOLE_JS_BUDGET_BYTES: number;
export declare function buildConsole(outDir: string, options?: { log?: (line: string) => void }): Promise<number>;
