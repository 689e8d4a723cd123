/** Resolves when `work` settles or after `ms`, whichever comes first: a first fetch never holds a call longer. */
export function settledWithin(work: Promise<unknown>, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    work.finally(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Says each kind of problem once per guard, so a down server does not flood the log. */
export function warnOnceBy(warn: (message: string) => void): (key: string, message: string) => void {
  const said = new Set<string>();
  return (key, message) => {
    if (said.has(key)) return;
    said.add(key);
    warn(message);
  };
}
