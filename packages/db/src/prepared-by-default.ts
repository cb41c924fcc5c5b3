import type postgres from 'postgres';

export interface PreparedByDefaultOptions {
  /** Distinct statement texts prepared per process (so per connection) at most. */
  readonly maxStatements?: number;
  /** Longer texts (a bulk insert's thousand rows) run unprepared: their plans are large. */
  readonly maxTextLength?: number;
}

/**
 * Which statement texts run as server-side prepared statements: those seen twice, while fewer
 * than `maxStatements` are. drizzle asks postgres.js to prepare only statements given a name;
 * postgres.js runs any other statement with parameters in two round trips (parse and describe,
 * then bind and execute), and PostgreSQL parses and plans it every time. Prepared, a repeated
 * statement is one round trip and no parse. Bounded, because postgres.js keeps every statement
 * it prepared for its connection's life: texts that vary (a list of ids of any length) would
 * otherwise grow each backend's memory without end.
 */
export class StatementPreparation {
  private readonly seenOnce = new Set<string>();
  private readonly prepared = new Set<string>();
  private readonly maxStatements: number;
  private readonly maxTextLength: number;

  constructor(options: PreparedByDefaultOptions = {}) {
    this.maxStatements = options.maxStatements ?? 256;
    this.maxTextLength = options.maxTextLength ?? 16_384;
  }

  shouldPrepare(text: string): boolean {
    if (this.prepared.has(text)) return true;
    if (text.length > this.maxTextLength || this.prepared.size >= this.maxStatements) return false;
    if (!this.seenOnce.has(text)) {
      // Forgetting the once-seen texts now and then keeps this set bounded as well (at most
      // 1,024 texts of at most 16 KB by default); a hot statement is seen again long before.
      if (this.seenOnce.size >= this.maxStatements * 4) this.seenOnce.clear();
      this.seenOnce.add(text);
      return false;
    }
    this.seenOnce.delete(text);
    this.prepared.add(text);
    return true;
  }

  get preparedCount(): number {
    return this.prepared.size;
  }
}

type UnsafeArguments = Parameters<postgres.Sql['unsafe']>;
type Scoped = (sql: postgres.Sql) => unknown;

/**
 * Make `sql` (and the scoped clients of its transactions and savepoints) run repeated statements
 * with parameters as prepared statements, as `preparation` chooses. Statements without
 * parameters keep postgres.js's simple protocol.
 */
export function preparedByDefault(
  sql: postgres.Sql,
  preparation: StatementPreparation = new StatementPreparation(),
): postgres.Sql {
  const unsafe = sql.unsafe.bind(sql);
  const client = sql as unknown as Record<string, unknown>;
  client.unsafe = (...call: UnsafeArguments) => {
    const [text, parameters, options] = call;
    if (
      !Array.isArray(parameters) ||
      parameters.length === 0 ||
      options?.prepare === true ||
      !preparation.shouldPrepare(text)
    ) {
      return unsafe(...call);
    }
    return unsafe(text, parameters, { ...options, prepare: true });
  };
  for (const scoping of ['begin', 'savepoint'] as const) {
    const original = client[scoping];
    if (typeof original !== 'function') continue;
    client[scoping] = (...call: unknown[]) => {
      const scoped = call.at(-1) as Scoped;
      const rest = call.slice(0, -1);
      return original.call(sql, ...rest, (inner: postgres.Sql) =>
        scoped(preparedByDefault(inner, preparation)),
      );
    };
  }
  return sql;
}
