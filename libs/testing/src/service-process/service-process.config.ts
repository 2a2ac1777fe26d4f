/** The environment a spawned service inherits (PATH, NODE_OPTIONS, ...), before the test's own keys. */
export function inheritedEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  // Jest sets NODE_ENV=test and may carry worker ids; services should not behave differently for that.
  delete env.JEST_WORKER_ID;
  return env;
}
