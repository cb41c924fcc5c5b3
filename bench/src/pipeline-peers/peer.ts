/** One way of running `jobs` echo prompts at `concurrency`, measured by pipeline.ts. */
export interface PipelinePeer {
  readonly name: string;
  /** Whether it keeps prompts and results in PostgreSQL (the bare no-op keeps nothing). */
  readonly stores: boolean;
  /** Whether it uses Redis, so its Redis CPU and calls per job mean something. */
  readonly usesRedis: boolean;
  /** Everything before the measured window: its own database and Redis prefix, its worker. */
  prepare(jobs: number, concurrency: number): Promise<PreparedPeer>;
}

export interface PreparedPeer {
  /** The peer's own database (its backends are the PostgreSQL CPU counted for it). */
  readonly database: string | undefined;
  /** The measured window: from the first prompt stored to the last job finished. */
  run(): Promise<void>;
  /** After the window: every prompt answered with echo's exact text, or it throws. */
  verify(): Promise<void>;
  close(): Promise<void>;
}
