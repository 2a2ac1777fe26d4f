import { type ModelAlias, type ModelAliases } from '@vigil/contracts';

export interface AliasMove {
  readonly kind: 'move' | 'rollback' | 'import';
  readonly from: number | null;
  readonly to: number | null;
}

/**
 * Where a rollback takes an alias: the version it held before the last move that has not been
 * rolled back already. Replaying the moves as a stack makes repeated rollbacks walk further
 * back (v1 → v2 → v3, rollback → v2, rollback → v1) instead of flipping between two versions.
 * `undefined` when there is nothing to go back to; `null` when the alias was unset before.
 */
export function rollbackTarget(moves: readonly AliasMove[]): number | null | undefined {
  const stack: (number | null)[] = [];
  for (const move of moves) {
    if (move.kind === 'rollback') stack.pop();
    else if (move.from !== move.to) stack.push(move.from);
  }
  return stack.length === 0 ? undefined : stack[stack.length - 1];
}

export interface AliasRow {
  readonly alias: ModelAlias;
  readonly version: number;
  readonly canaryShare: number | null;
}

export function toModelAliases(rows: readonly AliasRow[]): ModelAliases {
  const out: { -readonly [K in ModelAlias]?: { version: number; canaryShare?: number } } = {};
  for (const row of rows) out[row.alias] = row.alias === 'canary' ? { version: row.version, canaryShare: row.canaryShare ?? 0 } : { version: row.version };
  return out;
}
