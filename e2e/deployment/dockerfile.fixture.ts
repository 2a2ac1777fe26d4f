/** One Dockerfile instruction: keyword, `--flag=value` options, and the rest as words. */
export interface Instruction {
  keyword: string;
  flags: Record<string, string>;
  args: string[];
  raw: string;
}
export interface Stage {
  name: string;
  from: string;
  instructions: Instruction[];
}

// Exec form (JSON array) or shell form split on whitespace: enough for the checks made here.
function words(rest: string): string[] {
  const trimmed = rest.trim();
  if (trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed) as string[];
    } catch {
      // not JSON after all: fall through to the shell form
    }
  }
  return trimmed.split(/\s+/).filter((w) => w !== '');
}

function parseInstruction(line: string): Instruction {
  const [, keyword = '', rest = ''] = /^(\S+)\s*(.*)$/s.exec(line) ?? [];
  const flags: Record<string, string> = {};
  let remainder = rest;
  for (let flag = /^--([\w-]+)(?:=(\S+))?\s*/.exec(remainder); flag; flag = /^--([\w-]+)(?:=(\S+))?\s*/.exec(remainder)) {
    flags[flag[1] ?? ''] = flag[2] ?? 'true';
    remainder = remainder.slice(flag[0].length);
  }
  return { keyword: keyword.toUpperCase(), flags, args: words(remainder), raw: remainder.trim() };
}

/** Splits a Dockerfile into stages, joining `\` continuations and dropping comments. */
export function parseDockerfile(text: string): { args: Instruction[]; stages: Stage[] } {
  const logical = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const globalArgs: Instruction[] = [];
  const stages: Stage[] = [];
  for (const line of logical.map(parseInstruction)) {
    if (line.keyword === 'FROM') {
      const [from = '', as, name] = line.args;
      stages.push({ name: as?.toUpperCase() === 'AS' && name ? name : String(stages.length), from, instructions: [] });
    } else if (stages.length === 0) {
      globalArgs.push(line);
    } else {
      stages[stages.length - 1]?.instructions.push(line);
    }
  }
  return { args: globalArgs, stages };
}

/** A stage's instructions with those of the stages it is built FROM first. */
export function effectiveInstructions(stages: Stage[], stage: Stage): Instruction[] {
  const parent = stages.find((s) => s.name === stage.from);
  return parent ? [...effectiveInstructions(stages, parent), ...stage.instructions] : stage.instructions;
}

function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const char = pattern[i] ?? '';
    if (pattern.startsWith('**/', i)) {
      source += '(?:.*/)?';
      i += 2;
    } else if (pattern.startsWith('**', i)) {
      source += '.*';
      i += 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/**
 * Whether a path (relative to the build context) is sent to the builder under a
 * .dockerignore: the last pattern matching the path or one of its parent folders decides.
 */
export function dockerignoreIncludes(dockerignore: string, file: string): boolean {
  const patterns = dockerignore
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => ({ negated: line.startsWith('!'), regexp: globToRegExp(line.replace(/^!/, '').replace(/^\/+|\/+$/g, '')) }));
  const parts = file.replace(/\/+$/, '').split('/');
  const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let included = true;
  for (const pattern of patterns) {
    if (prefixes.some((prefix) => pattern.regexp.test(prefix))) included = pattern.negated;
  }
  return included;
}
