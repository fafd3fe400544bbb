// Help texts, generated from the command table.
import type { CommandSpec, OptionSpec } from './command.js';
import { usageLine } from './command.js';

export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  profile: { type: 'string', value: 'NAME', help: 'use this profile instead of the current one' },
  json: { type: 'boolean', help: 'print the API\'s JSON instead of tables, and errors as one JSON object on stderr' },
  help: { type: 'boolean', short: 'h', help: 'show help' },
  version: { type: 'boolean', help: 'print the version' },
};

const GROUPS: { title: string; prefix: string[] }[] = [
  { title: 'Sessions', prefix: [] },
  { title: 'Workspaces (alias: ws)', prefix: ['workspace'] },
  { title: 'Quotas', prefix: ['quotas'] },
  { title: 'Audit trail (the root user\'s)', prefix: ['traces'] },
  { title: 'Administration (IAM users, access keys, enterprise projects, IAM projects; accounts with the operator token)', prefix: ['admin'] },
  { title: 'Test controls (operator token in MAWS_OPERATOR_TOKEN; server with MAWS_TEST_CONTROLS=true)', prefix: ['test'] },
];

function optionLines(options: Record<string, OptionSpec>): string[] {
  const entries = Object.entries(options).map(([name, o]) => {
    const flagText = `${o.short ? `-${o.short}, ` : ''}--${name}${o.value ? ` ${o.value}` : ''}`;
    return [flagText, o.help + (o.multiple ? ' (repeatable)' : '')] as const;
  });
  const width = Math.max(...entries.map(([f]) => f.length));
  return entries.map(([f, h]) => `  ${f.padEnd(width)}  ${h}`);
}

function commandList(specs: readonly CommandSpec[]): string[] {
  const usages = specs.map((s) => `maws ${s.path.join(' ')}`);
  const width = Math.max(...usages.map((u) => u.length));
  return specs.map((s, i) => `  ${usages[i]!.padEnd(width)}  ${s.summary}`);
}

export function topHelp(specs: readonly CommandSpec[]): string {
  const lines = [
    'maws: command-line client for the ModelArts workspace API',
    '',
    'usage: maws [--profile NAME] [--json] COMMAND [ARGS...]',
  ];
  const grouped = new Set<CommandSpec>();
  for (const group of GROUPS.slice(1)) {
    const members = specs.filter((s) => group.prefix.every((p, i) => s.path[i] === p));
    members.forEach((m) => grouped.add(m));
    lines.push('', `${group.title}:`, ...commandList(members));
  }
  const rest = specs.filter((s) => !grouped.has(s));
  lines.splice(3, 0, '', `${GROUPS[0]!.title}:`, ...commandList(rest));
  lines.push(
    '',
    'Global options:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    'Exit codes: 0 success, 1 API or network error, 2 usage error. With --json a failure is one',
    'JSON object on stderr: {"error": "usage"|"api"|"failure"|"unexpected", "message": ...}; API',
    'errors add error_code, error_msg, request_id and status, usage errors the usage line.',
    '',
    'Profiles are kept in ~/.maws/config.json (or the file named by MAWS_CONFIG), mode 0600.',
    'Run "maws help COMMAND" (or add --help) for a command\'s options.',
  );
  return lines.join('\n');
}

export function groupHelp(prefix: readonly string[], specs: readonly CommandSpec[]): string {
  const members = specs.filter((s) => prefix.every((p, i) => s.path[i] === p));
  return [`usage: maws ${prefix.join(' ')} COMMAND [ARGS...]`, '', 'Commands:', ...commandList(members), '', 'Run "maws help COMMAND" for a command\'s options.'].join('\n');
}

export function commandHelp(spec: CommandSpec): string {
  const lines = [`usage: ${usageLine(spec)}`, '', spec.summary.charAt(0).toUpperCase() + spec.summary.slice(1) + '.'];
  if (spec.details) lines.push('', spec.details);
  if (spec.options && Object.keys(spec.options).length > 0) lines.push('', 'Options:', ...optionLines(spec.options));
  lines.push('', 'Global options:', ...optionLines(GLOBAL_OPTIONS));
  return lines.join('\n');
}
